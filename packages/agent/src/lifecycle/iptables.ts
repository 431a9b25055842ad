/**
 * The agent's rules. Each agent owns two chains named after its id,
 * MIRRORD_TS_<id>_PRE (jumped to from PREROUTING: traffic from outside the pod) and
 * MIRRORD_TS_<id>_OUT (from OUTPUT: traffic from inside the pod to one of its own
 * addresses), in the nat table and, when its steal is gated (nfq-gate.ts), the same two in
 * the mangle table. The id is also the name of the agent's liveness lock (liveness-lock.ts),
 * so a later agent can tell which chains belong to agents that no longer run.
 *
 * Gated steal: mangle sends the SYN of a stolen port to the agent's NFQUEUE with
 * --queue-bypass, the gate marks it, and nat REDIRECTs only marked packets. A dead agent's
 * queue has no listener, so its leftover rules let every connection through to the app.
 */
import { execFileSync } from "node:child_process";
export const CHAIN_PREFIX = "MIRRORD_TS_";
const CHAIN_PATTERN = /^:(MIRRORD_TS_([0-9a-f]{8})_(?:PRE|OUT)) /gm;
/** The tables an agent may have chains in. */
export const AGENT_TABLES = ["nat", "mangle"] as const;
export type AgentTable = (typeof AGENT_TABLES)[number];

export interface AgentChains {
  prerouting: string;
  output: string;
}

export function agentChains(agentId: string): AgentChains {
  return { prerouting: `${CHAIN_PREFIX}${agentId}_PRE`, output: `${CHAIN_PREFIX}${agentId}_OUT` };
}

/** An iptables command failed. */
export class IptablesError extends Error {
  override readonly name = "IptablesError";
}

/** Runs one iptables binary (and its -save/-restore companions) against one table at a time. */
export class Iptables {
  constructor(readonly binary: string) {}

  /** The IPv6 twin: iptables → ip6tables, iptables-legacy → ip6tables-legacy. */
  ipv6(): Iptables {
    return new Iptables(this.binary.replace(/iptables(?!.*iptables)/, "ip6tables"));
  }

  run(table: AgentTable, args: readonly string[]): void {
    try {
      // -w: wait for the xtables lock instead of failing when another agent holds it.
      execFileSync(this.binary, ["-w", "5", "-t", table, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new IptablesError(`${this.binary} -t ${table} ${args.join(" ")} failed: ${stderr || (error as Error).message}`);
    }
  }

  /** Like run(), but false instead of an error (for deletes of what may be gone). */
  tryRun(table: AgentTable, args: readonly string[]): boolean {
    try {
      this.run(table, args);
      return true;
    } catch {
      return false;
    }
  }

  save(table: AgentTable): string {
    return execFileSync(`${this.binary}-save`, ["-t", table], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  }

  /** Applies a batch atomically without flushing the rest (-n); false if it failed. */
  restore(batch: string): boolean {
    try {
      execFileSync(`${this.binary}-restore`, ["-w", "5", "-n"], { input: batch, stdio: ["pipe", "ignore", "ignore"] });
      return true;
    } catch {
      return false;
    }
  }
}

/** The ids of every agent that has chains in this network namespace. */
export function agentIdsWithChains(saveOutput: string): Set<string> {
  const ids = new Set<string>();
  for (const match of saveOutput.matchAll(CHAIN_PATTERN)) ids.add(match[2]!);
  return ids;
}

/** Removes an agent's jumps and chains from every table; safe to repeat, and quiet about what is gone. */
export function removeAgentChains(iptables: Iptables, agentId: string): void {
  for (const table of AGENT_TABLES) removeAgentChainsIn(iptables, table, agentId);
}

function removeAgentChainsIn(iptables: Iptables, table: AgentTable, agentId: string): void {
  const chains = agentChains(agentId);
  let saved: string | undefined;
  try {
    saved = iptables.save(table);
  } catch {
    // no -save binary: fall back to plain deletes below
  }
  if (saved !== undefined) {
    const ours = [chains.prerouting, chains.output].filter((chain) => saved.includes(`:${chain} `));
    if (ours.length === 0) return;
    // One atomic batch: the jumps (as many as there are), then the chains.
    const jumps = saved.split("\n").filter((line) => ours.some((chain) => line.endsWith(` -j ${chain}`)) && /^-A (PREROUTING|OUTPUT) /.test(line));
    const batch = [`*${table}`, ...jumps.map((line) => line.replace(/^-A /, "-D ")), ...ours.map((c) => `-F ${c}`), ...ours.map((c) => `-X ${c}`), "COMMIT", ""];
    if (iptables.restore(batch.join("\n"))) return;
  }
  for (const [builtin, chain] of [
    ["PREROUTING", chains.prerouting],
    ["OUTPUT", chains.output],
  ] as const) {
    while (iptables.tryRun(table, ["-D", builtin, "-j", chain])) {
      // a chain may have been jumped to more than once after a crash mid-setup
    }
    iptables.tryRun(table, ["-F", chain]);
    iptables.tryRun(table, ["-X", chain]);
  }
}

/**
 * Removes the chains of every agent that is not alive (its liveness lock is free).
 * Returns the ids it removed.
 */
export async function sweepStaleChains(iptables: Iptables, isAlive: (agentId: string) => Promise<boolean>): Promise<string[]> {
  const removed: string[] = [];
  const ids = new Set<string>();
  for (const table of AGENT_TABLES) {
    let saved = "";
    try {
      saved = iptables.save(table);
    } catch (error) {
      if (table === "nat") throw error;
    }
    for (const id of agentIdsWithChains(saved)) ids.add(id);
  }
  for (const id of ids) {
    if (await isAlive(id)) continue;
    removeAgentChains(iptables, id);
    removed.push(id);
  }
  return removed;
}

/** The nat chains a service mesh's init container leaves in a pod's namespace, by mesh. */
const MESH_CHAINS: ReadonlyArray<[chain: string, mesh: string]> = [
  ["ISTIO_INBOUND", "Istio"],
  ["PROXY_INIT_REDIRECT", "Linkerd"],
  ["KUMA_MESH_INBOUND", "Kuma"],
];

/**
 * The mesh whose sidecar captures inbound traffic in this namespace (from `iptables-save -t
 * nat`), if any. Behind a sidecar, traffic from outside is the mesh's (mTLS): the agent takes
 * it after the sidecar, where the sidecar hands it, decrypted, to the app through OUTPUT.
 */
export function meshIn(natSave: string): string | undefined {
  return MESH_CHAINS.find(([chain]) => natSave.includes(`:${chain} `))?.[1];
}

/** The agent's NFQUEUE gate (nfq-gate.ts): its queue, and the mark bit it sets on what it passes. */
export interface StealGate {
  queue: number;
  mark: number;
}

/** What the redirects have to tell the agent's log. */
export interface RedirectNotes {
  /** Why IPv6 traffic is not redirected (no ip6tables, IPv6 off). */
  ipv6Unavailable?(reason: string): void;
  /** A family's nat table showed a mesh sidecar's capture when the chains were made (`binary`: which iptables). */
  meshFound?(mesh: string, binary: string): void;
}

/**
 * This agent's redirects: `port` → `toPort` (the agent's listener for that port), for IPv4
 * and, where the namespace and the image have it, IPv6. The first rules of each chain are
 * the exclusions: sources that must never be redirected (the node: kubelet probes) and, on
 * OUTPUT, the agent's own sockets (its gid), so its connections to the original port reach
 * the app. With a gate, the redirects apply only while the gate runs.
 */
export class AgentRedirects {
  private readonly families: FamilyRedirects[];

  constructor(
    iptables: Iptables,
    agentId: string,
    agentGid: number,
    excludeSources: readonly string[],
    readonly gate: StealGate | undefined,
    notes: RedirectNotes = {},
  ) {
    const v4 = new FamilyRedirects(iptables, agentId, agentGid, excludeSources.filter((s) => !s.includes(":")), gate, true, undefined, notes.meshFound);
    const v6 = new FamilyRedirects(iptables.ipv6(), agentId, agentGid, excludeSources.filter((s) => s.includes(":")), gate, false, notes.ipv6Unavailable, notes.meshFound);
    this.families = [v4, v6];
  }

  add(port: number, toPort: number): void {
    const added: FamilyRedirects[] = [];
    try {
      for (const family of this.families) if (family.add(port, toPort)) added.push(family);
    } catch (error) {
      for (const family of added) family.remove(port);
      throw error;
    }
  }

  /** With `toPort`, only while the port still goes there (a newer subscription may have taken it over). */
  remove(port: number, toPort?: number): void {
    for (const family of this.families) family.remove(port, toPort);
  }

  /**
   * A closing subscription: new connections to `port` go straight to the app from now on,
   * while the ones already redirected keep their translation until remove(). Only a gated
   * steal can tell new from redirected (its queue rules mark the SYNs); without a gate this
   * does nothing.
   */
  stopNew(port: number, toPort: number): void {
    for (const family of this.families) family.stopNew(port, toPort);
  }

  /** Removes every chain of this agent; the object can add again afterwards. */
  removeAll(): void {
    for (const family of this.families) family.removeAll();
  }
}

/** The iptables binaries of both families, for sweeps and the guard's cleanup. */
export function bothFamilies(iptables: Iptables): Iptables[] {
  return [iptables, iptables.ipv6()];
}

type Rule = { table: AgentTable; chain: string; spec: string[] };

/** One address family's chains. An optional family that fails to set up is skipped from then on. */
class FamilyRedirects {
  private readonly chains: AgentChains;
  private readonly agentId: string;
  private created = false;
  private readonly active = new Map<number, { toPort: number; rules: Rule[] }>();

  private unavailable = false;

  constructor(
    private readonly iptables: Iptables,
    agentId: string,
    private readonly agentGid: number,
    private readonly excludeSources: readonly string[],
    private readonly gate: StealGate | undefined,
    private readonly required: boolean,
    private readonly onUnavailable: (reason: string) => void = () => {},
    private readonly onMesh: (mesh: string, binary: string) => void = () => {},
  ) {
    this.chains = agentChains(agentId);
    this.agentId = agentId;
  }

  /** False when this (optional) family is not available here. */
  add(port: number, toPort: number): boolean {
    if (this.unavailable) return false;
    try {
      this.ensureChains();
    } catch (error) {
      if (this.required) throw error;
      this.unavailable = true;
      removeAgentChains(this.iptables, this.agentId);
      this.onUnavailable((error as Error).message);
      return false;
    }
    // A subscription that is closing keeps its rules a moment (its last answers go out while
    // they translate); a new one on the port takes over: its rules first, then the old ones go.
    const previous = this.active.get(port);
    const rules = this.rulesFor(port, toPort);
    const added: Rule[] = [];
    try {
      for (const rule of rules) {
        this.iptables.run(rule.table, ["-A", rule.chain, ...rule.spec]);
        added.push(rule);
      }
    } catch (error) {
      for (const rule of added) this.iptables.tryRun(rule.table, ["-D", rule.chain, ...rule.spec]);
      throw error;
    }
    this.active.set(port, { toPort, rules });
    if (previous) for (const rule of previous.rules) this.iptables.tryRun(rule.table, ["-D", rule.chain, ...rule.spec]);
    return true;
  }

  remove(port: number, toPort?: number): void {
    const entry = this.active.get(port);
    if (entry === undefined || (toPort !== undefined && entry.toPort !== toPort)) return;
    this.active.delete(port);
    for (const rule of entry.rules) this.iptables.tryRun(rule.table, ["-D", rule.chain, ...rule.spec]);
  }

  stopNew(port: number, toPort: number): void {
    const entry = this.active.get(port);
    if (entry === undefined || entry.toPort !== toPort) return;
    const queueRules = entry.rules.filter((rule) => rule.table === "mangle");
    entry.rules = entry.rules.filter((rule) => rule.table !== "mangle");
    for (const rule of queueRules) this.iptables.tryRun(rule.table, ["-D", rule.chain, ...rule.spec]);
  }

  removeAll(): void {
    this.active.clear();
    this.created = false;
    removeAgentChains(this.iptables, this.agentId);
  }

  /** In the order they are added: with a gate, the queue rules first (nothing is marked yet). */
  private rulesFor(port: number, toPort: number): Rule[] {
    const { prerouting, output } = this.chains;
    const tcp = ["-p", "tcp", "--dport", String(port)];
    // Only connections to the pod's own addresses on OUTPUT: the app's outgoing calls to
    // port N elsewhere must not be caught.
    const local = ["-m", "addrtype", "--dst-type", "LOCAL"];
    const redirect = ["-j", "REDIRECT", "--to-ports", String(toPort)];
    if (!this.gate) {
      return [
        { table: "nat", chain: prerouting, spec: [...tcp, ...redirect] },
        { table: "nat", chain: output, spec: [...tcp, ...local, ...redirect] },
      ];
    }
    const bit = `0x${this.gate.mark.toString(16)}/0x${this.gate.mark.toString(16)}`;
    const queue = ["-m", "mark", "!", "--mark", bit, "-j", "NFQUEUE", "--queue-num", String(this.gate.queue), "--queue-bypass"];
    const marked = ["-m", "mark", "--mark", bit];
    return [
      { table: "mangle", chain: prerouting, spec: [...tcp, "--syn", ...queue] },
      { table: "mangle", chain: output, spec: [...tcp, "--syn", ...local, ...queue] },
      { table: "nat", chain: prerouting, spec: [...tcp, ...marked, ...redirect] },
      { table: "nat", chain: output, spec: [...tcp, ...local, ...marked, ...redirect] },
    ];
  }

  private ensureChains(): void {
    if (this.created) return;
    // Leftovers of an attempt that failed halfway would make -N fail: start clean.
    removeAgentChains(this.iptables, this.agentId);
    const { prerouting, output } = this.chains;
    const tables: AgentTable[] = this.gate ? ["mangle", "nat"] : ["nat"];
    for (const table of tables) {
      this.iptables.run(table, ["-N", prerouting]);
      if (table === "nat") for (const source of this.excludeSources) this.iptables.run(table, ["-A", prerouting, "-s", source, "-j", "RETURN"]);
      this.iptables.run(table, ["-N", output]);
      this.iptables.run(table, ["-A", output, "-m", "owner", "--gid-owner", String(this.agentGid), "-j", "RETURN"]);
    }
    // Behind a mesh sidecar our PREROUTING jump goes last: the sidecar takes outside traffic
    // first (it is mTLS), and what it passes to the app meets our OUTPUT chain, which stays
    // first. Ports the mesh leaves alone still reach our PREROUTING rules.
    let mesh: string | undefined;
    try {
      mesh = meshIn(this.iptables.save("nat"));
    } catch {
      // no -save binary: no mesh detection
    }
    if (mesh) this.onMesh(mesh, this.iptables.binary);
    // Insert the jumps last, so no packet meets a half-built chain.
    for (const table of tables) {
      this.iptables.run(table, mesh ? ["-A", "PREROUTING", "-j", prerouting] : ["-I", "PREROUTING", "1", "-j", prerouting]);
      this.iptables.run(table, ["-I", "OUTPUT", "1", "-j", output]);
    }
    this.created = true;
  }
}

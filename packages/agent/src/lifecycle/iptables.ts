/**
 * The agent's nat rules. Each agent owns two chains named after its id,
 * MIRRORD_TS_<id>_PRE (jumped to from PREROUTING: traffic from outside the pod) and
 * MIRRORD_TS_<id>_OUT (from OUTPUT: traffic from inside the pod to one of its own
 * addresses). The id is also the name of the agent's liveness lock (liveness-lock.ts),
 * so a later agent can tell which chains belong to agents that no longer run.
 */
import { execFileSync } from "node:child_process";

export const CHAIN_PREFIX = "MIRRORD_TS_";
const CHAIN_PATTERN = /^:(MIRRORD_TS_([0-9a-f]{8})_(?:PRE|OUT)) /gm;

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

/** Runs one iptables binary (and its -save companion) against the nat table. */
export class Iptables {
  constructor(readonly binary: string) {}

  /** The IPv6 twin: iptables → ip6tables, iptables-legacy → ip6tables-legacy. */
  ipv6(): Iptables {
    return new Iptables(this.binary.replace(/iptables(?!.*iptables)/, "ip6tables"));
  }

  nat(args: readonly string[]): void {
    try {
      // -w: wait for the xtables lock instead of failing when another agent holds it.
      execFileSync(this.binary, ["-w", "5", "-t", "nat", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new IptablesError(`${this.binary} -t nat ${args.join(" ")} failed: ${stderr || (error as Error).message}`);
    }
  }

  /** Like nat(), but false instead of an error (for deletes of what may be gone). */
  tryNat(args: readonly string[]): boolean {
    try {
      this.nat(args);
      return true;
    } catch {
      return false;
    }
  }

  saveNat(): string {
    return execFileSync(`${this.binary}-save`, ["-t", "nat"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  }

  /** Applies a nat batch atomically without flushing the rest (-n); false if it failed. */
  restoreNat(batch: string): boolean {
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

/** Removes an agent's jumps and chains; safe to repeat, and quiet about what is gone. */
export function removeAgentChains(iptables: Iptables, agentId: string): void {
  const chains = agentChains(agentId);
  let saved: string | undefined;
  try {
    saved = iptables.saveNat();
  } catch {
    // no -save binary: fall back to plain deletes below
  }
  if (saved !== undefined) {
    const ours = [chains.prerouting, chains.output].filter((chain) => saved.includes(`:${chain} `));
    if (ours.length === 0) return;
    // One atomic batch: the jumps (as many as there are), then the chains.
    const jumps = saved.split("\n").filter((line) => ours.some((chain) => line.endsWith(` -j ${chain}`)) && /^-A (PREROUTING|OUTPUT) /.test(line));
    const batch = ["*nat", ...jumps.map((line) => line.replace(/^-A /, "-D ")), ...ours.map((c) => `-F ${c}`), ...ours.map((c) => `-X ${c}`), "COMMIT", ""];
    if (iptables.restoreNat(batch.join("\n"))) return;
  }
  for (const [builtin, chain] of [
    ["PREROUTING", chains.prerouting],
    ["OUTPUT", chains.output],
  ] as const) {
    while (iptables.tryNat(["-D", builtin, "-j", chain])) {
      // a chain may have been jumped to more than once after a crash mid-setup
    }
    iptables.tryNat(["-F", chain]);
    iptables.tryNat(["-X", chain]);
  }
}

/**
 * Removes the chains of every agent that is not alive (its liveness lock is free).
 * Returns the ids it removed.
 */
export async function sweepStaleChains(iptables: Iptables, isAlive: (agentId: string) => Promise<boolean>): Promise<string[]> {
  const removed: string[] = [];
  for (const id of agentIdsWithChains(iptables.saveNat())) {
    if (await isAlive(id)) continue;
    removeAgentChains(iptables, id);
    removed.push(id);
  }
  return removed;
}

/**
 * This agent's redirects: `port` → `toPort` (the agent's listener for that port), for IPv4
 * and, where the namespace and the image have it, IPv6. The first rules of each chain are
 * the exclusions: sources that must never be redirected (the node: kubelet probes) and, on
 * OUTPUT, the agent's own sockets (its gid), so its connections to the original port reach
 * the app.
 */
export class AgentRedirects {
  private readonly families: FamilyRedirects[];

  /** `onIpv6Unavailable` hears why IPv6 traffic is not redirected (no ip6tables, IPv6 off). */
  constructor(
    iptables: Iptables,
    agentId: string,
    agentGid: number,
    excludeSources: readonly string[],
    onIpv6Unavailable: (reason: string) => void = () => {},
  ) {
    const v4 = new FamilyRedirects(iptables, agentId, agentGid, excludeSources.filter((s) => !s.includes(":")), true);
    const v6 = new FamilyRedirects(iptables.ipv6(), agentId, agentGid, excludeSources.filter((s) => s.includes(":")), false, onIpv6Unavailable);
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

  remove(port: number): void {
    for (const family of this.families) family.remove(port);
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

/** One address family's chains. An optional family that fails to set up is skipped from then on. */
class FamilyRedirects {
  private readonly chains: AgentChains;
  private readonly agentId: string;
  private created = false;
  private readonly active = new Map<number, number>();

  private unavailable = false;

  constructor(
    private readonly iptables: Iptables,
    agentId: string,
    private readonly agentGid: number,
    private readonly excludeSources: readonly string[],
    private readonly required: boolean,
    private readonly onUnavailable: (reason: string) => void = () => {},
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
    if (this.active.has(port)) throw new IptablesError(`Port ${port} is already redirected by this agent.`);
    this.iptables.nat(["-A", this.chains.prerouting, ...this.preroutingSpec(port, toPort)]);
    this.iptables.nat(["-A", this.chains.output, ...this.outputSpec(port, toPort)]);
    this.active.set(port, toPort);
    return true;
  }

  remove(port: number): void {
    const toPort = this.active.get(port);
    if (toPort === undefined) return;
    this.active.delete(port);
    this.iptables.tryNat(["-D", this.chains.prerouting, ...this.preroutingSpec(port, toPort)]);
    this.iptables.tryNat(["-D", this.chains.output, ...this.outputSpec(port, toPort)]);
  }

  removeAll(): void {
    this.active.clear();
    this.created = false;
    removeAgentChains(this.iptables, this.agentId);
  }

  private preroutingSpec(port: number, toPort: number): string[] {
    return ["-p", "tcp", "--dport", String(port), "-j", "REDIRECT", "--to-ports", String(toPort)];
  }

  private outputSpec(port: number, toPort: number): string[] {
    // Only connections to the pod's own addresses: the app's outgoing calls to port N
    // elsewhere must not be caught.
    return ["-p", "tcp", "--dport", String(port), "-m", "addrtype", "--dst-type", "LOCAL", "-j", "REDIRECT", "--to-ports", String(toPort)];
  }

  private ensureChains(): void {
    if (this.created) return;
    // Leftovers of an attempt that failed halfway would make -N fail: start clean.
    removeAgentChains(this.iptables, this.agentId);
    const { prerouting, output } = this.chains;
    this.iptables.nat(["-N", prerouting]);
    for (const source of this.excludeSources) this.iptables.nat(["-A", prerouting, "-s", source, "-j", "RETURN"]);
    this.iptables.nat(["-N", output]);
    this.iptables.nat(["-A", output, "-m", "owner", "--gid-owner", String(this.agentGid), "-j", "RETURN"]);
    // Insert the jumps last, so no packet meets a half-built chain.
    this.iptables.nat(["-I", "PREROUTING", "1", "-j", prerouting]);
    this.iptables.nat(["-I", "OUTPUT", "1", "-j", output]);
    this.created = true;
  }
}

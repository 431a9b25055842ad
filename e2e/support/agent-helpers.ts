/**
 * Helpers shared by the agent suites (agent-traffic, agent-crash) and the tunnel benchmark:
 * session configs, cluster traffic from another pod, agent pods and containers still running,
 * and host-side views of a pod (its processes, its network namespace's iptables rules, the
 * agent's guard and worker processes). The cluster runs on this machine, so the host sees
 * every container's processes in /proc.
 */
import { readFileSync, readdirSync } from "node:fs";
import { AGENT_LABEL, SESSION_LABEL, configType, valueOf, type MirrordConfig } from "@mirrord-ts/core";
import { E2E_NAMESPACE, WORKLOADS, kubectl } from "../cluster/index.js";
import { runUnchecked } from "../cluster/run.js";

const { echo, tcpUdpEcho } = WORKLOADS;

export function configFor(target: string, agent: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): MirrordConfig {
  return valueOf(configType, { target: { path: target, namespace: E2E_NAMESPACE }, agent: { communication_timeout: 10, ...agent }, ...extra });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs a shell script in the tcp-udp-echo pod (busybox), i.e. as traffic from another pod. */
export async function shInAnotherPod(script: string, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return kubectl([`--request-timeout=${Math.ceil(timeoutMs / 1000)}s`, "exec", "-n", E2E_NAMESPACE, `deploy/${tcpUdpEcho.name}`, "--", "timeout", String(Math.ceil(timeoutMs / 1000)), "sh", "-c", script]);
}

/** An HTTP GET from another pod (busybox wget; its -T segfaults in this busybox, hence `timeout`) to the echo Service. */
export async function getFromAnotherPod(path: string, headers: Record<string, string> = {}, timeoutSeconds = 5): Promise<string> {
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ["--header", `${k}: ${v}`]);
  const result = await kubectl(["exec", "-n", E2E_NAMESPACE, `deploy/${tcpUdpEcho.name}`, "--", "timeout", String(timeoutSeconds), "wget", "-qO-", ...headerArgs, `http://${echo.name}${path}`]);
  if (result.code !== 0) throw new Error(`wget ${path} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * Asks the echo pod every `everyMs` (from another pod) until stopped; counts answers that
 * came from the pod itself and everything else (refused, timed out, wrong body).
 */
export interface Polled {
  ok: number;
  /** Answers that came after `at` (ms since the epoch, when the request was sent). */
  okAt: number[];
  failed: { at: number; what: string }[];
}

export function pollEcho(tag: string, everyMs = 300): { stop: () => Promise<Polled> } {
  let running = true;
  let ok = 0;
  const okAt: number[] = [];
  const failed: { at: number; what: string }[] = [];
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const at = Date.now();
      try {
        const body = await getFromAnotherPod(`/${tag}/${i}`, {}, 3);
        if (body.includes(`"path":"/${tag}/${i}"`)) {
          ok++;
          okAt.push(at);
        } else failed.push({ at, what: `#${i}: ${body.slice(0, 120)}` });
      } catch (error) {
        failed.push({ at, what: `#${i}: ${(error as Error).message.slice(0, 160)}` });
      }
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { ok, okAt, failed };
    },
  };
}

/** Agent pods (job mode) that are Running or Pending, in any namespace. */
export async function agentPodsRunning(): Promise<string[]> {
  const pods = await kubectl(["get", "pods", "-A", "-l", AGENT_LABEL, "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}"]);
  return pods.stdout.split("\n").filter((line) => / (Running|Pending)$/.test(line));
}

/** Ephemeral agent containers of a pod that are still running. */
export async function ephemeralAgentsRunning(podName: string): Promise<string[]> {
  const pod = await kubectl(["get", "pod", "-n", E2E_NAMESPACE, podName, "-o", "jsonpath={range .status.ephemeralContainerStatuses[*]}{.name} {.state.running.startedAt}{\"\\n\"}{end}"]);
  return pod.stdout.split("\n").filter((line) => /^\S+ \S+$/.test(line));
}

/** Deletes the agent Jobs (and their pods) of one session, e.g. after its client was killed. */
export async function deleteSessionJobs(sessionId: string): Promise<void> {
  await kubectl(["delete", "jobs", "-A", "-l", `${SESSION_LABEL}=${sessionId}`, "--wait=false", "--ignore-not-found"]);
  await kubectl(["delete", "pods", "-A", "-l", `${SESSION_LABEL}=${sessionId}`, "--wait=false", "--ignore-not-found", "--grace-period=0"]);
}

export async function podNames(app: string): Promise<string[]> {
  const pods = await kubectl(["get", "pods", "-n", E2E_NAMESPACE, "-l", `app=${app}`, "--field-selector=status.phase=Running", "-o", "jsonpath={.items[*].metadata.name}"]);
  return pods.stdout.split(" ").filter(Boolean).sort();
}

/** The container id (no runtime prefix) of a pod's container. */
export async function containerId(pod: string, container: string): Promise<string> {
  const result = await kubectl(["get", "pod", "-n", E2E_NAMESPACE, pod, "-o", `jsonpath={.status.containerStatuses[?(@.name=="${container}")].containerID}`]);
  const id = result.stdout.trim().replace(/^[a-z]+:\/\//, "");
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`no container id for ${pod}/${container}: ${result.stdout} ${result.stderr}`);
  return id;
}

interface HostProcess {
  pid: number;
  cmdline: string[];
  state: string;
}

function hostProcesses(): HostProcess[] {
  const found: HostProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0] ?? "?";
      found.push({ pid: Number(entry), cmdline, state });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Host PIDs of a container's processes (found by the container id in their cgroup), lowest first. */
export function containerPids(id: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cgroup`, "utf8").includes(id)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids.sort((a, b) => a - b);
}

/** The process state letter (R, S, T, …) of a host PID, or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
  } catch {
    return undefined;
  }
}

/** The state of a process's cgroup v1 freezer, read on the host (FROZEN, FREEZING, THAWED). */
export function freezerState(pid: number): string | undefined {
  try {
    const cgroup = /^\d+:(?:[^:]*,)?freezer(?:,[^:]*)?:(.*)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, "utf8"))?.[1];
    return cgroup === undefined ? undefined : readFileSync(`/sys/fs/cgroup/freezer${cgroup}/freezer.state`, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Paused either way an agent pauses: stopped by SIGSTOP (job agent) or frozen in its cgroup (ephemeral agent). */
export function isPaused(pid: number): boolean {
  return processState(pid) === "T" || freezerState(pid) === "FROZEN";
}

/** The main process of a pod's container, on the host. */
export async function containerMainPid(pod: string, container: string): Promise<number> {
  const pids = containerPids(await containerId(pod, container));
  if (pids.length === 0) throw new Error(`no process of ${pod}/${container} on this host`);
  return pids[0]!;
}

/** `iptables-save` (and ip6tables-save) in the pod's network namespace, entered from the host. */
export async function podIptablesSave(pod: string, container: string): Promise<string> {
  const pid = await containerMainPid(pod, container);
  let text = "";
  for (const binary of ["iptables-save", "ip6tables-save"]) {
    const result = await runUnchecked("nsenter", ["-t", String(pid), "-n", "--", binary], { timeoutMs: 15_000 });
    if (result.code !== 0 && binary === "iptables-save") throw new Error(`${binary} in ${pod}'s netns failed: ${result.stderr}`);
    text += result.stdout;
  }
  return text;
}

/** The lines of iptables-save that belong to mirrord-ts agents (any id, or one id). */
export async function mirrordRules(pod: string, container: string, agentId?: string): Promise<string[]> {
  const marker = agentId ? `MIRRORD_TS_${agentId}_` : "MIRRORD_TS_";
  return (await podIptablesSave(pod, container)).split("\n").filter((line) => line.includes(marker));
}

/** Host PIDs of the agent's node processes (guard and worker) of one agent id. */
export function agentProcesses(agentId: string): HostProcess[] {
  return hostProcesses().filter((p) => p.state !== "Z" && p.cmdline.some((a) => a.endsWith("/app/agent.js")) && p.cmdline.join(" ").includes(`--agent-id ${agentId}`));
}

/** Every live agent process on the host, whatever its id. */
export function anyAgentProcesses(): HostProcess[] {
  return hostProcesses().filter((p) => p.state !== "Z" && p.cmdline.some((a) => a.endsWith("/app/agent.js")));
}

/** What agents left in the cluster and on the host: pods/containers running, processes, rules in the given pods. */
export async function agentLeftovers(pods: { pod: string; container: string }[]): Promise<string[]> {
  const left: string[] = [];
  for (const pod of await agentPodsRunning()) left.push(`agent pod running: ${pod}`);
  for (const { pod, container } of pods) {
    for (const c of await ephemeralAgentsRunning(pod)) left.push(`ephemeral agent running in ${pod}: ${c}`);
    for (const rule of await mirrordRules(pod, container)) left.push(`rule in ${pod}: ${rule}`);
  }
  for (const p of anyAgentProcesses()) left.push(`agent process ${p.pid}: ${p.cmdline.join(" ")}`);
  return left;
}

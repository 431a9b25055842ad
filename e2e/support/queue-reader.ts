/**
 * The queue-reader workload (3 replicas) and the in-cluster queue broker, as the
 * `copy_target.scale_down` suites see them (issue 11): the broker's view of who consumed what,
 * the workload's replicas and annotation, the session's objects, and putting it all back.
 * Used by scale-down.test.ts (`mirrord exec`) and scale-down-ext.test.ts (`mirrord ext`).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { E2E_NAMESPACE, WORKLOADS, kubectl } from "../cluster/index.js";

export const { queueBroker, queueReader, tcpUdpEcho } = WORKLOADS;
export const NS = E2E_NAMESPACE;
export const TARGET = `deployment/${queueReader.name}`;
export const ANNOTATION = "mirrord-ts/scaled-down";
export const COPY_LABEL = "mirrord-ts/copy-of";
export const HPA = "queue-reader-hpa";
/** Repetitions of each ending (normal exit, SIGINT, SIGKILL): issue 11 asks for 20 of each. */
export const SCALE_REPETITIONS = Number(process.env.MIRRORD_E2E_SCALE_REPS ?? 20);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function k(args: string[]): Promise<string> {
  const r = await kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** HTTP to the broker from another pod (busybox wget), as the cluster's own traffic. */
export async function broker(pathAndQuery: string, post?: string): Promise<string> {
  const url = `http://${queueBroker.name}.${NS}:${queueBroker.port}${pathAndQuery}`;
  return k(["exec", "-n", NS, `deploy/${tcpUdpEcho.name}`, "--", "wget", "-qO-", ...(post !== undefined ? ["--post-data", post] : []), url]);
}
export const consumed = async () => JSON.parse(await broker("/consumed")) as { id: number; body: string; consumer: string }[];
export const publish = async (body: string) => (JSON.parse(await broker("/publish", body)) as { id: number }).id;

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - start;
    await sleep(300);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Deploy {
  replicas: number;
  ready: number;
  annotation: string | undefined;
}
export async function deploy(): Promise<Deploy> {
  const d = JSON.parse(await k(["get", "deployment", "-n", NS, queueReader.name, "-o", "json"])) as { spec: { replicas: number }; status: { readyReplicas?: number }; metadata: { annotations?: Record<string, string> } };
  return { replicas: d.spec.replicas, ready: d.status.readyReplicas ?? 0, annotation: d.metadata.annotations?.[ANNOTATION] };
}
const names = (out: string) => out.split("\n").filter(Boolean);
export async function readerPods(): Promise<string[]> {
  return names(await k(["get", "pods", "-n", NS, "-l", `app=${queueReader.name}`, "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"]));
}
export async function copyPods(): Promise<string[]> {
  return names(await k(["get", "pods", "-n", NS, "-l", COPY_LABEL, "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"]));
}
export async function sessionObjects(): Promise<string[]> {
  return names(await k(["get", "pods,leases,roles,rolebindings,serviceaccounts", "-n", NS, "-l", "app.kubernetes.io/managed-by=mirrord-ts,mirrord-ts/session", "-o", "name"]));
}
/** Back at 3 ready replicas, no annotation, no copy pod, no session object. */
export async function restored(): Promise<boolean> {
  const d = await deploy();
  return d.replicas === queueReader.replicas && d.ready === queueReader.replicas && !d.annotation && (await copyPods()).length === 0 && (await sessionObjects()).length === 0;
}

/** Puts the workload back whatever a test left: annotation, replicas, HPA, session objects. */
export async function repairWorkload(): Promise<void> {
  await kubectl(["annotate", "deployment", "-n", NS, queueReader.name, `${ANNOTATION}-`]);
  await kubectl(["scale", "deployment", "-n", NS, queueReader.name, `--replicas=${queueReader.replicas}`]);
  await kubectl(["delete", "hpa", "-n", NS, HPA, "--ignore-not-found", "--wait=false"]);
  await kubectl(["delete", "leases,pods,roles,rolebindings,serviceaccounts", "-n", NS, "-l", "app.kubernetes.io/managed-by=mirrord-ts,mirrord-ts/session", "--grace-period=0", "--force", "--ignore-not-found"]);
  await waitFor("queue-reader back at 3 ready replicas", restored, 60_000);
}

/** The cluster's readers consume again: a message published now is taken by a queue-reader pod. */
export async function clusterConsumes(): Promise<void> {
  const id = await publish(`cluster-${Date.now()}`);
  await waitFor(`message ${id} consumed by a cluster reader`, async () => (await consumed()).some((m) => m.id === id && m.consumer.startsWith(`${queueReader.name}-`)), 30_000);
}

export function killLocal(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * What a process tree is doing, for a start-up that hangs: every thread's state, wait channel,
 * current syscall and kernel stack (root reads /proc/<pid>/task/<tid>/stack), seccomp state,
 * then the same for its children.
 */
export function processSnapshot(pid: number, depth = 0): string {
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8").trim();
    } catch (error) {
      return `(${(error as NodeJS.ErrnoException).code ?? "unreadable"})`;
    }
  };
  const pad = "  ".repeat(depth);
  const status = read(`/proc/${pid}/status`);
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "m").exec(status)?.[1] ?? "?";
  const lines = [`${pad}pid ${pid} ${read(`/proc/${pid}/cmdline`).replaceAll("\0", " ")} state=${field("State")} seccomp=${field("Seccomp")} filters=${field("Seccomp_filters")}`];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    lines.push(`${pad}  (gone)`);
  }
  const children = new Set<number>();
  for (const tid of tasks) {
    const dir = `/proc/${pid}/task/${tid}`;
    lines.push(`${pad}  tid ${tid} ${read(`${dir}/comm`)} wchan=${read(`${dir}/wchan`)} syscall=${read(`${dir}/syscall`)}`);
    for (const frame of read(`${dir}/stack`).split("\n").slice(0, 12)) lines.push(`${pad}    ${frame}`);
    for (const child of read(`${dir}/children`).split(/\s+/).filter(Boolean)) children.add(Number(child));
  }
  for (const child of children) if (depth < 4) lines.push(processSnapshot(child, depth + 1));
  return lines.join("\n");
}

/** Every descendant of a process (by /proc/<pid>/task/<tid>/children), deepest last. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children: string[] = [];
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, "utf8").split(/\s+/).filter(Boolean);
      } catch {
        continue;
      }
      for (const child of children.map(Number)) {
        out.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return out;
}

/**
 * The session folder (layer socket, file copies) of the session a local program runs in, read
 * from its environment (MIRRORD_LAYER_SOCKET): a killed CLI cannot remove it, the test does.
 */
export function sessionDirOf(pid: number): string | undefined {
  try {
    const socket = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").find((v) => v.startsWith("MIRRORD_LAYER_SOCKET="));
    return socket ? path.dirname(socket.slice("MIRRORD_LAYER_SOCKET=".length)) : undefined;
  } catch {
    return undefined;
  }
}

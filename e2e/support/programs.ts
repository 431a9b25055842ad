/** Local programs for the IDE-path e2e suites: start, watch output, stop; cluster-side requests. */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";
import { E2E_NAMESPACE, WORKLOADS, kubectl } from "../cluster/index.js";

export interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

/** Every program started here and still running: the root hook stops leftovers of failed tests. */
const running = new Set<ChildProcess>();

/** Kills (SIGKILL, by PID) every program startProgram started that still runs. */
export function stopAllPrograms(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
}

export function startProgram(command: string, args: readonly string[], options: SpawnOptions): Running {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.on("close", () => running.delete(child));
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
          throw new Error(`${command}: no ${pattern} (exit ${child.exitCode ?? child.signalCode}):\n${out}\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * What clusterGet runs, also for callers outside this process (the JetBrains bridge's Kotlin
 * tests): kubectl's arguments up to wget's options; `--header`, `<name>: <value>` pairs and
 * `${baseUrl}${path}` follow.
 */
export function clusterGetCommand(): { kubectlArgs: string[]; baseUrl: string } {
  // A request held by a paused debuggee must not keep a failed run alive for ever: `timeout 90`,
  // not wget's -T, which segfaults in this busybox (exit 139 on every request).
  return { kubectlArgs: ["exec", "-n", E2E_NAMESPACE, `deploy/${WORKLOADS.tcpUdpEcho.name}`, "--", "timeout", "90", "wget", "-qO-"], baseUrl: `http://${WORKLOADS.echo.name}` };
}

/** An HTTP GET made from another pod (tcp-udp-echo has busybox wget) to the echo Service: cluster traffic. */
export async function clusterGet(urlPath: string, headers: Record<string, string> = {}): Promise<string> {
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ["--header", `${k}: ${v}`]);
  const { kubectlArgs, baseUrl } = clusterGetCommand();
  const result = await kubectl([...kubectlArgs, ...headerArgs, `${baseUrl}${urlPath}`]);
  if (result.code !== 0) throw new Error(`wget ${urlPath} failed: ${result.stderr}`);
  return result.stdout;
}

/** A free loopback TCP port in [from, to]. */
export async function freePort(from: number, to: number): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export const FILTER_HEADER = "x-mirrord-e2e";
export const SERVICE_URL = `http://${WORKLOADS.echo.name}.${E2E_NAMESPACE}.svc.cluster.local/from-local`;

export function stealConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: { path: `deployment/${WORKLOADS.echo.name}`, namespace: E2E_NAMESPACE },
    agent: { communication_timeout: 10 },
    feature: { network: { incoming: { mode: "steal", http_filter: { header_filter: `^${FILTER_HEADER}: .+` } } } },
    ...extra,
  };
}

/**
 * mirrord's own IDE plugins' side of the CLI contract (../shared/reference/mirrord-ide-contract.md),
 * played byte for byte: the env every call gets, the argv order, stdout read as chunks split
 * on "\n" and parsed line by line as the VS Code extension does (a blank line or a non-JSON
 * line is recorded as a violation: the plugin would stop or drop data there), and stderr
 * searched for `Error: ` anywhere, whose remainder must be a JSON `{message, help}`.
 *
 * Plus what the e2e suites need around it: the session's leftovers in the cluster (agent pods,
 * the agent's iptables chains in the echo pod's network namespace) and waiting for them to go.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AGENT_LABEL } from "@mirrord-ts/core";
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS, kubectl } from "../cluster/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, "../..");
export const CLI = path.join(REPO, "packages/core/dist/mirrord.js");
export const LAUNCH_TASK = "mirrord preparing to launch";

/** The env mirrord's VS Code extension adds to every call (api.ts), on top of the machine's. */
export function pluginEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KUBECONFIG: KUBECONFIG_PATH,
    MIRRORD_PROGRESS_MODE: "json",
    MIRRORD_PROGRESS_SUPPORT_IDE: "true",
    MIRRORD_IDE_NAME: "vscode",
    MIRRORD_LS_RICH_OUTPUT: "true",
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface PluginCall {
  readonly child: ChildProcess;
  /** Every parsed stdout message, in order. */
  readonly messages: unknown[];
  /** Blank or non-JSON stdout lines (each one a broken plugin). */
  readonly violations: string[];
  /** Every `Error: ` occurrence on stderr, its remainder parsed (or the parse failure). */
  readonly errors: { raw: string; parsed?: { message?: unknown; help?: unknown }; bad?: string }[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null: killed by a signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `mirrord <argv>` as the plugin does and reads its output as the plugin would. */
export function callMirrord(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = REPO): PluginCall {
  const child = spawn(process.execPath, [CLI, ...argv], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  // ext removes its default log file when it ends cleanly; one the test killed cannot.
  if (argv[0] === "ext") child.on("exit", (_code, signal) => signal && rmSync(path.join(tmpdir(), `mirrord-ext-${child.pid}.log`), { force: true }));
  const messages: unknown[] = [];
  const violations: string[] = [];
  const errors: PluginCall["errors"] = [];
  let out = "";
  let err = "";
  let pending = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === "") {
        violations.push("blank line");
        continue;
      }
      try {
        messages.push(JSON.parse(line));
      } catch {
        violations.push(`non-JSON line: ${line.slice(0, 200)}`);
      }
    }
  });
  let errPending = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    errPending += chunk.toString();
    const lines = errPending.split("\n");
    errPending = lines.pop()!;
    for (const line of lines) scanStderr(line);
  });
  const scanStderr = (line: string) => {
    const at = line.indexOf("Error: ");
    if (at < 0) return;
    const raw = line.slice(at + "Error: ".length);
    try {
      errors.push({ raw, parsed: JSON.parse(raw) as { message?: unknown; help?: unknown } });
    } catch (e) {
      errors.push({ raw, bad: (e as Error).message });
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      if (pending !== "") {
        // The plugin only acts on complete lines; a dangling one is lost output.
        violations.push(`unterminated line: ${pending.slice(0, 200)}`);
        pending = "";
      }
      if (errPending !== "") scanStderr(errPending);
      resolve({ code, signal });
    });
  });
  return { child, messages, violations, errors, stdout: () => out, stderr: () => err, exited };
}

/** Runs a call that ends by itself (ls, verify-config, --version, a failing ext). */
export async function runToEnd(argv: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000) {
  const call = callMirrord(argv, env);
  const timer = setTimeout(() => call.child.kill("SIGKILL"), timeoutMs);
  const { code } = await call.exited;
  clearTimeout(timer);
  return { ...call, code };
}

export interface Launch {
  environment: Record<string, string>;
  patched_path: unknown;
  env_to_unset?: string[];
  uses_operator?: boolean;
}

/**
 * `ext` as the plugin runs it: resolves when the final FinishedTask arrives (its message, a
 * JSON *string*, decoded), without waiting for or killing `ext`. Rejects on an `Error: ` line,
 * an exit before the final message, or a timeout.
 */
export async function startExt(argv: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ call: PluginCall; launch: Launch }> {
  const call = callMirrord(["ext", ...argv], env);
  try {
    return await untilLaunch(call, timeoutMs);
  } catch (error) {
    // Whatever went wrong, the session this call started must not outlive the test.
    await stopChild(call.child);
    throw error;
  }
}

async function untilLaunch(call: PluginCall, timeoutMs: number): Promise<{ call: PluginCall; launch: Launch }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const final = call.messages.find((m): m is { type: string; name: string; success: boolean; message: unknown } => {
      const x = m as { type?: unknown; name?: unknown };
      return x.type === "FinishedTask" && x.name === LAUNCH_TASK;
    });
    if (final) {
      if (final.success !== true) throw new Error(`ext's final message is not a success: ${JSON.stringify(final)}`);
      if (typeof final.message !== "string") throw new Error(`ext's final message carries no JSON string: ${JSON.stringify(final)}`);
      const launch = JSON.parse(final.message) as Launch;
      if (typeof launch.environment !== "object" || launch.environment === null) throw new Error(`no environment in ${final.message}`);
      return { call, launch };
    }
    if (call.errors.length > 0) throw new Error(`ext reported an error: ${call.errors[0]!.raw}`);
    if (call.child.exitCode !== null || call.child.signalCode !== null) throw new Error(`ext exited (${call.child.exitCode ?? call.child.signalCode}) before its final message:\n${call.stdout()}\n${call.stderr()}`);
    if (Date.now() > deadline) {
      call.child.kill("SIGKILL");
      throw new Error(`no final message from ext within ${timeoutMs} ms:\n${call.stdout()}\n${call.stderr()}`);
    }
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The environment the plugin gives the debuggee: the launch env merged, env_to_unset deleted. */
export function debuggeeEnv(launch: Launch, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...launch.environment };
  for (const key of launch.env_to_unset ?? []) delete env[key];
  // Our own test runner's variables must not leak into the debuggee.
  delete env.MIRRORD_PROGRESS_MODE;
  return env;
}

/** Agent pods (any phase but Succeeded/Failed) in any namespace. */
export async function agentPods(): Promise<string[]> {
  const pods = await kubectl(["get", "pods", "-A", "-l", AGENT_LABEL, "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.phase}{\"\\n\"}{end}"]);
  if (pods.code !== 0) throw new Error(`kubectl get pods: ${pods.stderr}`);
  return pods.stdout.split("\n").filter((line) => line.trim() !== "" && !/ (Succeeded|Failed)$/.test(line));
}

/** Agent Jobs left in the cluster (the agent's TTL removes them; a session must not leave them running). */
export async function agentObjects(): Promise<string[]> {
  const pods = await kubectl(["get", "pods,jobs", "-A", "-l", AGENT_LABEL, "-o", "name"]);
  return pods.stdout.split("\n").filter(Boolean);
}

/** PID of the echo workload's process on this node (the node is this machine). */
function echoPid(): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The multi pod's containers run /app/echo too: the echo pod's alone has ECHO_ONLY_VAR.
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8") !== "/app/echo\0") continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`${WORKLOADS.echo.onlyVar[0]}=${WORKLOADS.echo.onlyVar[1]}`)) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** The agent's iptables chains (MIRRORD_TS_…) in the echo pod's network namespace. */
export function agentChainsInEcho(): string[] {
  const pid = echoPid();
  if (pid === undefined) throw new Error("the echo pod's process is not on this node");
  const chains: string[] = [];
  for (const binary of ["iptables-save", "ip6tables-save"]) {
    const saved = execFileSync("nsenter", ["-t", String(pid), "-n", binary], { encoding: "utf8" });
    for (const match of saved.matchAll(/^:(MIRRORD_TS_\S+)/gm)) chains.push(`${binary}: ${match[1]}`);
  }
  return chains;
}

/** Waits until no agent pod runs and no agent chain is left; returns how long that took (ms). */
export async function waitForNoSession(timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const pods = await agentPods();
    const chains = agentChainsInEcho();
    if (pods.length === 0 && chains.length === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`still there after ${timeoutMs} ms: ${[...pods, ...chains].join(", ")}`);
    await sleep(250);
  }
}

/** Kills a process we started if it still runs, and waits for it. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await done;
  clearTimeout(timer);
}

export { E2E_NAMESPACE, KUBECONFIG_PATH };

/**
 * Opt-in (MIRRORD_E2E_START_STRESS=<n>): n scale-down session starts on the real cluster,
 * alternating `mirrord exec` and `mirrord ext` + a debuggee, each with a local consumer that
 * exits after its first answer from the broker. Hunts start-ups that hang after the target's
 * environment was read, or crash: such a start is stopped after 90 s with a snapshot of every
 * process of the session (threads, wait channels, syscalls, kernel stacks) and, if gcore is
 * installed, core files in MIRRORD_E2E_STRESS_DIR (default: a folder under /tmp, printed).
 * Run it with `ulimit -c unlimited` so a crashing CLI leaves a core in its working folder.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importAgentImage } from "./agent/agent-image.js";
import { AGENT_LABEL } from "@mirrord-ts/core";
import { KUBECONFIG_PATH, kubectl } from "./cluster/index.js";
import { CLI, REPO, agentPods, debuggeeEnv, pluginEnv, startExt, stopChild } from "./support/ide-plugin.js";
import { startProgram } from "./support/programs.js";
import { NS, TARGET, copyPods, deploy, descendants, killLocal, processSnapshot, repairWorkload, sleep, waitFor } from "./support/queue-reader.js";

const STARTS = Number(process.env.MIRRORD_E2E_START_STRESS ?? 0);
const consumerProgram = path.join(REPO, "e2e/programs/queue-consumer.mjs");
const HANG_MS = 90_000;

let work: string;
let out: string;
let config: string;

function note(line: string): void {
  appendFileSync(path.join(out, "starts.log"), `${new Date().toISOString()} ${line}\n`);
}

/** Snapshot, the agents' logs and (if possible) core files of a hung session's processes, then kills them. */
async function dumpAndKill(label: string, root: number, extra: number[] = []): Promise<string> {
  const dir = path.join(out, label);
  mkdirSync(dir, { recursive: true });
  const logs = await kubectl(["logs", "-n", NS, "-l", AGENT_LABEL, "--all-containers", "--prefix", "--tail=200"]);
  writeFileSync(path.join(dir, "agent-logs.txt"), `${logs.stdout}\n${logs.stderr}`);
  const pids = [root, ...descendants(root), ...extra];
  const snapshot = [processSnapshot(root), ...extra.map((p) => processSnapshot(p))].join("\n");
  writeFileSync(path.join(dir, "processes.txt"), snapshot);
  for (const pid of pids) {
    try {
      execFileSync("gcore", ["-o", path.join(dir, "core"), String(pid)], { stdio: "ignore", timeout: 120_000 });
    } catch {
      // gcore missing or the process gone
    }
  }
  for (const pid of pids) killLocal(pid);
  return snapshot;
}

/** A core file the kernel wrote in `cwd` (core_pattern "core"): moved into the output folder. */
function collectCore(cwd: string, label: string): string | undefined {
  const core = path.join(cwd, "core");
  if (!existsSync(core)) return undefined;
  const to = path.join(out, `${label}.core`);
  renameSync(core, to);
  return to;
}

async function execStart(i: number): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, [CLI, "exec", "-f", config, "--", process.execPath, consumerProgram, "yes"], { cwd: work, env: { ...process.env, KUBECONFIG: KUBECONFIG_PATH }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let envReadAt = 0;
  const t0 = Date.now();
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (!envReadAt && /reading the target's environment/.test(stderr) && /environment[^\n]*done/.test(stderr)) envReadAt = Date.now();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
  const result = await Promise.race([exited, sleep(HANG_MS).then(() => undefined)]);
  if (!result) {
    const snapshot = await dumpAndKill(`hang-exec-${i}`, child.pid!);
    await exited;
    note(`start ${i} exec HUNG (env read ${envReadAt ? `${Date.now() - envReadAt} ms before` : "never"}):\n${stdout}\n${stderr}\n${snapshot}`);
    return "hang";
  }
  const core = collectCore(work, `exec-${i}`);
  const readyAt = /ready pid=/.test(stdout);
  const line = `start ${i} exec: exit ${result.code ?? result.signal} in ${Date.now() - t0} ms, env→exit ${envReadAt ? Date.now() - envReadAt : "?"} ms${core ? `, core ${core}` : ""}`;
  note(result.code === 0 && readyAt ? line : `${line}\n${stdout}\n${stderr}`);
  return result.code === 0 && readyAt ? "ok" : `exit ${result.code ?? result.signal}`;
}

async function extStart(i: number): Promise<string> {
  const t0 = Date.now();
  let started;
  try {
    started = await startExt(["-f", config], pluginEnv(), HANG_MS);
  } catch (error) {
    const core = collectCore(REPO, `ext-${i}`);
    note(`start ${i} ext FAILED to launch${core ? ` (core ${core})` : ""}: ${(error as Error).message}`);
    return core ? "ext crashed" : "ext failed";
  }
  const { call, launch } = started;
  const launchedAt = Date.now();
  const consumer = startProgram(process.execPath, [consumerProgram, "yes"], { env: debuggeeEnv(launch), cwd: work });
  const consumerDone = await Promise.race([consumer.exited.then((code) => ({ code })), sleep(HANG_MS).then(() => undefined)]);
  let verdict = "ok";
  if (!consumerDone) {
    const snapshot = await dumpAndKill(`hang-ext-${i}`, consumer.child.pid!, [call.child.pid!]);
    note(`start ${i} ext: debuggee HUNG ${HANG_MS} ms after the launch env:\n${consumer.stdout()}\n${consumer.stderr()}\n${snapshot}`);
    verdict = "hang";
  } else if (consumerDone.code !== 0) {
    note(`start ${i} ext: debuggee exit ${consumerDone.code}\n${consumer.stdout()}\n${consumer.stderr()}`);
    verdict = `debuggee exit ${consumerDone.code}`;
  }
  const extEnd = await Promise.race([call.exited, sleep(30_000).then(() => undefined)]);
  if (!extEnd) {
    note(`start ${i} ext did not end after its debuggee`);
    await stopChild(call.child, "SIGTERM");
  }
  const core = collectCore(REPO, `ext-${i}`);
  note(`start ${i} ext: launch ${launchedAt - t0} ms, debuggee ${verdict}, ext ${extEnd ? (extEnd.code ?? extEnd.signal) : "stopped"}${core ? `, core ${core}` : ""}${extEnd?.signal ? `\n${call.stderr()}` : ""}`);
  if (extEnd?.signal) return `ext ${extEnd.signal}`;
  return verdict;
}

(STARTS > 0 ? describe : describe.skip)(`scale-down session starts, ${STARTS} (MIRRORD_E2E_START_STRESS)`, function () {
  before(async function () {
    this.timeout(600_000);
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    work = mkdtempSync(path.join(tmpdir(), "mirrord-starts-"));
    out = process.env.MIRRORD_E2E_STRESS_DIR ?? mkdtempSync(path.join(tmpdir(), "mirrord-starts-out-"));
    mkdirSync(out, { recursive: true });
    config = path.join(work, "mirrord.json");
    writeFileSync(config, JSON.stringify({ target: { path: TARGET, namespace: NS }, feature: { copy_target: { scale_down: true } }, agent: { communication_timeout: 10 }, internal_proxy: { idle_timeout: 1, log_destination: path.join(out, "ext.log") } }));
    console.log(`      output in ${out}`);
    await repairWorkload();
  });
  after(async function () {
    this.timeout(120_000);
    await repairWorkload();
    await waitFor("no agent pod left", async () => (await agentPods()).length === 0, 60_000);
    rmSync(work, { recursive: true, force: true });
  });

  it("every start reaches the broker, none hangs or crashes", async function () {
    this.timeout(STARTS * 200_000);
    const results: Record<string, number> = {};
    for (let i = 1; i <= STARTS; i++) {
      const verdict = i % 2 ? await execStart(i) : await extStart(i);
      results[verdict] = (results[verdict] ?? 0) + 1;
      // Restored by the session's end; a hung or crashed one is repaired here.
      if (verdict !== "ok") await repairWorkload();
      await waitFor("the copy pod gone and the annotation removed", async () => (await copyPods()).length === 0 && !(await deploy()).annotation, 60_000);
    }
    console.log(`      ${JSON.stringify(results)} (log: ${path.join(out, "starts.log")})`);
    assert.deepEqual(results, { ok: STARTS });
  });
});

/**
 * Issue 11, acceptance 5 (the `ext` half): `copy_target.scale_down` started as mirrord's own
 * IDE plugins start a session (support/ide-plugin.ts plays their side: `mirrord ext` with the
 * plugin's env, NDJSON read line by line, the final message's JSON string decoded, the
 * debuggee launched with that environment while `ext` lives on), on the queue-reader
 * deployment (3 replicas) and the in-cluster broker:
 *  1. the local consumer takes every message published during the session and the cluster's
 *     readers none; it sees the target's env and reaches the broker by its cluster name; when
 *     the debuggee exits, ext ends the session and the workload is back;
 *  2. SIGKILL of `ext` (the plugin side dies), MIRRORD_E2E_SCALE_REPS times (default 20): the
 *     workload is back at 3 replicas within communication_timeout + 15 s, the copy pod is gone,
 *     and the cluster's readers consume again.
 * Every test leaves the workload as it found it, and no ext, debuggee or agent behind.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importAgentImage } from "./agent/agent-image.js";
import { REPO, agentPods, debuggeeEnv, pluginEnv, startExt, stopChild, type Launch, type PluginCall } from "./support/ide-plugin.js";
import { startProgram, type Running } from "./support/programs.js";
import { SCALE_REPETITIONS, NS, TARGET, broker, clusterConsumes, consumed, copyPods, deploy, killLocal, processSnapshot, publish, queueBroker, readerPods, repairWorkload, restored, sleep, waitFor } from "./support/queue-reader.js";

const consumerProgram = path.join(REPO, "e2e/programs/queue-consumer.mjs");
const TIMEOUT_S = 10;
const IDLE_S = 2;
const REPETITIONS = SCALE_REPETITIONS;

let work: string;
let config: string;
let logFile: string;
let failed = false;
const calls: PluginCall[] = [];
const debuggees: Running[] = [];
/** The session folders (layer socket, file copies) of the ext processes started here: a killed ext cannot remove its own. */
const sessionDirs: string[] = [];

interface ExtSession {
  call: PluginCall;
  launch: Launch;
  consumer: Running;
  consumerPid: number;
}

/** The last lines of the session log ext writes (internal_proxy.log_destination). */
function logTail(lines = 40): string {
  if (!existsSync(logFile)) return "(no session log)";
  return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
}

/** The plugin's flow: `ext`, then the debuggee with the env of its final message; resolves once the debuggee consumes. */
async function startExtSession(): Promise<ExtSession> {
  const { call, launch } = await startExt(["-f", config], pluginEnv());
  calls.push(call);
  const socket = launch.environment.MIRRORD_LAYER_SOCKET;
  assert.ok(socket, "the launch env names the session's layer socket");
  sessionDirs.push(path.dirname(socket));
  const consumer = startProgram(process.execPath, [consumerProgram], { env: debuggeeEnv(launch), cwd: work });
  debuggees.push(consumer);
  try {
    const ready = await consumer.waitFor(/ready pid=(\d+)/, 120_000);
    return { call, launch, consumer, consumerPid: Number(ready[1]) };
  } catch (error) {
    // A debuggee that never gets going: what it and ext are doing, then the session log.
    const snapshot = [consumer.child.pid, call.child.pid].filter((p): p is number => p !== undefined).map((p) => processSnapshot(p)).join("\n");
    throw new Error(`${(error as Error).message}\n--- ext ${call.child.exitCode ?? call.child.signalCode ?? "running"}\n${call.stderr()}\n--- processes\n${snapshot}\n--- session log\n${logTail()}`);
  }
}

/** Our processes first (ext, debuggees), then the workload and the session's objects. */
async function repair(): Promise<void> {
  for (const call of calls.splice(0)) await stopChild(call.child, "SIGKILL");
  for (const debuggee of debuggees.splice(0)) await stopChild(debuggee.child, "SIGKILL");
  for (const dir of sessionDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await repairWorkload();
  // The agent of a killed session exits after its communication_timeout.
  await waitFor("no agent pod left", async () => (await agentPods()).length === 0, (TIMEOUT_S + 30) * 1000);
}

describe("copy_target.scale_down through `mirrord ext` (issue 11, acceptance 5)", function () {
  this.timeout(300_000);

  before(async function () {
    this.timeout(600_000);
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    work = mkdtempSync(path.join(tmpdir(), "mirrord-scale-ext-"));
    config = path.join(work, "mirrord.json");
    logFile = path.join(work, "ext.log");
    writeFileSync(
      config,
      JSON.stringify({
        target: { path: TARGET, namespace: NS },
        feature: { copy_target: { scale_down: true } },
        agent: { communication_timeout: TIMEOUT_S },
        internal_proxy: { idle_timeout: IDLE_S, log_destination: logFile },
      }),
    );
    await repair();
  });
  afterEach(async function () {
    this.timeout(120_000);
    if (this.currentTest?.state === "failed") failed = true;
    await repair();
  });
  after(async function () {
    this.timeout(120_000);
    await repair();
    if (failed) console.log(`      the session log and configs are kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  });

  it("1: the debuggee takes every message published during the session, the cluster none; its exit restores the workload", async () => {
    await broker("/reset", "");
    const session = await startExtSession();
    const { call, launch } = session;
    // What the plugin saw: NDJSON only, no `Error: `, the scale-down said in an Info message.
    assert.deepEqual(call.violations, []);
    assert.deepEqual(call.errors, []);
    const infos = call.messages.filter((m): m is { type: "Info"; message: string } => (m as { type?: string }).type === "Info").map((m) => m.message);
    assert.ok(infos.some((m) => /^scaled deployment\/queue-reader 3 → 0; it will be restored when this session ends/.test(m)), JSON.stringify(infos));
    // The target's env is in the launch env and reaches the debuggee, which uses the broker's cluster name.
    const brokerUrl = `http://${queueBroker.name}.${NS}.svc.cluster.local:${queueBroker.port}`;
    assert.equal(launch.environment.QUEUE_BROKER_URL, brokerUrl);
    assert.match(session.consumer.stdout(), new RegExp(`ready pid=${session.consumerPid} broker=${brokerUrl.replaceAll(".", "\\.")}`));

    const d = await deploy();
    assert.equal(d.replicas, 0);
    assert.equal((JSON.parse(d.annotation!) as { replicas: number }).replicas, 3);
    await waitFor("the cluster's readers to be gone", async () => (await readerPods()).length === 0, 30_000);
    assert.equal((await copyPods()).length, 1, "one idle copy pod");

    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await publish(`ext-during-${i}`));
    await waitFor("all 10 messages consumed", async () => ids.every((id) => session.consumer.stdout().includes(`consumed id=${id} `)), 30_000);
    const byId = new Map((await consumed()).map((m) => [m.id, m.consumer]));
    for (const id of ids) assert.equal(byId.get(id), "local-consumer", `message ${id} went to ${byId.get(id)}`);

    // The debuggee ends (the user stops debugging): ext closes the session after idle_timeout.
    session.consumer.child.kill("SIGTERM");
    await session.consumer.exited;
    const t0 = Date.now();
    const { code, signal } = await Promise.race([call.exited, sleep((IDLE_S + 20) * 1000).then(() => ({ code: "still running", signal: null }))]);
    assert.equal(code, 0, `ext ended with ${code ?? signal}:\n${call.stderr()}\n${logTail()}`);
    const ms = await waitFor("restored after the debuggee exited", restored, (TIMEOUT_S + 15) * 1000 - (Date.now() - t0));
    console.log(`      ext exited ${((Date.now() - t0 - ms) / 1000).toFixed(1)} s after the debuggee; workload restored ${ms} ms after that`);
    assert.deepEqual(call.errors, []);
    assert.equal(existsSync(sessionDirs.at(-1)!), false, "ext removed its session folder");
    await clusterConsumes();
  });

  it(`2: SIGKILL of ext restores the workload from the cluster (${REPETITIONS} repetitions)`, async function () {
    this.timeout(REPETITIONS * 150_000);
    const times: number[] = [];
    for (let rep = 1; rep <= REPETITIONS; rep++) {
      const session = await startExtSession();
      assert.equal((await deploy()).replicas, 0);
      // The session works before it is killed: a message published now is the debuggee's.
      const id = await publish(`ext-kill-${rep}`);
      await waitFor(`message ${id} consumed by the debuggee`, async () => session.consumer.stdout().includes(`consumed id=${id} `), 30_000);
      assert.equal((await consumed()).find((m) => m.id === id)?.consumer, "local-consumer");

      session.call.child.kill("SIGKILL");
      const { signal } = await session.call.exited;
      const killedAt = Date.now();
      assert.equal(signal, "SIGKILL");
      // The debuggee outlives the plugin's ext; nothing on this machine restores the workload now.
      killLocal(session.consumerPid);
      await session.consumer.exited;
      assert.equal((await deploy()).replicas, 0, "only the restorer in the cluster brings it back");
      await waitFor(`restored after SIGKILL of ext (repetition ${rep})`, restored, (TIMEOUT_S + 15) * 1000 - (Date.now() - killedAt));
      times.push(Date.now() - killedAt);
      await clusterConsumes();
      await waitFor("the killed session's agent gone", async () => (await agentPods()).length === 0, (TIMEOUT_S + 30) * 1000);
    }
    console.log(`      restored after SIGKILL of ext (ms): ${JSON.stringify(times)}`);
    assert.equal(times.length, REPETITIONS);
  });
});

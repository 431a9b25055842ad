/**
 * `copy_target.scale_down` on the real cluster (issue 11), with the queue-reader deployment (3
 * replicas) and the in-cluster queue broker:
 *  1. a local consumer under `mirrord exec` takes every message published during the session,
 *     the cluster's readers none; it sees the target's env and reaches the broker by name;
 *  2. after a normal exit, SIGINT and SIGKILL of the CLI the workload is back at 3 replicas
 *     within communication_timeout + 15 s, the copy pod is gone, the cluster consumes again;
 *  3. an autoscaling/v2 HPA's bounds are restored as they were;
 *  4. a second session is refused with a sentence naming the first; `mirrord restore` repairs a
 *     workload whose session was killed and whose copy pod (and restorer) were deleted.
 * After every test the workload is put back (annotation removed, 3 replicas, no copy pods).
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importAgentImage } from "./agent/agent-image.js";
import { KUBECONFIG_PATH, kubectl } from "./cluster/index.js";
import { HPA, NS, SCALE_REPETITIONS, TARGET, broker, clusterConsumes, consumed, copyPods, deploy, descendants, k, killLocal, processSnapshot, queueBroker, queueReader, readerPods, repairWorkload, restored, sessionDirOf, sleep, waitFor } from "./support/queue-reader.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const cli = path.join(repo, "packages/core/dist/mirrord.js");
const consumerProgram = path.join(here, "programs/queue-consumer.mjs");
const TIMEOUT_S = 10;
const REPETITIONS = SCALE_REPETITIONS;

let work: string;
let config: string;
const started: ChildProcess[] = [];
const localPids: number[] = [];
/** Session folders of the CLIs started here: a killed CLI leaves its own behind. */
const sessionDirs: string[] = [];

const env = () => ({ ...process.env, KUBECONFIG: KUBECONFIG_PATH });

function mirrord(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  consumerPid: number;
  exited: Promise<number | null>;
}

/** `mirrord exec` with the scale-down config and the local consumer; resolves once it consumes. */
async function startSession(exitAfterReady = false, flags: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [cli, "exec", "-f", config, ...flags, "--", process.execPath, consumerProgram, ...(exitAfterReady ? ["yes"] : [])], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  let pid: number | undefined;
  while (!(pid = Number(/ready pid=(\d+)/.exec(stdout)?.[1])) ) {
    // A CLI killed by a signal has exitCode null: check signalCode too, or a crash looks like a hang.
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      // A start-up that hangs: what every process of the session is doing, before it is killed.
      const running = child.exitCode === null && child.signalCode === null;
      const snapshot = running ? `\n${processSnapshot(child.pid!)}` : "";
      const orphans = running ? descendants(child.pid!) : [];
      for (const orphan of orphans) {
        const dir = sessionDirOf(orphan);
        if (dir && !sessionDirs.includes(dir)) sessionDirs.push(dir);
      }
      child.kill("SIGKILL");
      for (const orphan of orphans) killLocal(orphan);
      throw new Error(`session did not start (exit ${child.exitCode ?? child.signalCode}):\n${stdout}\n${stderr}${snapshot}`);
    }
    await sleep(100);
  }
  localPids.push(pid);
  const dir = sessionDirOf(pid);
  if (dir) sessionDirs.push(dir);
  return { child, stdout: () => stdout, stderr: () => stderr, consumerPid: pid, exited };
}

/** Puts the workload back whatever happened: our own processes, then the cluster objects. */
async function repair(): Promise<void> {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const pid of localPids.splice(0)) killLocal(pid);
  for (const dir of sessionDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await repairWorkload();
}

describe("copy_target.scale_down on the real cluster", function () {
  this.timeout(300_000);

  before(async function () {
    this.timeout(600_000);
    await importAgentImage();
    work = mkdtempSync(path.join(tmpdir(), "mirrord-scale-"));
    config = path.join(work, "mirrord.json");
    writeFileSync(config, JSON.stringify({ target: { path: TARGET, namespace: NS }, feature: { copy_target: { scale_down: true } }, agent: { communication_timeout: TIMEOUT_S } }));
    await repair();
  });
  afterEach(async function () {
    this.timeout(120_000);
    await repair();
  });
  after(async function () {
    this.timeout(120_000);
    await repair();
    rmSync(work, { recursive: true, force: true });
  });

  it("1: a local consumer takes every message published during the session, the cluster none", async () => {
    await broker("/reset", "");
    const session = await startSession();
    assert.match(session.stderr(), /scaled deployment\/queue-reader 3 → 0; it will be restored when this session ends/);
    assert.match(session.stdout(), new RegExp(`broker=http://${queueBroker.name}\\.${NS}\\.svc\\.cluster\\.local:${queueBroker.port}`), "the target's env reaches the local process");
    const d = await deploy();
    assert.equal(d.replicas, 0);
    const record = JSON.parse(d.annotation!) as { replicas: number; sessionId: string; by: string; since: string; hpa: unknown };
    assert.equal(record.replicas, 3);
    assert.equal(record.hpa, null);
    await waitFor("the cluster's readers to be gone", async () => (await readerPods()).length === 0, 30_000);
    const copies = await copyPods();
    assert.equal(copies.length, 1, "one idle copy pod");
    // The copy is not behind the workload's selector (app label dropped), and it idles.
    const labels = JSON.parse(await k(["get", "pod", "-n", NS, copies[0]!, "-o", "jsonpath={.metadata.labels}"])) as Record<string, string>;
    assert.equal(labels.app, undefined);
    // The restorer may touch this one workload and its session's Lease, nothing else.
    const sa = `system:serviceaccount:${NS}:mirrord-ts-restore-${record.sessionId}`;
    const canI = async (...args: string[]) => (await kubectl(["auth", "can-i", "-n", NS, "--as", sa, ...args])).stdout.trim();
    assert.equal(await canI("update", `deployments/${queueReader.name}`), "yes");
    assert.equal(await canI("delete", `leases/mirrord-ts-scale-${record.sessionId}`), "yes");
    assert.equal(await canI("update", `deployments/${queueBroker.name}`), "no");
    assert.equal(await canI("delete", `pods/${copies[0]}`), "no");
    assert.equal(await canI("list", "deployments"), "no");
    const ls = await mirrord(["ls", "--verbose", "-n", NS, "-t", "deployment"]);
    const entry = (JSON.parse(ls.stdout) as { targets: { path: string; available: boolean; reason?: string }[] }).targets.find((t) => t.path === TARGET);
    assert.equal(entry?.available, false);
    assert.match(entry?.reason ?? "", new RegExp(`scaled down \\(3 → 0\\) by mirrord session ${record.sessionId} of .+ since ${record.since}`));

    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((JSON.parse(await broker("/publish", `during-${i}`)) as { id: number }).id);
    await waitFor("all 10 messages consumed", async () => ids.every((id) => session.stdout().includes(`consumed id=${id} `)), 30_000);
    const byId = new Map((await consumed()).map((m) => [m.id, m.consumer]));
    for (const id of ids) assert.equal(byId.get(id), "local-consumer", `message ${id} went to ${byId.get(id)}`);

    session.child.kill("SIGINT");
    assert.equal(await session.exited, 130);
    const ms = await waitFor("restored after SIGINT", restored, (TIMEOUT_S + 15) * 1000);
    console.log(`      restored ${ms} ms after the CLI exited`);
    assert.match(session.stderr(), /restored deployment\/queue-reader to 3 replicas/);
    await clusterConsumes();
  });

  it("1e: the same with the agent as an ephemeral container in the copy pod", async () => {
    await broker("/reset", "");
    const session = await startSession(false, ["--ephemeral-container"]);
    await waitFor("the cluster's readers to be gone", async () => (await readerPods()).length === 0, 30_000);
    const copies = await copyPods();
    const ephemeral = await k(["get", "pod", "-n", NS, copies[0]!, "-o", "jsonpath={.spec.ephemeralContainers[*].name}"]);
    assert.match(ephemeral, /mirrord-agent-/);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((JSON.parse(await broker("/publish", `eph-${i}`)) as { id: number }).id);
    await waitFor("all 5 messages consumed locally", async () => ids.every((id) => session.stdout().includes(`consumed id=${id} `)), 30_000);
    const byId = new Map((await consumed()).map((m) => [m.id, m.consumer]));
    for (const id of ids) assert.equal(byId.get(id), "local-consumer");
    session.child.kill("SIGINT");
    await session.exited;
    await waitFor("restored after SIGINT", restored, (TIMEOUT_S + 15) * 1000);
    await clusterConsumes();
  });

  it(`2: restored after a normal exit, SIGINT and SIGKILL of the CLI (${REPETITIONS} repetitions each)`, async function () {
    this.timeout(REPETITIONS * 150_000);
    const times: Record<string, number[]> = { normal: [], sigint: [], sigkill: [] };
    for (let rep = 0; rep < REPETITIONS; rep++) {
      for (const how of ["normal", "sigint", "sigkill"] as const) {
        const session = await startSession(how === "normal");
        if (/broker error/.test(session.stdout())) console.log(`      repetition ${rep + 1} ${how}: the first request failed: ${session.stdout().split("\n")[0]}`);
        assert.equal((await deploy()).replicas, 0);
        let endedAt: number;
        if (how === "normal") {
          assert.equal(await session.exited, 0);
          endedAt = Date.now();
        } else if (how === "sigint") {
          session.child.kill("SIGINT");
          await session.exited;
          endedAt = Date.now();
        } else {
          session.child.kill("SIGKILL");
          await session.exited;
          endedAt = Date.now();
          killLocal(session.consumerPid);
          // Nothing on this machine restores it now: only the restorer in the cluster.
          assert.equal((await deploy()).replicas, 0);
        }
        await waitFor(`restored after ${how} (repetition ${rep + 1})`, restored, (TIMEOUT_S + 15) * 1000);
        times[how]!.push(Date.now() - endedAt);
        await clusterConsumes();
      }
    }
    console.log(`      restore times (ms): ${JSON.stringify(times)}`);
  });

  it("3: an HPA's bounds are restored as they were (normal exit and SIGKILL)", async () => {
    const hpa = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: HPA, namespace: NS }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: queueReader.name }, minReplicas: 3, maxReplicas: 7, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }] } };
    const file = path.join(work, "hpa.json");
    writeFileSync(file, JSON.stringify(hpa));
    await k(["apply", "-f", file]);
    const bounds = async () => (await k(["get", "hpa", "-n", NS, HPA, "-o", "jsonpath={.spec.minReplicas}..{.spec.maxReplicas}"])).trim();
    for (const how of ["normal", "sigkill"] as const) {
      const session = await startSession(how === "normal");
      const record = JSON.parse((await deploy()).annotation!) as { hpa: { name: string; minReplicas: number; maxReplicas: number } };
      assert.deepEqual(record.hpa, { name: HPA, minReplicas: 3, maxReplicas: 7 });
      assert.match(session.stderr(), /HorizontalPodAutoscaler queue-reader-hpa 3\.\.7 recorded/);
      if (how === "normal") {
        assert.equal(await session.exited, 0);
      } else {
        assert.equal(await bounds(), "1..1", "pinned while the session runs");
        session.child.kill("SIGKILL");
        await session.exited;
        killLocal(session.consumerPid);
      }
      await waitFor(`restored after ${how}`, restored, (TIMEOUT_S + 15) * 1000);
      assert.equal(await bounds(), "3..7");
    }
  });

  it("4: a second session is refused naming the first; `mirrord restore` repairs a killed session's workload", async () => {
    const first = await startSession();
    const record = JSON.parse((await deploy()).annotation!) as { sessionId: string; by: string; since: string };
    const second = await mirrord(["exec", "-f", config, "--", process.execPath, consumerProgram, "yes"]);
    assert.equal(second.code, 1);
    assert.ok(second.stderr.includes(`mirrord: deployment/queue-reader is already scaled down by mirrord session ${record.sessionId} of ${record.by} since ${record.since}, so a second session cannot take it.`), second.stderr);
    assert.equal((await copyPods()).length, 1, "the refused session left nothing");
    // `mirrord restore` leaves a live session's workload alone.
    const early = await mirrord(["restore", TARGET, "-n", NS]);
    assert.equal(early.code, 1);
    assert.equal((await deploy()).replicas, 0);

    // Kill the first session and delete what it had in the cluster (its Lease owns the copy pod
    // and the restorer): only the annotation is left.
    first.child.kill("SIGKILL");
    await first.exited;
    killLocal(first.consumerPid);
    await k(["delete", "lease", "-n", NS, `mirrord-ts-scale-${record.sessionId}`, "--cascade=foreground", "--wait=true"]);
    await waitFor("the copy pod gone", async () => (await copyPods()).length === 0, 30_000);
    await sleep((TIMEOUT_S + 5) * 1000);
    assert.equal((await deploy()).replicas, 0, "nothing else restores it");

    const repaired = await mirrord(["restore", TARGET, "-n", NS]);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stderr, /restored deployment\/queue-reader to 3 replicas/);
    await waitFor("restored by `mirrord restore`", restored, 30_000);
    await clusterConsumes();
    const again = await mirrord(["restore", "-n", NS]);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /no workload in namespace mirrord-e2e is scaled down by mirrord/);
  });

  it("4b: a new session restores a stale record (killed session, objects deleted) before scaling down", async () => {
    const first = await startSession();
    const record = JSON.parse((await deploy()).annotation!) as { sessionId: string };
    first.child.kill("SIGKILL");
    await first.exited;
    killLocal(first.consumerPid);
    await k(["delete", "lease", "-n", NS, `mirrord-ts-scale-${record.sessionId}`, "--cascade=foreground", "--wait=true"]);
    const second = await startSession();
    assert.match(second.stderr(), new RegExp(`restored deployment/queue-reader to 3 replicas, left scaled down by session ${record.sessionId}`));
    const now = JSON.parse((await deploy()).annotation!) as { sessionId: string; replicas: number };
    assert.notEqual(now.sessionId, record.sessionId);
    assert.equal(now.replicas, 3, "the new record has the original count, not 0");
    second.child.kill("SIGINT");
    await second.exited;
    await waitFor("restored", restored, (TIMEOUT_S + 15) * 1000);
  });
});

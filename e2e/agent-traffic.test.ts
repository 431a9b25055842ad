/**
 * Incoming mirror under load and pause of a queue consumer on the real cluster, through core's
 * API (issue 4, acceptance 4 and 5): 1,000 requests from another pod to the echo Service all
 * get the pod's own answers while the session's mirror receives a copy of every one; a paused
 * queue-reader replica consumes nothing (seen from the host: its process is stopped by the job
 * agent, its cgroup frozen by the ephemeral one) while the other replicas do, consumes again
 * after resume, and is thawed when the session closes without resuming it. Both spawn modes;
 * an ephemeral agent without the SYS_ADMIN that `pause` asks for refuses a pause with a sentence.
 */
import assert from "node:assert/strict";
import { openCluster, recordingProgress, startAgentSession, type AgentSession, type Cluster } from "@mirrord-ts/core";
import { importAgentImage } from "./agent/agent-image.js";
import { KUBECONFIG_PATH, WORKLOADS } from "./cluster/index.js";
import { agentLeftovers, agentProcesses, configFor, containerMainPid, deleteSessionJobs, podNames, isPaused, shInAnotherPod, sleep, waitFor } from "./support/agent-helpers.js";

const { echo, queueBroker, queueReader } = WORKLOADS;
const broker = `http://${queueBroker.name}:${queueBroker.port}`;

interface Consumed {
  id: number;
  body: string;
  consumer: string;
}

async function consumed(): Promise<Consumed[]> {
  const result = await shInAnotherPod(`timeout 5 wget -qO- ${broker}/consumed`, 20_000);
  if (result.code !== 0) throw new Error(`GET /consumed failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Consumed[];
}

/** Publishes `count` messages `${tag}-<i>`, `gapMs` apart; resolves to the bodies. */
async function publish(tag: string, count: number, gapMs: number): Promise<string[]> {
  const sleepCmd = gapMs > 0 ? `sleep ${(gapMs / 1000).toFixed(2)};` : "";
  const result = await shInAnotherPod(`for i in $(seq 1 ${count}); do timeout 5 wget -qO- --post-data "${tag}-$i" ${broker}/publish >/dev/null || exit 1; ${sleepCmd} done`, 60_000);
  if (result.code !== 0) throw new Error(`publishing failed: ${result.stderr}`);
  return Array.from({ length: count }, (_, i) => `${tag}-${i + 1}`);
}

/** Waits until every body was consumed; resolves to body → consumer. */
async function consumersOf(bodies: string[], timeoutMs = 30_000): Promise<Map<string, string>> {
  let byBody = new Map<string, string>();
  await waitFor(`${bodies.length} messages to be consumed`, async () => {
    byBody = new Map((await consumed()).filter((m) => bodies.includes(m.body)).map((m) => [m.body, m.consumer]));
    return byBody.size === bodies.length;
  }, timeoutMs, 1000);
  return byBody;
}

describe("agent traffic: mirror under load, pause", function () {
  this.timeout(240_000);
  let cluster: Cluster;
  const sessions: AgentSession[] = [];
  const sessionIds: string[] = [];
  const touchedPods: { pod: string; container: string }[] = [];

  before(async function () {
    this.timeout(600_000);
    await importAgentImage();
    cluster = openCluster({ kubeconfig: KUBECONFIG_PATH, env: {} });
    touchedPods.push(...(await podNames(echo.name)).map((pod) => ({ pod, container: echo.container })));
    touchedPods.push(...(await podNames(queueReader.name)).map((pod) => ({ pod, container: queueReader.container })));
  });

  async function start(id: string, target: string, ephemeral: boolean, extra: Record<string, unknown> = {}): Promise<AgentSession> {
    const sessionId = `e2e-traffic-${id}-${Date.now().toString(36)}`;
    sessionIds.push(sessionId);
    const session = await startAgentSession({ cluster, config: configFor(target, { ephemeral }, extra), progress: recordingProgress(), sessionId });
    sessions.push(session);
    return session;
  }

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });

  after(async function () {
    this.timeout(120_000);
    for (const id of sessionIds) await deleteSessionJobs(id);
    // Ephemeral agents exit one communication_timeout (10 s) after their session closed.
    let left: string[] = [];
    await waitFor("no agent left", async () => (left = await agentLeftovers(touchedPods)).length === 0, 40_000, 1000).catch(() => undefined);
    assert.deepEqual(left, [], "agents left behind");
  });

  for (const mode of ["job", "ephemeral"] as const) {
    describe(`${mode} mode`, () => {
      it("mirror: 1,000 requests from another pod all get the pod's answers and the session gets a copy of each", async () => {
        const [pod] = await podNames(echo.name);
        const session = await start(`mirror-${mode}`, `deployment/${echo.name}`, mode === "ephemeral");
        const bytes = new Map<number, Buffer[]>();
        let connections = 0;
        let closes = 0;
        const mirror = await session.connection.mirror(echo.port, (message) => {
          if (message.message === "connection" && message.connection) {
            connections++;
            bytes.set(message.connection.connectionId, []);
          } else if (message.message === "data" && message.data) {
            const list = bytes.get(message.data.connectionId) ?? [];
            list.push(message.data.data);
            bytes.set(message.data.connectionId, list);
          } else if (message.message === "closed") closes++;
        });
        const tag = `m${mode[0]}${Date.now().toString(36)}`;
        const started = Date.now();
        try {
          // 4 loops of 250 requests at once, each on its own connection (busybox wget), bounded by `timeout`.
          const script = `for l in 1 2 3 4; do ( for i in $(seq 1 250); do n=$(( (l-1)*250 + i )); timeout 10 wget -qO- http://${echo.name}/${tag}/$n || echo "FAILED $n"; echo; done ) & done; wait`;
          const result = await shInAnotherPod(script, 170_000);
          const sentMs = Date.now() - started;
          const answers = result.stdout.split("\n").filter((line) => line.trim() !== "");
          const failures = answers.filter((line) => line.startsWith("FAILED"));
          assert.deepEqual(failures, [], `requests failed: ${result.stderr.slice(0, 400)}`);
          const answered = new Set<number>();
          for (const line of answers) {
            const answer = JSON.parse(line) as { pod: string; path: string };
            assert.equal(answer.pod, pod, "answered by the echo pod itself");
            answered.add(Number(answer.path.split("/")[2]));
          }
          assert.equal(answered.size, 1000, "1,000 distinct answers");
          // Every copy, as bytes per connection: count the request lines.
          const copied = new Set<number>();
          await waitFor("copies of 1,000 requests", async () => {
            copied.clear();
            for (const chunks of bytes.values()) {
              for (const match of Buffer.concat(chunks).toString("latin1").matchAll(new RegExp(`GET /${tag}/(\\d+) HTTP/1\\.1`, "g"))) copied.add(Number(match[1]));
            }
            return copied.size === 1000;
          }, 20_000).catch(() => undefined);
          console.log(`      mirror (${mode}): 1,000 requests in ${sentMs} ms from another pod; ${connections} connections, ${closes} closes and ${copied.size} requests copied`);
          assert.equal(copied.size, 1000, `copies of ${copied.size} of 1,000 requests`);
        } finally {
          mirror.cancel();
        }
      });

      if (mode === "ephemeral") {
        it("pause without `pause` in the config: the ephemeral agent (no SYS_ADMIN) refuses with a sentence instead of claiming a pause", async () => {
          const [target] = await podNames(queueReader.name);
          const pid = await containerMainPid(target!, queueReader.container);
          const session = await start(`nopause-${mode}`, `pod/${target}`, true);
          await assert.rejects(session.connection.pause(true), /cannot pause the target: mounting the freezer cgroup hierarchy failed .*CAP_SYS_ADMIN.*agent\.ephemeral: false/);
          assert.equal(isPaused(pid), false);
        });
      }
      it("pause: the paused queue-reader replica consumes nothing, consumes again after resume, and is thawed when the session closes", async () => {
        const readers = await podNames(queueReader.name);
        assert.equal(readers.length, queueReader.replicas);
        const target = readers[0]!;
        const pid = await containerMainPid(target, queueReader.container);
        // `pause: true` in the config is what gives an ephemeral agent the SYS_ADMIN its freezer needs.
        const session = await start(`pause-${mode}`, `pod/${target}`, mode === "ephemeral", { pause: true });
        const tag = `p${mode[0]}${Date.now().toString(36)}`;

        assert.equal(await session.connection.pause(true), true);
        assert.equal(isPaused(pid), true, "the reader's process is stopped");
        // A request in flight at the moment of the freeze may still be dequeued for it; only new messages count.
        await sleep(1000);
        const whilePaused = await consumersOf(await publish(`${tag}-paused`, 20, 100));
        const byTarget = [...whilePaused].filter(([, consumer]) => consumer === target);
        assert.deepEqual(byTarget, [], "the paused replica consumed nothing");
        assert.equal(isPaused(pid), true, "still stopped");
        console.log(`      pause (${mode}): 20 messages while paused, consumed by ${[...new Set(whilePaused.values())].join(", ")}`);

        assert.equal(await session.connection.pause(false), false);
        assert.equal(isPaused(pid), false);
        let resumedAfter = 0;
        await waitFor("the resumed replica to consume", async () => {
          const bodies = await publish(`${tag}-resumed-${resumedAfter}`, 10, 50);
          resumedAfter += 10;
          return [...(await consumersOf(bodies))].some(([, consumer]) => consumer === target);
        }, 60_000, 0);
        console.log(`      pause (${mode}): the resumed replica consumed again within ${resumedAfter} messages`);

        // Paused again and the session closed without resuming: the agent continues it.
        assert.equal(await session.connection.pause(true), true);
        assert.equal(isPaused(pid), true);
        await session.close();
        await waitFor("the reader to be thawed after the session closed", async () => !isPaused(pid), 20_000, 200);
        let thawedAfter = 0;
        await waitFor("the thawed replica to consume", async () => {
          const bodies = await publish(`${tag}-thawed-${thawedAfter}`, 10, 50);
          thawedAfter += 10;
          return [...(await consumersOf(bodies))].some(([, consumer]) => consumer === target);
        }, 60_000, 0);
      });

      it("pause: a reader left paused by an agent SIGKILLed with both its processes is released by the next agent on the pod", async () => {
        const [target] = await podNames(queueReader.name);
        const pid = await containerMainPid(target!, queueReader.container);
        const first = await start(`orphan-${mode}`, `pod/${target}`, mode === "ephemeral", { pause: true });
        assert.equal(await first.connection.pause(true), true);
        assert.equal(isPaused(pid), true);
        let pids: number[] = [];
        await waitFor("the agent's guard and worker on the host", async () => (pids = agentProcesses(first.agent.agentId).map((p) => p.pid)).length === 2, 10_000, 200);
        for (const p of pids) process.kill(p, "SIGSTOP");
        for (const p of pids) process.kill(p, "SIGKILL");
        await waitFor("the killed agent's processes to be gone", async () => agentProcesses(first.agent.agentId).length === 0, 10_000, 200);
        await first.close();
        assert.equal(isPaused(pid), true, "the killed agent left the reader paused");
        const started = Date.now();
        await start(`orphan-next-${mode}`, `pod/${target}`, mode === "ephemeral", { pause: true });
        await waitFor("the next agent to release the reader", async () => !isPaused(pid), 10_000, 200);
        console.log(`      pause (${mode}): the next agent released the orphaned pause ${Date.now() - started} ms after its session was asked for`);
      });
    });
  }
});

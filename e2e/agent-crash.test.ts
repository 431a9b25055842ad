/**
 * Crash safety of the agent on the real cluster (issue 4, acceptance 7), both spawn modes:
 *  (a) the client process is SIGKILLed while it steals with a filter: within
 *      communication_timeout + 10 s no agent pod, container or process runs and the echo pod's
 *      network namespace (entered from the host) holds no MIRRORD_TS_ rule, while the pod
 *      answers every request from another pod throughout;
 *  (b) the agent itself (guard and worker, found on the host) is SIGKILLed while it steals: its
 *      chains stay behind, but its steal gate (an NFQUEUE with --queue-bypass) died with it, so
 *      they let every connection through to the app; the next agent on that pod removes them
 *      at start; the pod answers every request throughout.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openCluster, recordingProgress, startAgentSession, type AgentSession, type Cluster } from "@mirrord-ts/core";
import { importAgentImage } from "./agent/agent-image.js";
import { KUBECONFIG_PATH, WORKLOADS } from "./cluster/index.js";
import {
  type Polled, agentLeftovers, agentPodsRunning, agentProcesses, configFor, deleteSessionJobs, ephemeralAgentsRunning, getFromAnotherPod, mirrordRules, podNames, pollEcho, sleep, waitFor,
} from "./support/agent-helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const { echo } = WORKLOADS;
const COMMUNICATION_TIMEOUT_S = 10;

/** Starts support/session-child.ts and resolves once it steals; rejects (and kills it) when it does not within 90 s. */
function startChild(mode: string, sessionId: string): Promise<{ child: ChildProcess; agentId: string; pod: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "support/session-child.ts"), mode, sessionId], { cwd: here, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the session child did not start within 90 s: ${stdout}\n${stderr}`));
    }, 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the session child exited (${code}): ${stdout}\n${stderr}`));
    });
    child.stdout!.on("data", () => {
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      const ready = JSON.parse(line) as { agentId: string; pod: string };
      resolve({ child, ...ready });
    });
  });
}

/** The agent's node processes on the host (guard and worker), waiting for both to appear. */
async function guardAndWorker(agentId: string): Promise<number[]> {
  let pids: number[] = [];
  await waitFor(`guard and worker of agent ${agentId} on the host`, async () => (pids = agentProcesses(agentId).map((p) => p.pid)).length === 2, 10_000, 200);
  return pids;
}

describe("agent crash safety", function () {
  this.timeout(240_000);
  let cluster: Cluster;
  let pod: string;
  const sessionIds: string[] = [];
  const children: ChildProcess[] = [];
  const sessions: AgentSession[] = [];

  before(async function () {
    this.timeout(600_000);
    await importAgentImage();
    cluster = openCluster({ kubeconfig: KUBECONFIG_PATH, env: {} });
    const [first] = await podNames(echo.name);
    assert.ok(first, "an echo pod runs");
    pod = first;
    assert.deepEqual(await mirrordRules(pod, echo.container), [], "no rule of ours before the suite");
  });

  afterEach(async function () {
    this.timeout(60_000);
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const session of sessions.splice(0)) await session.close();
  });

  after(async function () {
    this.timeout(120_000);
    for (const id of sessionIds) await deleteSessionJobs(id);
    let left: string[] = [];
    await waitFor("no agent left", async () => (left = await agentLeftovers([{ pod, container: echo.container }])).length === 0, 40_000, 1000).catch(() => undefined);
    assert.deepEqual(left, [], "agents left behind");
  });

  for (const mode of ["job", "ephemeral"] as const) {
    describe(`${mode} mode`, () => {
      it(`kill -9 of the client: no agent and no rule after communication_timeout + 10 s, the pod answering throughout`, async () => {
        const poller = pollEcho(`crash-client-${mode}`);
        let stopped = false;
        try {
          const sessionId = `e2e-crash-client-${mode}-${Date.now().toString(36)}`;
          sessionIds.push(sessionId);
          const { child, agentId, pod: targetPod } = await startChild(mode, sessionId);
          children.push(child);
          assert.equal(targetPod, pod);
          assert.equal(await getFromAnotherPod("/to-child", { "x-mirrord-crash": "yes" }), "stolen by child /to-child");
          const rules = await mirrordRules(pod, echo.container, agentId);
          assert.ok(rules.length > 0, "the agent's rules are in the pod's namespace while it steals");
          assert.equal((await guardAndWorker(agentId)).length, 2);

          const killedAt = Date.now();
          process.kill(child.pid!, "SIGKILL");
          await new Promise((resolve) => child.once("exit", resolve));
          let state = "";
          await waitFor(`the agent to be gone within communication_timeout + 10 s`, async () => {
            const pods = mode === "job" ? await agentPodsRunning() : [];
            const containers = mode === "ephemeral" ? await ephemeralAgentsRunning(pod) : [];
            const processes = agentProcesses(agentId);
            const left = await mirrordRules(pod, echo.container);
            state = JSON.stringify({ pods, containers, processes: processes.map((p) => p.pid), rules: left });
            return pods.length + containers.length + processes.length + left.length === 0;
          }, (COMMUNICATION_TIMEOUT_S + 10) * 1000, 500).catch((error: Error) => {
            throw new Error(`${error.message}; still there: ${state}`);
          });
          const goneMs = Date.now() - killedAt;
          await sleep(1500); // a few more polls after the agent is gone
          const polled = await poller.stop();
          stopped = true;
          console.log(`      ${mode}: agent, its pod/container and its rules gone ${goneMs} ms after the client's SIGKILL (communication_timeout ${COMMUNICATION_TIMEOUT_S} s); ${polled.ok} polls answered by the pod, ${polled.failed.length} failed`);
          assert.deepEqual(polled.failed.map((f) => f.what), [], "the pod answered every request throughout");
          assert.ok(polled.ok >= 10, `only ${polled.ok} polls`);
        } finally {
          if (!stopped) await poller.stop();
        }
      });

      it("SIGKILL of the agent's guard and worker while it steals: the pod answers throughout, and the next agent removes the stale rules", async () => {
        const sessionId = `e2e-crash-agent-${mode}-${Date.now().toString(36)}`;
        sessionIds.push(sessionId);
        const first = await startAgentSession({ cluster, config: configFor(`deployment/${echo.name}`, { ephemeral: mode === "ephemeral" }), progress: recordingProgress(), sessionId });
        sessions.push(first);
        const oldId = first.agent.agentId;
        await first.connection.steal(
          echo.port,
          { onRequest: (request) => ({ status: 200, headers: [], body: Buffer.from(`stolen ${request.path}`), trailers: [] }) },
          { headerRegex: "^x-mirrord-crash: yes$", pathRegex: "" },
        );
        assert.equal(await getFromAnotherPod("/before-kill", { "x-mirrord-crash": "yes" }), "stolen /before-kill");
        assert.match(await getFromAnotherPod("/before-kill-unmatched"), /"path":"\/before-kill-unmatched"/);

        // Polls without the header: through the agent to the app while it lives, then straight to the app.
        const poller = pollEcho(`crash-agent-${mode}`);
        let polled: Polled | undefined;
        try {
          await sleep(1000);
          // Stop both first so neither can clean up after the other, then kill both.
          const pids = await guardAndWorker(oldId);
          for (const pid of pids) process.kill(pid, "SIGSTOP");
          for (const pid of pids) process.kill(pid, "SIGKILL");
          const killedAt = Date.now();
          await waitFor("the killed agent's processes to be gone", async () => agentProcesses(oldId).length === 0, 10_000, 200);
          const stale = await mirrordRules(pod, echo.container, oldId);
          assert.ok(stale.some((rule) => rule.includes("REDIRECT")), `the killed agent's redirect stays behind: ${stale.join("\n")}`);
          assert.ok(stale.some((rule) => rule.includes("NFQUEUE") && rule.includes("--queue-bypass")), `the killed agent's rules are gated: ${stale.join("\n")}`);
          // Its gate is gone, so its leftover rules send even a matching request to the app.
          assert.match(await getFromAnotherPod("/stale-gap", { "x-mirrord-crash": "yes" }), /"path":"\/stale-gap"/);
          await sleep(2000);
          await first.close();

          const nextId = `e2e-crash-next-${mode}-${Date.now().toString(36)}`;
          sessionIds.push(nextId);
          const next = await startAgentSession({ cluster, config: configFor(`deployment/${echo.name}`, { ephemeral: mode === "ephemeral" }), progress: recordingProgress(), sessionId: nextId });
          sessions.push(next);
          const sweptAfterMs = Date.now() - killedAt;
          assert.deepEqual(await mirrordRules(pod, echo.container, oldId), [], "the next agent removed the stale chains");
          assert.deepEqual(await mirrordRules(pod, echo.container), [], "no rule of any agent (the new one steals nothing yet)");
          assert.match(await getFromAnotherPod("/after-sweep"), /"path":"\/after-sweep"/);
          // The new agent steals and releases normally on the same port.
          const steal = await next.connection.steal(echo.port, { onRequest: () => ({ status: 200, headers: [], body: Buffer.from("stolen by the next agent"), trailers: [] }) }, { headerRegex: "^x-mirrord-crash: yes$", pathRegex: "" });
          assert.equal(await getFromAnotherPod("/next", { "x-mirrord-crash": "yes" }), "stolen by the next agent");
          steal.cancel();
          // Its chains stay until it exits (the suite's leftover check covers that); the redirect goes with the steal.
          await waitFor("the next agent's redirect to go with its steal", async () => (await mirrordRules(pod, echo.container)).filter((rule) => rule.includes("REDIRECT")).length === 0, 10_000);
          await sleep(1000);
          polled = await poller.stop();
          const afterKill = polled.okAt.filter((at) => at >= killedAt).length;
          console.log(`      ${mode}: stale rules of ${oldId} (${stale.length} lines) removed by the next agent ${sweptAfterMs} ms after the kill; ${polled.ok} polls answered by the pod (${afterKill} after the kill), ${polled.failed.length} failed`);
          assert.deepEqual(polled.failed.map((f) => f.what), [], "the pod answered every request throughout");
          assert.ok(afterKill >= 10, `only ${afterKill} polls after the kill`);
        } finally {
          if (!polled) await poller.stop();
        }
      });
    });
  }
});

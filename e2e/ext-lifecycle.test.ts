/**
 * Issue 10, acceptance 3: the session `ext` starts is gone — agent pod, port-forward (it lives
 * in the ext process), the agent's iptables rules in the target's network namespace — within
 * 30 s after the debuggee exits; within the start-up timeout when nothing ever connects; and
 * within 30 s after `ext` is SIGKILLed (the agent notices after communication_timeout = 10 s).
 * Each case steals a port first, so there are rules to remove.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importAgentImage } from "./agent/agent-image.js";
import { WORKLOADS } from "./cluster/index.js";
import { REPO, agentChainsInEcho, agentPods, debuggeeEnv, pluginEnv, sleep, startExt, stopChild, waitForNoSession } from "./support/ide-plugin.js";
import { FILTER_HEADER, clusterGet, startProgram, stealConfig, type Running } from "./support/programs.js";

const { echo } = WORKLOADS;
const probe = path.join(REPO, "e2e/programs/probe.py");
const EXT_ENV = { MIRRORD_IGNORE_DEBUGGER_PORTS: "45000-65535", MIRRORD_DETECT_DEBUGGER_PORT: "debugpy" };

let work: string;

function config(name: string, internalProxy: Record<string, number>): string {
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(stealConfig({ internal_proxy: internalProxy })));
  return file;
}

/** A debuggee that steals echo's port, proven by a stolen request; the agent's chains exist then. */
async function stealingDebuggee(launchEnv: NodeJS.ProcessEnv): Promise<Running> {
  const program = startProgram("python3", [probe, "serve", String(echo.port)], { env: launchEnv, cwd: work });
  try {
    await program.waitFor(/^serving$/m);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = JSON.parse(await clusterGet("/stolen", { [FILTER_HEADER]: "yes" })) as { from?: string };
      if (answer.from === "local-python") break;
      if (Date.now() > deadline) throw new Error(`never stolen: ${JSON.stringify(answer)}`);
      await sleep(500);
    }
    assert.ok(agentChainsInEcho().length > 0, "the agent redirects the port with its own chains");
    assert.equal((await agentPods()).length, 1);
    return program;
  } catch (error) {
    program.child.kill("SIGKILL");
    throw error;
  }
}

function exitedWithin(child: { exitCode: number | null; signalCode: NodeJS.Signals | null; once: (e: "close", f: () => void) => void }, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe("the session ext starts ends by itself (issue 10, acceptance 3)", function () {
  this.timeout(240_000);

  before(async function () {
    this.timeout(900_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-ext-lifecycle-"));
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    await waitForNoSession(60_000);
  });

  // A case that failed half-way may leave an agent until its communication_timeout.
  beforeEach(async function () {
    this.timeout(90_000);
    await waitForNoSession(60_000);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("gone within 30 s after the debuggee exits (idle_timeout grace included)", async () => {
    const { call, launch } = await startExt(["-f", config("exits", { idle_timeout: 5 })], pluginEnv(EXT_ENV));
    let program: Running | undefined;
    try {
      program = await stealingDebuggee(debuggeeEnv(launch));
      program.child.kill("SIGTERM");
      await program.exited;
      const t0 = Date.now();
      assert.ok(await exitedWithin(call.child, 30_000), "ext exits once its debuggee is gone");
      assert.equal(existsSync(path.join(tmpdir(), `mirrord-ext-${call.child.pid}.log`)), false, "a clean end removes ext's default log file");
      const gone = await waitForNoSession(30_000 - (Date.now() - t0));
      console.log(`      ext exited and the session was gone ${((Date.now() - t0) / 1000).toFixed(1)} s after the debuggee (cluster clean ${gone} ms after ext)`);
      assert.match(await clusterGet("/after", { [FILTER_HEADER]: "yes" }), /"pod":"echo-/, "the pod answers again");
      assert.deepEqual(call.errors, []);
      assert.deepEqual(call.violations, []);
    } finally {
      if (program) await stopChild(program.child);
      await stopChild(call.child);
      await waitForNoSession(30_000);
    }
  });

  it("gone within the start-up timeout when nothing ever connects", async () => {
    const startIdle = 8;
    const { call } = await startExt(["-f", config("never", { start_idle_timeout: startIdle })], pluginEnv(EXT_ENV));
    try {
      const t0 = Date.now();
      assert.equal((await agentPods()).length, 1, "the session runs meanwhile");
      assert.ok(await exitedWithin(call.child, startIdle * 1000 + 5_000), `ext ends ${startIdle} s after its final message`);
      await waitForNoSession(startIdle * 1000 + 10_000 - (Date.now() - t0));
      console.log(`      gone ${((Date.now() - t0) / 1000).toFixed(1)} s after the final message (start_idle_timeout ${startIdle} s)`);
      assert.equal(call.child.exitCode, 0);
      assert.deepEqual(call.errors, []);
    } finally {
      await stopChild(call.child);
      await waitForNoSession(30_000);
    }
  });

  it("gone within 30 s after ext gets SIGKILL (the agent exits after communication_timeout)", async () => {
    const { call, launch } = await startExt(["-f", config("killed", {})], pluginEnv(EXT_ENV));
    let program: Running | undefined;
    try {
      program = await stealingDebuggee(debuggeeEnv(launch));
      const t0 = Date.now();
      call.child.kill("SIGKILL");
      await call.exited;
      await waitForNoSession(30_000);
      console.log(`      agent and its chains gone ${((Date.now() - t0) / 1000).toFixed(1)} s after SIGKILL`);
      assert.match(await clusterGet("/after-kill", { [FILTER_HEADER]: "yes" }), /"pod":"echo-/, "the pod answers again");
    } finally {
      if (program) await stopChild(program.child, "SIGKILL");
      await stopChild(call.child, "SIGKILL");
      await waitForNoSession(60_000);
    }
  });
});

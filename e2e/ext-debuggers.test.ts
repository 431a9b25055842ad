/**
 * Issue 10, acceptance 2: the environment `ext` prints, applied as mirrord's VS Code extension
 * applies it, to a Python program under debugpy and to a Node program with --inspect. Each
 * reaches the echo Service by name, sees ECHO_ONLY_VAR and receives stolen requests, while its
 * debugger port keeps working: a DAP client attaches to debugpy (its port is found in argv
 * through MIRRORD_DETECT_DEBUGGER_PORT=debugpy, outside the ignored range on purpose) and a CDP
 * client evaluates 1+1 over Node's inspector WebSocket (a port in MIRRORD_IGNORE_DEBUGGER_PORTS).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importAgentImage } from "./agent/agent-image.js";
import { WORKLOADS } from "./cluster/index.js";
import { CdpClient, DapClient } from "./support/debug-clients.js";
import { ensureDebugpy, venvPython } from "./support/debuggers.js";
import { REPO, debuggeeEnv, pluginEnv, startExt, stopChild, waitForNoSession } from "./support/ide-plugin.js";
import { FILTER_HEADER, SERVICE_URL, clusterGet, freePort, startProgram, stealConfig, type Running } from "./support/programs.js";

const { echo } = WORKLOADS;
const programs = path.join(REPO, "e2e/programs");
/** What the plugin sets for every debugger type. */
const IGNORED = "45000-65535";

let work: string;

/** The checks every debuggee passes: GET by name, the target's env, a stolen request; the pod answers the rest. */
async function assertSessionWorks(program: Running, from: string): Promise<void> {
  const first = JSON.parse((await program.waitFor(/^\{.*\}$/m, 60_000))[0]) as { get: string; env: string };
  assert.match(first.get, /"path":"\/from-local"/, "GET by the Service's name answered through the pod");
  assert.match(first.get, new RegExp(`"pod":"${echo.name}-`));
  assert.equal(first.env, echo.onlyVar[1], "the target container's env var");
  await program.waitFor(/^serving$/m, 30_000);
  const deadline = Date.now() + 30_000;
  let stolen: { from?: string; path?: string } = {};
  // The steal subscription follows the program's listen: retry briefly until it is in place.
  while (Date.now() < deadline) {
    stolen = JSON.parse(await clusterGet("/stolen", { [FILTER_HEADER]: "yes" })) as typeof stolen;
    if (stolen.from === from) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(stolen.from, from, "a request with the filter header is stolen");
  assert.equal(stolen.path, "/stolen");
  assert.match(await clusterGet("/not-stolen"), /"path":"\/not-stolen"/, "the pod answers the rest");
}

describe("ext's environment under real debuggers (issue 10, acceptance 2)", function () {
  this.timeout(240_000);

  before(async function () {
    this.timeout(900_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-ext-debuggers-"));
    ensureDebugpy();
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    await waitForNoSession(60_000);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("Python under debugpy: cluster by name, env, stolen requests; a DAP client attaches and lists threads", async () => {
    const config = path.join(work, "python.json");
    writeFileSync(config, JSON.stringify(stealConfig()));
    const { call, launch } = await startExt(["-f", config], pluginEnv({ MIRRORD_IGNORE_DEBUGGER_PORTS: IGNORED, MIRRORD_DETECT_DEBUGGER_PORT: "debugpy" }));
    let program: Running | undefined;
    let dap: DapClient | undefined;
    try {
      // Outside the ignored range: only MIRRORD_DETECT_DEBUGGER_PORT keeps it away from the steal.
      const port = await freePort(20_000, 40_000);
      program = startProgram(venvPython, ["-m", "debugpy", "--listen", `127.0.0.1:${port}`, "--wait-for-client", path.join(programs, "debuggee.py"), SERVICE_URL, echo.onlyVar[0], String(echo.port)], { env: debuggeeEnv(launch), cwd: work });
      // Attach as VS Code does: initialize, attach, (initialized) configurationDone.
      const connectDeadline = Date.now() + 30_000;
      for (;;) {
        try {
          dap = await DapClient.connect(port);
          break;
        } catch (error) {
          if (Date.now() > connectDeadline || program.child.exitCode !== null) throw new Error(`debugpy's port ${port} never opened: ${(error as Error).message}\n${program.stderr()}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const init = await dap.request("initialize", { clientID: "mirrord-e2e", adapterID: "debugpy", pathFormat: "path", linesStartAt1: true, columnsStartAt1: true });
      assert.ok(init.body, "initialize answered with the adapter's capabilities");
      const attached = dap.request("attach", { justMyCode: true });
      await dap.waitForEvent("initialized");
      await dap.request("configurationDone");
      await attached;
      await assertSessionWorks(program, "local-python-debuggee");
      // The debugger's port still works while the session runs and traffic is stolen.
      const threads = (await dap.request("threads")).body as { threads: { name: string }[] };
      assert.ok(threads.threads.length > 0, JSON.stringify(threads));
      assert.equal(call.child.exitCode, null, "ext keeps the session while the debuggee runs");
      assert.deepEqual(call.violations, []);
      assert.deepEqual(call.errors, []);
    } finally {
      dap?.close();
      if (program) await stopChild(program.child);
      await stopChild(call.child);
      await waitForNoSession(30_000);
    }
  });

  it("Node with --inspect: cluster by name, env, stolen requests; a CDP client evaluates 1+1", async () => {
    const config = path.join(work, "node.json");
    writeFileSync(config, JSON.stringify(stealConfig()));
    const { call, launch } = await startExt(["-f", config], pluginEnv({ MIRRORD_IGNORE_DEBUGGER_PORTS: IGNORED }));
    let program: Running | undefined;
    let cdp: CdpClient | undefined;
    try {
      const port = await freePort(45_000, 65_535);
      program = startProgram(process.execPath, [`--inspect=127.0.0.1:${port}`, path.join(programs, "debuggee.mjs"), SERVICE_URL, echo.onlyVar[0], String(echo.port)], { env: debuggeeEnv(launch), cwd: work });
      await assertSessionWorks(program, "local-node-debuggee");
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
      assert.ok(list[0]?.webSocketDebuggerUrl, JSON.stringify(list));
      cdp = await CdpClient.connect(list[0].webSocketDebuggerUrl);
      const answer = await cdp.send("Runtime.evaluate", { expression: "1+1" });
      assert.deepEqual((answer.result as { result: { value: unknown } }).result.value, 2, JSON.stringify(answer));
      // And once more after another stolen request, to show both work side by side.
      assert.equal((JSON.parse(await clusterGet("/again", { [FILTER_HEADER]: "yes" })) as { from: string }).from, "local-node-debuggee");
      const again = await cdp.send("Runtime.evaluate", { expression: "process.env.ECHO_ONLY_VAR" });
      assert.equal((again.result as { result: { value: unknown } }).result.value, echo.onlyVar[1]);
      assert.equal(call.child.exitCode, null);
      assert.deepEqual(call.violations, []);
      assert.deepEqual(call.errors, []);
    } finally {
      cdp?.close();
      if (program) await stopChild(program.child);
      await stopChild(call.child);
      await waitForNoSession(30_000);
    }
  });
});

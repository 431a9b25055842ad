/**
 * Issue 7, acceptance 2: F5 at the debug-adapter level, for Python (debugpy from PyPI) and Go
 * (Delve from Go modules), static and cgo. A launch configuration with `"mirrord": true` (or
 * `{"target": …}`) goes through the VS Code extension's own provider code
 * (packages/vscode-ext/src/logic/provider.ts, the function the extension runs in
 * resolveDebugConfigurationWithSubstitutedVariables) against the real IDE server
 * (packages/core/dist/ide-server.js), the target picked from the server's listing with the
 * extension's quick-pick items; the configuration it produces is handed to the real adapter
 * (`python -m debugpy.adapter`, or the `dlv dap` the server started under the layer's launcher,
 * at the returned `debugServer` port) by a DAP client that does what VS Code does. A request
 * with the steal-filter header sent from another pod to the echo Service stops at the
 * breakpoint in the handler (line and the header's value checked in the frame's variables);
 * continue → the cluster client gets the local handler's answer; a request without the header
 * is answered by the pod. Stop (disconnect + stopSession, as onDidTerminateDebugSession does)
 * → agent pod and iptables chains gone within 30 s.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListSessions, ListTargets, SESSION_PHASES, StartSession, StopSession, VerifyConfig } from "@mirrord-ts/core/ide-protocol";
import type { LaunchConfig } from "../packages/vscode-ext/src/logic/launch.js";
import { resolveDebugConfiguration, type ProviderHost } from "../packages/vscode-ext/src/logic/provider.js";
import { targetPickItems } from "../packages/vscode-ext/src/logic/targets.js";
import { importAgentImage } from "./agent/agent-image.js";
import { E2E_NAMESPACE, WORKLOADS } from "./cluster/index.js";
import { DLV, ensureDebugpy, ensureDlv, venvPython } from "./support/debuggers.js";
import { DapClient } from "./support/debug-clients.js";
import { IdeServerClient } from "./support/ide-server.js";
import { REPO, sleep, waitForNoSession } from "./support/ide-plugin.js";
import { FILTER_HEADER, clusterGet, freePort, startProgram, stealConfig, type Running } from "./support/programs.js";

const { echo } = WORKLOADS;
const programs = path.join(REPO, "e2e/programs");

let work: string;
let ide: IdeServerClient | undefined;
const timings: string[] = [];

/** The line of `source` marked "breakpoint" (1-based). */
function breakpointLine(source: string): number {
  const index = readFileSync(source, "utf8").split("\n").findIndex((line) => /(#|\/\/) breakpoint$/.test(line.trimEnd()));
  assert.ok(index >= 0, `no breakpoint marker in ${source}`);
  return index + 1;
}

/** Direct children of a PID, from /proc. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/** Every descendant of a process this suite started (debuggees, launchers, dlv), deepest first. */
function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const child of childrenOf(pid)) out.push(...descendantsOf(child), child);
  return out;
}

function killDescendants(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const d of descendantsOf(pid)) {
    try {
      process.kill(d, "SIGKILL");
    } catch {
      // gone
    }
  }
}

/** Live processes whose command line names `argument` (a debuggee and the launchers around it). */
function processesNaming(argument: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(argument)) continue;
      if (!readFileSync(`/proc/${entry}/stat`, "utf8").includes(") Z ")) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/** The executables of the server's descendants that live in `dir` (dlv's debuggee). */
function executablesUnder(pid: number, dir: string): string[] {
  const found: string[] = [];
  for (const d of descendantsOf(pid)) {
    try {
      const exe = readlinkSync(`/proc/${d}/exe`);
      if (exe.startsWith(`${dir}/`)) found.push(exe);
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * The provider's host as the extension builds it (extension.ts), with the real IDE server
 * behind it: the quick-pick is answered with the echo deployment from the server's listing,
 * shown through the extension's own item builder, as a person picks it.
 */
function providerHost(server: IdeServerClient, folder: string, log: string[]): ProviderHost & { token?: string; picked?: string } {
  const host: ProviderHost & { token?: string; picked?: string } = {
    toggleOn: false,
    selectedConfig: undefined,
    selectedTarget: undefined,
    folder,
    log: (line) => log.push(line),
    verifyConfig: (params) => server.request<VerifyConfig.Result>(VerifyConfig.method, params),
    configInvalid: async (verdict) => {
      throw new Error(`the provider found the config invalid: ${JSON.stringify(verdict)}`);
    },
    pickTarget: async (cwd, configFile) => {
      const listing = await server.request<ListTargets.Result>(ListTargets.method, { cwd, ...(configFile ? { configFile } : {}) } satisfies ListTargets.Params);
      assert.equal(listing.currentNamespace, E2E_NAMESPACE, "the config's namespace is listed");
      const items = targetPickItems(listing, undefined);
      const item = items.find((i) => i.action?.kind === "target" && i.action.path === `deployment/${echo.name}`);
      assert.ok(item?.action?.kind === "target", `the quick-pick offers deployment/${echo.name}: ${JSON.stringify(items.map((i) => i.description ?? i.label))}`);
      host.picked = item.action.path;
      return { target: item.action.path };
    },
    startSession: (params) => {
      // As the extension does: a work-done token of its own, whose progress it shows.
      host.token = `dap-e2e-${Date.now().toString(36)}`;
      return server.request<StartSession.Result>(StartSession.method, { ...params, workDoneToken: host.token } satisfies StartSession.Params);
    },
  };
  return host;
}

interface Adapter {
  dap: DapClient;
  /** What VS Code's debug session would end (the adapter process, when the test started it). */
  process?: Running;
}

interface Case {
  /** The launch configuration as written in launch.json (variables substituted). */
  launch: LaunchConfig;
  /** The handler's source (breakpoint marker inside). */
  source: string;
  /** What the local handler answers with in `from`. */
  from: string;
  /** Checks the configuration the provider produced before it goes to the adapter. */
  checkResolved(config: LaunchConfig): void;
  /** Connects the DAP client to the adapter for this configuration. */
  adapter(config: LaunchConfig): Promise<Adapter>;
  adapterID: string;
  /** How the adapter shows a string value in variables. */
  shows(value: string): string;
  /** Checks the running debuggee (after it printed "serving"). */
  checkDebuggee?(): void;
  /** Stop (instead of continue) while the handler is stopped at the breakpoint. */
  stopAtBreakpoint?: boolean;
}

async function connectWithRetry(port: number, what: () => string, timeoutMs = 30_000): Promise<DapClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await DapClient.connect(port);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no DAP adapter on 127.0.0.1:${port}: ${(error as Error).message}\n${what()}`);
      await sleep(200);
    }
  }
}

type StackFrame = { id: number; line: number; name: string; source?: { path?: string } };

/** F5 → breakpoint on a stolen request → continue → answer; the pod answers the rest; stop → agent gone. */
async function runCase(c: Case): Promise<void> {
  const server = ide!;
  const log: string[] = [];
  const host = providerHost(server, work, log);
  let adapter: Adapter | undefined;
  let sessionId: string | undefined;
  const notificationsBefore = server.notifications.length;
  try {
    const f5 = Date.now();
    const resolved = await resolveDebugConfiguration(c.launch, host);
    const resolvedMs = Date.now() - f5;
    assert.ok(resolved, `the provider gave no configuration:\n${log.join("\n")}\n${server.log()}`);
    sessionId = resolved.__mirrordSessionId;
    assert.ok(sessionId, "the configuration carries its mirrord session");
    assert.equal(resolved.env?.[echo.onlyVar[0]], echo.onlyVar[1], "the target container's env is merged in");
    c.checkResolved(resolved);
    // The progress the extension shows: the protocol's phases in order, on the extension's token.
    const messages = server.progress(host.token!).map((v) => v.message ?? v.title ?? "");
    let at = 0;
    for (const phase of SESSION_PHASES) {
      const found = messages.findIndex((m, i) => i >= at && m.startsWith(phase));
      assert.ok(found >= 0, `progress phase "${phase}" in order: ${JSON.stringify(messages)}`);
      at = found;
    }

    // What VS Code does with the configuration: initialize, launch, (initialized) breakpoints, configurationDone.
    adapter = await c.adapter(resolved);
    const dap = adapter.dap;
    await dap.request("initialize", { clientID: "vscode", clientName: "Visual Studio Code", adapterID: c.adapterID, pathFormat: "path", linesStartAt1: true, columnsStartAt1: true, supportsVariableType: true, supportsRunInTerminalRequest: false, locale: "en" });
    const launched = dap.request("launch", resolved, 120_000);
    launched.catch(() => undefined);
    await dap.waitForEvent("initialized", 120_000).catch((error: Error) => {
      throw new Error(`${error.message}\nadapter output: ${dap.output()}\nserver log: ${server.log().slice(-6000)}`);
    });
    const line = breakpointLine(c.source);
    const set = (await dap.request("setBreakpoints", { source: { path: c.source, name: path.basename(c.source) }, breakpoints: [{ line }], lines: [line] })).body as { breakpoints: { verified: boolean; line?: number; message?: string }[] };
    assert.equal(set.breakpoints.length, 1);
    assert.ok(set.breakpoints[0]!.verified, `breakpoint at ${c.source}:${line} verified: ${JSON.stringify(set.breakpoints[0])}`);
    await dap.request("configurationDone");
    await launched;
    const launchedMs = Date.now() - f5;

    // Stolen request from another pod → stops at the breakpoint. Until the steal subscription
    // follows the debuggee's listen, a request is answered by the pod: try again then.
    const value = `dap-${Math.random().toString(36).slice(2, 10)}`;
    const deadline = Date.now() + 90_000;
    let stopped: { body: { reason: string; threadId: number }; index: number } | undefined;
    let answer: Promise<string> | undefined;
    let settled = false;
    let sentAt = 0;
    let attempts = 0;
    const servingDeadline = Date.now() + 60_000;
    while (!/serving/.test(dap.output()) && Date.now() < servingDeadline) await sleep(100);
    assert.match(dap.output(), /serving/, "the debuggee's output reaches the debug console");
    const serving = Date.now() - f5;
    c.checkDebuggee?.();
    while (!stopped) {
      assert.ok(Date.now() < deadline, `no stolen request stopped at the breakpoint within 90 s (${attempts} tries)\n${dap.output()}\n${server.log().slice(-4000)}`);
      attempts++;
      const from = dap.events.length;
      sentAt = Date.now();
      settled = false;
      answer = clusterGet(`/stolen/${attempts}`, { [FILTER_HEADER]: value });
      answer.then(() => (settled = true), () => (settled = true));
      const stop = dap.nextEvent<{ reason: string; threadId: number }>("stopped", from, 60_000).then((e) => ({ stopped: e }));
      // When the pod answers first, this wait is left behind: its timeout must not surface later.
      stop.catch(() => undefined);
      const first = await Promise.race([stop, answer.then((body) => ({ body }))]);
      if ("stopped" in first) stopped = first.stopped;
      else {
        assert.match(first.body, new RegExp(`"pod":"${echo.name}-`), `not stolen yet, so the pod answers: ${first.body}`);
        await sleep(500);
      }
    }
    const toBreakpoint = Date.now() - sentAt;
    assert.equal(stopped.body.reason, "breakpoint");
    await sleep(300);
    assert.equal(settled, false, "the cluster client waits while the handler is stopped");
    const threadId = stopped.body.threadId;
    const frames = ((await dap.request("stackTrace", { threadId, startFrame: 0, levels: 20 })).body as { stackFrames: StackFrame[] }).stackFrames;
    const top = frames[0]!;
    assert.equal(top.line, line, `stopped on the handler's line: ${JSON.stringify(frames.slice(0, 3))}`);
    assert.equal(realpathSync(top.source?.path ?? ""), realpathSync(c.source));
    const scopes = ((await dap.request("scopes", { frameId: top.id })).body as { scopes: { name: string; variablesReference: number }[] }).scopes;
    let header: { name: string; value: string } | undefined;
    for (const scope of scopes) {
      const vars = ((await dap.request("variables", { variablesReference: scope.variablesReference })).body as { variables: { name: string; value: string }[] }).variables;
      header ??= vars.find((v) => v.name === "header");
    }
    assert.ok(header, `a "header" variable in ${scopes.map((s) => s.name).join(", ")}`);
    assert.equal(header.value, c.shows(value), "the request's header value in Variables");
    if (c.stopAtBreakpoint) {
      // Stop with the request held by the stopped handler: the debuggee is gone, so the cluster
      // client gets the agent's 502 instead of waiting for its own timeout; the session ends.
      const stopAt = Date.now();
      await dap.request("disconnect", { restart: false, terminateDebuggee: true }, 30_000).catch(() => undefined);
      await server.request<StopSession.Result>(StopSession.method, { sessionId } satisfies StopSession.Params);
      sessionId = undefined;
      const outcome = await Promise.race([answer!.then((b) => `answered: ${b}`, (e: Error) => `failed: ${e.message}`), sleep(20_000).then(() => "still waiting 20 s after Stop")]);
      const answeredMs = Date.now() - stopAt;
      assert.match(outcome, /502 Bad Gateway/, `the cluster client whose request the stopped debuggee held gets a 502 (${answeredMs} ms after Stop: ${outcome}); still running: ${processesNaming(String(c.launch.program)).join(", ") || "nothing"}\n${server.log().slice(-3000)}`);
      const program = String(c.launch.program);
      for (let i = 0; processesNaming(program).length > 0; i++) {
        assert.ok(i < 100, `the debuggee (and whatever launched it) still runs 10 s after Stop: ${processesNaming(program).join(", ")}`);
        await sleep(100);
      }
      const gone = await waitForNoSession(30_000);
      timings.push(`${c.launch.name}: Stop at the breakpoint → the held cluster request answered 502 after ${answeredMs} ms, agent gone after ${Date.now() - stopAt} ms (${gone} ms polling)`);
      return;
    }
    await dap.request("continue", { threadId });
    const body = JSON.parse(await answer!) as { from: string; path: string; header: string; env: string };
    const roundTrip = Date.now() - sentAt;
    assert.deepEqual(body, { from: c.from, path: `/stolen/${attempts}`, header: value, env: echo.onlyVar[1] }, "the cluster client gets the local handler's answer");

    // Without the header: the pod answers, and the debuggee does not stop.
    const eventsBefore = dap.events.length;
    const plain = await clusterGet("/not-stolen");
    assert.match(plain, /"path":"\/not-stolen"/);
    assert.match(plain, new RegExp(`"pod":"${echo.name}-`), "the pod answers requests without the header");
    assert.equal(dap.events.slice(eventsBefore).filter((e) => e.event === "stopped").length, 0);

    // Stop, as VS Code's stop button: disconnect; then onDidTerminateDebugSession → stopSession.
    const stopAt = Date.now();
    await dap.request("disconnect", { restart: false, terminateDebuggee: true }, 30_000).catch(() => undefined);
    await server.request<StopSession.Result>(StopSession.method, { sessionId } satisfies StopSession.Params);
    sessionId = undefined;
    const gone = await waitForNoSession(30_000);
    const goneMs = Date.now() - stopAt;
    assert.deepEqual(await server.request<ListSessions.Result>(ListSessions.method, {}), []);
    const ended = server.notifications.slice(notificationsBefore).filter((n) => n.method === "mirrord/sessionEnded");
    assert.equal(ended.length, 1, JSON.stringify(ended));
    timings.push(`${c.launch.name}: provider ${resolvedMs} ms, launched ${launchedMs} ms, serving ${serving} ms after F5; stolen request → breakpoint ${toBreakpoint} ms (try ${attempts}), round trip incl. stop ${roundTrip} ms; stop → agent gone ${goneMs} ms (${gone} ms polling)`);
  } finally {
    adapter?.dap.close();
    if (adapter?.process) {
      killDescendants(adapter.process.child.pid);
      if (adapter.process.child.exitCode === null) adapter.process.child.kill("SIGKILL");
      await adapter.process.exited;
    }
    if (sessionId) await server.request(StopSession.method, { sessionId }).catch(() => undefined);
    // Whatever the server started for this case (dlv and its debuggee) must be gone too.
    await sleep(500);
    killDescendants(server.child.pid);
    await waitForNoSession(30_000);
  }
}

describe("F5 at the debug-adapter level: debugpy and Delve (static, cgo) stop on a stolen request (issue 7, acceptance 2)", function () {
  this.timeout(300_000);
  let staticBinary: string;
  let cgoBinary: string;

  before(async function () {
    this.timeout(1_800_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-ide-dap-"));
    ensureDebugpy();
    ensureDlv();
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    staticBinary = path.join(work, "dap-handler-static");
    cgoBinary = path.join(work, "dap-handler-cgo");
    const source = path.join(programs, "dap-handler.go");
    // Built as the Go extension's debug mode builds: no optimizations, no inlining.
    execFileSync("go", ["build", "-gcflags=all=-N -l", "-o", staticBinary, source], { cwd: work, env: { ...process.env, CGO_ENABLED: "0" } });
    execFileSync("go", ["build", "-gcflags=all=-N -l", "-o", cgoBinary, source], { cwd: work, env: { ...process.env, CGO_ENABLED: "1" } });
    assert.match(execFileSync("file", [staticBinary], { encoding: "utf8" }), /statically linked/);
    assert.match(execFileSync("file", [cgoBinary], { encoding: "utf8" }), /dynamically linked/);
    // The package the Go extension's default mode (debug) hands to dlv, which builds it itself.
    mkdirSync(path.join(work, "gosvc"));
    copyFileSync(source, path.join(work, "gosvc/main.go"));
    writeFileSync(path.join(work, "gosvc/go.mod"), "module gosvc\n\ngo 1.22\n");
    // The workspace's config: steal with the header filter, the test namespace, no target (F5 asks).
    const { target: _target, ...config } = stealConfig();
    mkdirSync(path.join(work, ".mirrord"));
    writeFileSync(path.join(work, ".mirrord/mirrord.json"), JSON.stringify({ ...config, target: { namespace: E2E_NAMESPACE } }, null, 2));
    await importAgentImage();
    await waitForNoSession(60_000);
    ide = await IdeServerClient.start(work);
  });

  after(async function () {
    this.timeout(120_000);
    const server = ide;
    ide = undefined;
    if (server) {
      const pid = server.child.pid;
      await server.close();
      killDescendants(pid);
    }
    await waitForNoSession(30_000);
    if (work) rmSync(work, { recursive: true, force: true });
    for (const t of timings) console.log(`      ${t}`);
  });

  const pythonCase = (extra: Partial<Case> = {}): Case => {
    const source = path.join(programs, "dap-handler.py");
    return {
      launch: { type: "debugpy", request: "launch", name: "Python: dap-handler", program: source, args: [String(echo.port), echo.onlyVar[0]], cwd: work, python: venvPython, console: "internalConsole", justMyCode: true, mirrord: true },
      source,
      from: "local-python-dap",
      adapterID: "debugpy",
      shows: (v) => `'${v}'`,
      checkResolved: (config) => {
        assert.match(String(config.env?.LD_PRELOAD), /libmirrord_layer\.so/, "a dynamic debuggee gets the layer by LD_PRELOAD");
        assert.ok(config.env?.MIRRORD_LAYER_SOCKET);
        assert.equal(config.debugServer, undefined, "VS Code starts debugpy's adapter itself");
      },
      adapter: async () => {
        // As the Python extension starts it (its environment, not the debuggee's), on a TCP port for the client.
        const port = await freePort(45_000, 65_535);
        const process_ = startProgram(venvPython, ["-m", "debugpy.adapter", "--host", "127.0.0.1", "--port", String(port)], { cwd: work, env: { ...process.env } });
        const dap = await connectWithRetry(port, () => process_.stderr());
        return { dap, process: process_ };
      },
      ...extra,
    };
  };

  it('Python: "mirrord": true, target picked → debugpy\'s adapter → breakpoint in do_GET on a stolen request', () => runCase(pythonCase()));

  it("Python: Stop while the handler holds a stolen request at the breakpoint → the cluster client gets a 502 at once, the session ends", () =>
    runCase(pythonCase({ stopAtBreakpoint: true })));

  const goCase = (kind: string, cgo: boolean, mode: "exec" | "debug", extra: Partial<Case> = {}): Case => {
    const picked = cgo === (mode === "exec");
    const source = mode === "exec" ? path.join(programs, "dap-handler.go") : path.join(work, "gosvc/main.go");
    return {
      launch: {
        type: "go",
        request: "launch",
        name: `Go: dap-handler (${kind})`,
        mode,
        // mode debug: `program: "${workspaceFolder}/gosvc"` as the Go extension's own resolve
        // (goDebugConfiguration.ts, run before the '*' providers) hands it on: the package's
        // folder in __buildDir, program relative to it.
        ...(mode === "exec" ? { program: cgo ? cgoBinary : staticBinary } : { program: ".", __buildDir: path.join(work, "gosvc") }),
        args: [String(echo.port), echo.onlyVar[0]],
        cwd: work,
        // dlv applies the configuration's env to itself before it builds: this picks the build.
        ...(mode === "debug" ? { env: { CGO_ENABLED: cgo ? "1" : "0" } } : {}),
        dlvToolPath: DLV,
        mirrord: picked ? true : { target: `deployment/${echo.name}` },
      },
      source,
      from: "local-go-dap",
      adapterID: "go",
      shows: (v) => `"${v}"`,
      checkResolved: (config) => {
        assert.equal(typeof config.debugServer, "number", "the server started dlv dap and gave its port");
        assert.equal(config.outputMode, "remote", "the debuggee's output comes to the client as output events");
        if (mode === "debug") assert.equal(config.dlvCwd, path.join(work, "gosvc"), "dlv builds the package where the Go extension would have started it");
        assert.equal(config.env?.LD_PRELOAD, undefined, "dlv's child inherits the filter; no LD_PRELOAD for Go");
        assert.ok(descendantsOf(ide!.child.pid!).some((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(DLV);
          } catch {
            return false;
          }
        }), "the dlv the configuration named runs under the server");
      },
      checkDebuggee: () => {
        const exes = executablesUnder(ide!.child.pid!, work);
        assert.equal(exes.length, 1, `one debuggee from the workspace runs under dlv: ${JSON.stringify(exes)}`);
        assert.match(execFileSync("file", ["-L", exes[0]!], { encoding: "utf8" }), cgo ? /dynamically linked/ : /statically linked/);
      },
      adapter: async (config) => ({ dap: await connectWithRetry(config.debugServer!, () => ide!.log().slice(-2000)) }),
      ...extra,
    };
  };

  const goCases = [
    { kind: "static (CGO_ENABLED=0), prebuilt, mode exec", cgo: false, mode: "exec" },
    { kind: "cgo, prebuilt, mode exec", cgo: true, mode: "exec" },
    { kind: "static (CGO_ENABLED=0), built by dlv, mode debug", cgo: false, mode: "debug" },
    { kind: "cgo, built by dlv, mode debug", cgo: true, mode: "debug" },
  ] as const;
  for (const { kind, cgo, mode } of goCases) {
    const picked = cgo === (mode === "exec");
    it(`Go ${kind}: ${picked ? '"mirrord": true, target picked' : '"mirrord": {"target": …}'} → dlv dap under the launcher (debugServer) → breakpoint in the handler on a stolen request`, () =>
      runCase(goCase(kind, cgo, mode)));
  }

  it("Go static: Stop while the handler holds a stolen request at the breakpoint → the cluster client gets a 502 at once, dlv's debuggee is gone, the session ends", () =>
    runCase(goCase("static (CGO_ENABLED=0), prebuilt, mode exec", false, "exec", { stopAtBreakpoint: true })));
});


/**
 * Issue 5, acceptance 3: programs started through the LD_PRELOAD path only — the environment
 * `ext` prints, applied as an IDE applies it, no launcher — pass (a) GET echo by its cluster
 * name, (b) receive stolen requests carrying the filter header while the pod answers the rest,
 * (c) see the target's env var, (d) read the target's file: Python and Go with cgo. And a static
 * Go binary that such a Python program runs with subprocess is intercepted too (it inherits the
 * filter; it never loads the preload library).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importAgentImage } from "./agent/agent-image.js";
import { WORKLOADS } from "./cluster/index.js";
import { REPO, debuggeeEnv, pluginEnv, sleep, startExt, stopChild, waitForNoSession, type Launch, type PluginCall } from "./support/ide-plugin.js";
import { FILTER_HEADER, SERVICE_URL, clusterGet, startProgram, stealConfig } from "./support/programs.js";

const { echo } = WORKLOADS;
const programs = path.join(REPO, "e2e/programs");

let work: string;
let ext: PluginCall;
let launch: Launch;
let staticGo: string;
let cgoGo: string;

/** Runs a program with the launch environment (nothing else) to its end. */
async function runWithLaunchEnv(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const program = startProgram(argv[0]!, argv.slice(1), { env: debuggeeEnv(launch), cwd: work });
  const timer = setTimeout(() => program.child.kill("SIGKILL"), 60_000);
  const code = await program.exited;
  clearTimeout(timer);
  return { code, stdout: program.stdout(), stderr: program.stderr() };
}

const kinds: { title: string; argv: (mode: string, arg: string) => string[]; from: string }[] = [
  { title: "Python 3", argv: (mode, arg) => ["python3", path.join(programs, "probe.py"), mode, arg], from: "local-python" },
  { title: "Go with cgo", argv: (mode, arg) => [cgoGo, mode, arg], from: "local-go" },
];

describe("the LD_PRELOAD path, env only as an IDE starts programs (issue 5, acceptance 3)", function () {
  this.timeout(180_000);

  before(async function () {
    this.timeout(900_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-preload-e2e-"));
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    staticGo = path.join(work, "probe-static");
    cgoGo = path.join(work, "probe-cgo");
    execFileSync("go", ["build", "-o", staticGo, path.join(programs, "probe.go")], { env: { ...process.env, CGO_ENABLED: "0" } });
    execFileSync("go", ["build", "-o", cgoGo, path.join(programs, "probe.go")], { env: { ...process.env, CGO_ENABLED: "1" } });
    assert.match(execFileSync("file", [staticGo], { encoding: "utf8" }), /statically linked/);
    assert.match(execFileSync("file", [cgoGo], { encoding: "utf8" }), /dynamically linked/);
    await waitForNoSession(60_000);
    const config = path.join(work, "steal.json");
    // A long grace period: the programs below run one after another in one session.
    writeFileSync(config, JSON.stringify(stealConfig({ internal_proxy: { idle_timeout: 120, start_idle_timeout: 120 } })));
    ({ call: ext, launch } = await startExt(["-f", config], pluginEnv({ MIRRORD_IGNORE_DEBUGGER_PORTS: "45000-65535" })));
    assert.match(launch.environment.LD_PRELOAD ?? "", /libmirrord_layer\.so$/);
  });

  after(async function () {
    this.timeout(120_000);
    if (ext) await stopChild(ext.child);
    await waitForNoSession(30_000);
    rmSync(work, { recursive: true, force: true });
  });

  for (const kind of kinds) {
    describe(kind.title, () => {
      it("(a) GET echo by name, (c) the target's env var, (d) the target's file", async () => {
        const get = await runWithLaunchEnv(kind.argv("get", SERVICE_URL));
        assert.equal(get.code, 0, get.stderr);
        assert.match(get.stdout, /"path":"\/from-local"/);
        assert.match(get.stdout, new RegExp(`"pod":"${echo.name}-`));
        const env = await runWithLaunchEnv(kind.argv("env", echo.onlyVar[0]));
        assert.equal(env.stdout, echo.onlyVar[1], env.stderr);
        const file = await runWithLaunchEnv(kind.argv("read", echo.onlyFile));
        assert.equal(file.code, 0, file.stderr);
        assert.match(file.stdout, /only in the echo pod/);
      });

      // Python's server, then Go's, listen on the same port in the same ext session: an IDE restarting
      // its debuggee. The second only gets the traffic if the first's subscription ended with it.
      it("(b) its server gets stolen requests with the header; the pod answers the rest", async () => {
        const server = startProgram(kind.argv("serve", String(echo.port))[0]!, kind.argv("serve", String(echo.port)).slice(1), { env: debuggeeEnv(launch), cwd: work });
        try {
          await server.waitFor(/^serving$/m);
          const deadline = Date.now() + 30_000;
          let stolen: { from?: string; path?: string; peer?: string } = {};
          while (Date.now() < deadline) {
            stolen = JSON.parse(await clusterGet("/stolen", { [FILTER_HEADER]: "yes" })) as typeof stolen;
            if (stolen.from === kind.from) break;
            await sleep(500);
          }
          assert.equal(stolen.from, kind.from, JSON.stringify(stolen));
          assert.equal(stolen.path, "/stolen");
          assert.match(await clusterGet("/not-stolen"), /"path":"\/not-stolen"/);
        } finally {
          await stopChild(server.child);
        }
      });
    });
  }

  // Mocha runs a suite's own tests before its nested suites: nested, so these run last.
  describe("and then", () => {
    it("a static Go binary run by such a Python program (subprocess) is intercepted: GET by name, the target's file", async () => {
      const runner = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)";
      const get = await runWithLaunchEnv(["python3", "-c", runner, staticGo, "get", SERVICE_URL]);
      assert.equal(get.code, 0, get.stderr);
      assert.match(get.stdout, /"path":"\/from-local"/);
      assert.match(get.stdout, new RegExp(`"pod":"${echo.name}-`));
      const file = await runWithLaunchEnv(["python3", "-c", runner, staticGo, "read", echo.onlyFile]);
      assert.equal(file.code, 0, file.stderr);
      assert.match(file.stdout, /only in the echo pod/);
      // Control: the same static binary started directly with the env is not intercepted (no preload, no filter).
      const direct = await runWithLaunchEnv([staticGo, "read", echo.onlyFile]);
      assert.notEqual(direct.code, 0, "a static binary cannot load LD_PRELOAD: only the inherited filter intercepts it");
    });

    it("ext's session served all of it and is still healthy", () => {
      assert.equal(ext.child.exitCode, null);
      assert.deepEqual(ext.errors, []);
      assert.deepEqual(ext.violations, []);
    });
  });
});

/**
 * Issue 10, acceptance 1 and 4: mirrord's IDE plugins' calls, played byte for byte against the
 * real CLI bundle and the real cluster (see support/ide-plugin.ts for what "byte for byte"
 * covers). Every call is checked for blank or non-JSON stdout lines and stray `Error: ` text
 * on stderr; every `ext` session is checked to be gone afterwards.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importAgentImage } from "./agent/agent-image.js";
import { WORKLOADS } from "./cluster/index.js";
import {
  E2E_NAMESPACE, LAUNCH_TASK, REPO, agentObjects, pluginEnv, runToEnd, startExt, stopChild, waitForNoSession, type PluginCall,
} from "./support/ide-plugin.js";

const { echo, multi } = WORKLOADS;
/** What the plugin sets for `ls` (targetQuickPick.ts). */
const LS_TYPES = JSON.stringify(["deployment", "rollout", "pod"]);
/** What the plugin sets for `ext` for every debugger type. */
const EXT_ENV = { MIRRORD_IGNORE_DEBUGGER_PORTS: "45000-65535" };

let work: string;

function writeConfig(name: string, content: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The rules of every call: no blank/non-JSON stdout line, no `Error: ` on stderr unless one expected JSON error. */
function assertClean(call: Pick<PluginCall, "violations" | "errors" | "stderr">, what: string): void {
  assert.deepEqual(call.violations, [], `${what}: stdout must be one JSON document per line`);
  assert.deepEqual(call.errors, [], `${what}: stderr has "Error: " — the plugin would show it as an error:\n${call.stderr()}`);
}

function types(messages: unknown[]): string[] {
  return messages.map((m) => (m as { type: string }).type);
}

/** The NDJSON of ext: every message tagged by a type the plugin knows, the final one last. */
function assertProgressShape(messages: unknown[]): void {
  const known = new Set(["NewTask", "FinishedTask", "Warning", "Info", "IdeMessage"]);
  for (const m of messages) assert.ok(known.has((m as { type: string }).type), `unknown message ${JSON.stringify(m)}`);
  const last = messages.at(-1) as { type: string; name: string };
  assert.equal(last.type, "FinishedTask");
  assert.equal(last.name, LAUNCH_TASK);
  for (const m of messages as { type: string; name?: unknown; parent?: unknown; success?: unknown }[]) {
    if (m.type === "NewTask") assert.ok(typeof m.name === "string" && (m.parent === null || typeof m.parent === "string"), JSON.stringify(m));
    if (m.type === "FinishedTask") assert.ok(typeof m.name === "string" && typeof m.success === "boolean", JSON.stringify(m));
  }
}

/** ext as the plugin runs it, then the session ended (SIGTERM, as when the IDE closes) and checked gone. */
async function extSession(argv: string[], env: NodeJS.ProcessEnv) {
  const { call, launch } = await startExt(argv, env);
  try {
    assertProgressShape(call.messages);
    assertClean(call, `ext ${argv.join(" ")}`);
    return { call, launch };
  } finally {
    await stopChild(call.child);
    await waitForNoSession(30_000);
    assertClean(call, `ext ${argv.join(" ")} after it ended`);
  }
}

describe("mirrord's IDE plugins, played byte for byte (issue 10)", function () {
  this.timeout(180_000);

  before(async function () {
    this.timeout(900_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-ide-contract-"));
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(REPO, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    await waitForNoSession(60_000);
  });

  after(async () => {
    rmSync(work, { recursive: true, force: true });
  });

  it("--version: `mirrord <version>`, the second word is the version", async () => {
    const call = await runToEnd(["--version"], pluginEnv(), 10_000);
    assert.equal(call.code, 0);
    assert.match(call.stdout(), /^mirrord \d+\.\d+\.\d+\S*\n$/);
    assert.equal(call.stdout().split(" ")[1]!.trim().length > 0, true);
    assert.deepEqual(call.errors, []);
  });

  it("a config with a target: verify-config --ide says so, ext gives the target's environment", async () => {
    const config = writeConfig("with-target.json", { target: { path: `deployment/${echo.name}`, namespace: E2E_NAMESPACE }, agent: { communication_timeout: 10 } });
    const verdict = await runToEnd(["verify-config", "--ide", config], pluginEnv());
    assert.equal(verdict.code, 0);
    assertClean(verdict, "verify-config");
    assert.equal(verdict.messages.length, 1);
    const v = verdict.messages[0] as { type: string; config: { path: string | null; namespace: string | null }; warnings: unknown; compatible_target_types: string[] };
    assert.equal(v.type, "Success");
    assert.equal(v.config.path, `deployment/${echo.name}`);
    assert.equal(v.config.namespace, E2E_NAMESPACE);
    assert.ok(Array.isArray(v.warnings));
    assert.ok(v.compatible_target_types.includes("deployment"));

    // Target set: no quick-pick, so no -t. argv: ext, -f <config>.
    const { launch } = await extSession(["-f", config], pluginEnv(EXT_ENV));
    assert.equal(launch.environment[echo.onlyVar[0]], echo.onlyVar[1]);
    assert.match(launch.environment.LD_PRELOAD ?? "", /libmirrord_layer\.so/);
    assert.ok(launch.environment.MIRRORD_LAYER_SOCKET);
    assert.ok(Array.isArray(launch.env_to_unset ?? []));
  });

  it("no target: ls rich (namespace switch with -n) and legacy, then ext -t deployment/… with MIRRORD_TARGET_NAMESPACE", async () => {
    const config = writeConfig("no-target.json", { agent: { communication_timeout: 10 } });
    const verdict = await runToEnd(["verify-config", "--ide", config], pluginEnv());
    assertClean(verdict, "verify-config");
    const v = verdict.messages[0] as { type: string; config: { path: string | null } };
    assert.equal(v.type, "Success");
    assert.equal(v.config.path, null, "target unset: the plugin shows the quick-pick");

    const first = await runToEnd(["ls", "-f", config], pluginEnv({ MIRRORD_LS_TARGET_TYPES: LS_TYPES }));
    assert.equal(first.code, 0, first.stderr());
    assertClean(first, "ls");
    assert.equal(first.messages.length, 1);
    const rich = first.messages[0] as { targets: { path: string; available: boolean }[]; current_namespace: string; namespaces: string[] };
    assert.deepEqual(Object.keys(rich).sort(), ["current_namespace", "namespaces", "targets"], "the rich form needs all three keys");
    assert.ok(rich.namespaces.includes(E2E_NAMESPACE), JSON.stringify(rich.namespaces));

    // The user switches namespace in the quick-pick: `ls -f <config> -n <ns>`.
    const switched = await runToEnd(["ls", "-f", config, "-n", E2E_NAMESPACE], pluginEnv({ MIRRORD_LS_TARGET_TYPES: LS_TYPES }));
    assert.equal(switched.code, 0, switched.stderr());
    assertClean(switched, "ls -n");
    const inNs = switched.messages[0] as typeof rich;
    assert.equal(inNs.current_namespace, E2E_NAMESPACE);
    assert.ok(inNs.targets.some((t) => t.path === `deployment/${echo.name}` && t.available === true), JSON.stringify(inNs.targets));
    assert.ok(inNs.targets.every((t) => /^(deployment|rollout|pod)\//.test(t.path) && typeof t.available === "boolean"), JSON.stringify(inNs.targets));

    // An older plugin: no MIRRORD_LS_RICH_OUTPUT → the legacy array of paths.
    const legacy = await runToEnd(["ls", "-f", config, "-n", E2E_NAMESPACE], pluginEnv({ MIRRORD_LS_TARGET_TYPES: LS_TYPES, MIRRORD_LS_RICH_OUTPUT: undefined }));
    assert.equal(legacy.code, 0, legacy.stderr());
    assertClean(legacy, "legacy ls");
    const paths = legacy.messages[0] as string[];
    assert.ok(Array.isArray(paths) && paths.every((p) => typeof p === "string"), JSON.stringify(paths));
    assert.ok(paths.includes(`deployment/${echo.name}`));
    assert.deepEqual([...paths].sort(), inNs.targets.filter((t) => t.available).map((t) => t.path).sort());

    // The pick: argv ext, -t <target>, -f <config>; the namespace from ls in MIRRORD_TARGET_NAMESPACE.
    const { launch } = await extSession(["-t", `deployment/${echo.name}`, "-f", config], pluginEnv({ ...EXT_ENV, MIRRORD_TARGET_NAMESPACE: inNs.current_namespace }));
    assert.equal(launch.environment[echo.onlyVar[0]], echo.onlyVar[1]);
    assert.match(launch.environment.LD_PRELOAD ?? "", /libmirrord_layer\.so/);
  });

  it("quick-pick dismissed: ext -t targetless gives the layer's environment without a target's env", async () => {
    const config = writeConfig("targetless.json", { agent: { communication_timeout: 10 } });
    const { launch } = await extSession(["-t", "targetless", "-f", config], pluginEnv({ ...EXT_ENV, MIRRORD_TARGET_NAMESPACE: E2E_NAMESPACE }));
    assert.equal(launch.environment[echo.onlyVar[0]], undefined);
    assert.match(launch.environment.LD_PRELOAD ?? "", /libmirrord_layer\.so/);
    assert.ok(launch.environment.MIRRORD_LAYER_SOCKET);
  });

  it("a bad config: verify-config --ide answers Fail with the errors, exit 0", async () => {
    const config = writeConfig("bad.json", { target: { path: "deployment/echo" }, feature: { network: { incoming: { mode: "bogus" } } }, not_a_key: 1 });
    const verdict = await runToEnd(["verify-config", "--ide", config], pluginEnv());
    assert.equal(verdict.code, 0, "mirrord's CLI returns Ok either way");
    assertClean(verdict, "verify-config (bad)");
    assert.equal(verdict.messages.length, 1);
    const v = verdict.messages[0] as { type: string; errors: unknown[] };
    assert.equal(v.type, "Fail");
    assert.ok(v.errors.length > 0 && v.errors.every((e) => typeof e === "string" && e.length > 0), JSON.stringify(v));

    const broken = writeConfig("broken.json", "{ \"target\": ");
    const b = await runToEnd(["verify-config", "--ide", broken], pluginEnv());
    assert.equal(b.code, 0);
    assertClean(b, "verify-config (unparsable)");
    assert.equal((b.messages[0] as { type: string }).type, "Fail");
  });

  it("an unknown target: exactly one `Error: {json}` line on stderr and a non-zero exit", async () => {
    const config = writeConfig("unknown.json", { agent: { communication_timeout: 10 } });
    const call = await runToEnd(["ext", "-t", "deployment/does-not-exist", "-f", config], pluginEnv({ ...EXT_ENV, MIRRORD_TARGET_NAMESPACE: E2E_NAMESPACE }));
    assert.notEqual(call.code, 0);
    assert.deepEqual(call.violations, [], "stdout stays NDJSON on failure too");
    assert.equal(call.errors.length, 1, call.stderr());
    const error = call.errors[0]!;
    assert.equal(error.bad, undefined, `the remainder must be JSON: ${error.raw}`);
    assert.equal(typeof error.parsed!.message, "string");
    assert.match(String(error.parsed!.message), /does-not-exist/);
    assert.equal(typeof error.parsed!.help, "string");
    assert.equal(call.stderr().split("\n").filter((l) => l.includes("Error: ")).length, 1);
    assert.ok(!types(call.messages).includes("FinishedTask") || !(call.messages as { name?: string; success?: boolean }[]).some((m) => m.name === LAUNCH_TASK && m.success === true));
    assert.deepEqual(await agentObjects().then((o) => o.filter((x) => x.startsWith("pod/"))), [], "no agent was started");
  });

  describe("ls in the test namespace (issue 10, acceptance 4)", () => {
    it("lists each container of the two-container pod and its deployment", async () => {
      const call = await runToEnd(["ls", "-n", E2E_NAMESPACE], pluginEnv());
      assert.equal(call.code, 0, call.stderr());
      assertClean(call, "ls");
      const listing = call.messages[0] as { targets: { path: string; available: boolean }[] };
      const paths = listing.targets.map((t) => t.path);
      for (const container of [multi.app.container, multi.sidecar.container]) {
        assert.ok(paths.includes(`deployment/${multi.name}/container/${container}`), paths.join(" "));
        assert.ok(paths.some((p) => new RegExp(`^pod/${multi.name}-[a-z0-9]+-[a-z0-9]+/container/${container}$`).test(p)), paths.join(" "));
      }
      assert.ok(!paths.some((p) => new RegExp(`^(deployment|pod)/${multi.name}[^/]*$`).test(p)), "the two-container pod is listed per container only");
      assert.ok(paths.some((p) => p === `deployment/${echo.name}`));
    });

    it("MIRRORD_LS_TARGET_TYPES='[\"pod\"]' lists pods only", async () => {
      const call = await runToEnd(["ls", "-n", E2E_NAMESPACE], pluginEnv({ MIRRORD_LS_TARGET_TYPES: '["pod"]' }));
      assert.equal(call.code, 0, call.stderr());
      assertClean(call, "ls pods");
      const paths = (call.messages[0] as { targets: { path: string }[] }).targets.map((t) => t.path);
      assert.ok(paths.length >= 3, paths.join(" "));
      assert.ok(paths.every((p) => p.startsWith("pod/")), paths.join(" "));
      assert.ok(paths.some((p) => p.startsWith(`pod/${echo.name}-`)));
      assert.ok(paths.filter((p) => p.startsWith(`pod/${multi.name}-`)).length === 2, paths.join(" "));
    });
  });

  describe("after every call", () => {
    it("leaves no agent in the cluster", async () => {
      await waitForNoSession(30_000);
    });
  });
});

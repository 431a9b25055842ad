/**
 * Issue 8, acceptance 1–4: the JetBrains bridge's sidecar-client (Kotlin, JUnit in Maven,
 * packages/jetbrains-bridge/kotlin/sidecar-client, tests tagged `cluster`) against the real IDE
 * server bundle and this cluster. This suite prepares what those tests need (the cluster and
 * its lock from the root hooks, the agent image, the server bundle, Delve), tells them about
 * the cluster through MIRRORD_E2E_* variables built from e2e's own definitions (WORKLOADS,
 * stealConfig, clusterGetCommand, core's agent label), runs them once, and reports each
 * acceptance check from Surefire's XML report: every expected test must have run and passed
 * (a skipped or missing one fails). Afterwards nothing may be left: no agent pod or iptables
 * chain in the cluster, no process started under the run's temporary folder.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AGENT_LABEL } from "@mirrord-ts/core";
import { importAgentImage } from "./agent/agent-image.js";
import { componentBinary } from "./cluster/build/kubernetes.js";
import { CACHE_DIR, E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS, kubectl } from "./cluster/index.js";
import { ensureDlv } from "./support/delve.js";
import { REPO, waitForNoSession } from "./support/ide-plugin.js";
import { FILTER_HEADER, SERVICE_URL, clusterGetCommand, stealConfig } from "./support/programs.js";

const { echo } = WORKLOADS;
const BRIDGE = path.join(REPO, "packages/jetbrains-bridge");
const REPORT = path.join(BRIDGE, "kotlin/sidecar-client/target/surefire-reports/TEST-dev.mirrordts.sidecar.cluster.ClusterAcceptanceTest.xml");

interface TestCase {
  name: string;
  outcome: "passed" | "failed" | "skipped";
  detail: string;
  seconds: number;
}

let work: string;
let maven: { code: number | null; output: string } | undefined;
let cases: TestCase[] = [];

/** The <testcase> elements of a Surefire report: name, outcome, and the failure's message and stack. */
function readReport(file: string): TestCase[] {
  const xml = readFileSync(file, "utf8");
  const found: TestCase[] = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attributes = match[1]!;
    const body = match[2] ?? "";
    const name = decode(/\bname="([^"]*)"/.exec(attributes)?.[1] ?? "");
    const seconds = Number(/\btime="([^"]*)"/.exec(attributes)?.[1] ?? "0");
    const failure = /<(failure|error)\b[^>]*?(?:message="([^"]*)")?[^>]*>([\s\S]*?)<\/\1>/.exec(body);
    const skipped = /<skipped\b/.test(body);
    const out = /<system-out><!\[CDATA\[([\s\S]*?)\]\]><\/system-out>/.exec(body)?.[1] ?? "";
    found.push({ name, seconds, outcome: failure ? "failed" : skipped ? "skipped" : "passed", detail: failure ? `${decode(`${failure[2] ?? ""}\n${failure[3] ?? ""}`).slice(0, 4000)}\n--- test output ---\n${out.slice(-7000)}` : "" });
  }
  return found;
}

function decode(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");
}

/** Runs the cluster-tagged Maven tests through the bridge's own Maven wrapper (cache, JDK/Maven install, core's bundle). */
function runMaven(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", [path.join(BRIDGE, "scripts/mvn.sh"), "-pl", "sidecar-client", "test", "-Dgroups=cluster", "-Dmirrord.excludedGroups=none", "-Dsurefire.failIfNoSpecifiedTests=false", `-DargLine=-Djava.io.tmpdir=${work}`], { cwd: BRIDGE, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** Processes (PIDs) whose command line or working directory is under `dir`: what the tests started and left. */
function processesUnder(dir: string): { pid: number; what: string }[] {
  const left: { pid: number; what: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.split(") ")[1]?.[0] === "Z") continue;
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // not ours to read
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) left.push({ pid: Number(entry), what: `${cmdline} (cwd ${cwd})` });
    } catch {
      // gone meanwhile
    }
  }
  return left;
}

function assertCases(pattern: RegExp, expected: number): void {
  assert.ok(maven, "Maven ran");
  const matching = cases.filter((c) => pattern.test(c.name));
  if (matching.length !== expected) {
    assert.fail(`expected ${expected} test(s) matching ${pattern} in ${REPORT}, found ${matching.length} (${cases.map((c) => c.name).join("; ") || "none"})\nMaven exit ${maven.code}:\n${maven.output.slice(-6000)}`);
  }
  for (const c of matching) {
    assert.equal(c.outcome, "passed", `${c.name}: ${c.outcome}\n${c.detail}`);
  }
}

describe("JetBrains bridge: sidecar-client against the real server and cluster (issue 8, acceptance 1–4)", function () {
  this.timeout(240_000);

  before(async function () {
    // Cold Maven, Go (-N -l build of the standard library) and Delve installs take long on 2 cores.
    this.timeout(3_600_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-jetbrains-"));
    const dlv = ensureDlv();
    await importAgentImage();
    await waitForNoSession(60_000);
    rmSync(REPORT, { force: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MIRRORD_E2E_KUBECONFIG: KUBECONFIG_PATH,
      MIRRORD_E2E_KUBECTL: componentBinary("kubectl"),
      MIRRORD_E2E_NAMESPACE: E2E_NAMESPACE,
      MIRRORD_E2E_TARGET: `deployment/${echo.name}`,
      MIRRORD_E2E_SERVICE_URL: SERVICE_URL,
      MIRRORD_E2E_ENV_VAR: echo.onlyVar[0],
      MIRRORD_E2E_ENV_VALUE: echo.onlyVar[1],
      MIRRORD_E2E_PORT: String(echo.port),
      MIRRORD_E2E_FILTER_HEADER: FILTER_HEADER,
      MIRRORD_E2E_STEAL_CONFIG: JSON.stringify(stealConfig()),
      MIRRORD_E2E_CLUSTER_GET: JSON.stringify(clusterGetCommand()),
      MIRRORD_E2E_AGENT_LABEL: AGENT_LABEL,
      MIRRORD_E2E_PROGRAMS: path.join(REPO, "e2e/programs"),
      MIRRORD_E2E_DLV: dlv,
      MIRRORD_TS_CACHE: CACHE_DIR,
    };
    maven = await runMaven(env);
    if (existsSync(REPORT)) cases = readReport(REPORT);
    for (const c of cases) console.log(`      ${c.outcome === "passed" ? "✔" : "✘"} [maven ${c.seconds.toFixed(1)} s] ${c.name}`);
  });

  after(async function () {
    this.timeout(120_000);
    const left = processesUnder(work);
    // Anything the tests left is stopped here (by PID) so the run ends clean; the last test reports it.
    for (const p of left) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("acceptance 1: initialize and version handshake (mismatch refused with a sentence), listTargets, verifyConfig good and bad (key named)", () => {
    assertCases(/^acceptance 1 - handshake/, 1);
  });

  it("acceptance 1: a Java and a Python program with the session's env reach the Service by name and see the target's env var; stop → agent gone within 30 s", () => {
    assertCases(/^acceptance 1 - (Java|Python) program/, 2);
  });

  it("acceptance 2: a JDWP-debugged Java handler stops at a JDI breakpoint on a stolen request", () => {
    assertCases(/^acceptance 2 - JDWP/, 1);
  });

  it("acceptance 3: a static Go program under Delve started as GoLand does (JSON-RPC API) stops at a breakpoint on a stolen request", () => {
    assertCases(/^acceptance 3 - /, 1);
  });

  it("acceptance 4: SIGKILL of the JVM running sidecar-client → the server sees stdin close, agent gone within 30 s", () => {
    assertCases(/^acceptance 4 - /, 1);
  });

  it("nothing is left (no agent pod, Job or chain, no process of the run), and Maven ran nothing else that failed", async () => {
    assert.ok(maven);
    // Leftovers first: they are checked whether or not a test failed.
    await waitForNoSession(30_000);
    const objects = await kubectl(["get", "pods,jobs", "-A", "-l", AGENT_LABEL, "--no-headers", "-o", "custom-columns=KIND:.kind,NAME:.metadata.name,PHASE:.status.phase,ACTIVE:.status.active"]);
    const running = objects.stdout.split("\n").filter((line) => /\b(Running|Pending)\b/.test(line) || /^Job\s+\S+\s+\S+\s+[1-9]/.test(line));
    assert.deepEqual(running, [], "no agent pod or active agent Job left");
    assert.deepEqual(processesUnder(work), [], "no process the tests started is left");
    assert.equal(maven.code, 0, `Maven exit ${maven.code}:\n${maven.output.slice(-6000)}`);
    assert.equal(cases.length, 6, cases.map((c) => c.name).join("; "));
  });
});

/**
 * `mirrord exec --target deployment/echo` on the real cluster for each kind of program
 * (issue 5): static Go, Go with cgo, Python 3, Node, Java 17 and curl (a) reach the echo
 * Service by its cluster name, (b) receive stolen requests carrying the filter header while the
 * rest reach the pod, (c) see an env var only the target container has, (d) read a file only
 * it has, (e) receive mirrored copies while the pod keeps answering.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AGENT_LABEL } from "@mirrord-ts/core";
import { importAgentImage } from "./agent/agent-image.js";
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS, kubectl } from "./cluster/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const cli = path.join(repo, "packages/core/dist/mirrord.js");
const programs = path.join(here, "programs");
const { echo, tcpUdpEcho } = WORKLOADS;
const serviceUrl = `http://${echo.name}.${E2E_NAMESPACE}.svc.cluster.local/from-local`;
const FILTER_HEADER = "x-mirrord-e2e";

interface Program {
  readonly name: string;
  readonly argv: (mode: string, arg: string) => string[];
}

let work: string;

function configFile(name: string, incoming: unknown): string {
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ target: { path: `deployment/${echo.name}`, namespace: E2E_NAMESPACE }, feature: { network: { incoming } }, agent: { communication_timeout: 10 } }));
  return file;
}

function mirrordEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: KUBECONFIG_PATH };
}

/** Runs `mirrord exec -f config -- program…` to the end; resolves to its exit code and output. */
function execOnce(config: string, argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "exec", "-f", config, "--", ...argv], { env: mirrordEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a server under `mirrord exec` and waits until it says "serving" (and the agent subscribed). */
async function startServer(config: string, argv: string[]) {
  const child = spawn(process.execPath, [cli, "exec", "-f", config, "--", ...argv], { env: mirrordEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!stdout.includes("serving") || !/(stealing|mirroring) remote port/.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start (exit ${child.exitCode}): ${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    output: () => stdout,
    /** Ctrl-C, as a person would stop it; resolves to mirrord's exit code. */
    stop: () =>
      new Promise<number | null>((resolve) => {
        child.once("exit", (code) => resolve(code));
        child.kill("SIGINT");
      }),
  };
}

/** An HTTP GET made from another pod to the echo Service: cluster traffic. */
async function clusterGet(urlPath: string, headers: Record<string, string> = {}): Promise<string> {
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ["--header", `${k}: ${v}`]);
  const result = await kubectl(["exec", "-n", E2E_NAMESPACE, `deploy/${tcpUdpEcho.name}`, "--", "wget", "-qO-", ...headerArgs, `http://${echo.name}${urlPath}`]);
  if (result.code !== 0) throw new Error(`wget failed: ${result.stderr}`);
  return result.stdout;
}

async function agentsRunning(): Promise<number> {
  const pods = await kubectl(["get", "pods", "-A", "-l", AGENT_LABEL, "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"]);
  return pods.stdout.split("\n").filter((phase) => phase === "Running" || phase === "Pending").length;
}

describe("mirrord exec on the real cluster", function () {
  this.timeout(180_000);
  const all: Program[] = [];

  before(async function () {
    this.timeout(900_000);
    work = mkdtempSync(path.join(tmpdir(), "mirrord-exec-e2e-"));
    execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(repo, "packages/core"), stdio: "ignore" });
    await importAgentImage();
    const staticGo = path.join(work, "probe-static");
    const cgoGo = path.join(work, "probe-cgo");
    execFileSync("go", ["build", "-o", staticGo, path.join(programs, "probe.go")], { env: { ...process.env, CGO_ENABLED: "0" } });
    execFileSync("go", ["build", "-o", cgoGo, path.join(programs, "probe.go")], { env: { ...process.env, CGO_ENABLED: "1" } });
    assert.match(execFileSync("file", [staticGo], { encoding: "utf8" }), /statically linked/);
    assert.match(execFileSync("file", [cgoGo], { encoding: "utf8" }), /dynamically linked/);
    all.push(
      { name: "static Go", argv: (mode, arg) => [staticGo, mode, arg] },
      { name: "Go with cgo", argv: (mode, arg) => [cgoGo, mode, arg] },
      { name: "Python 3", argv: (mode, arg) => ["python3", path.join(programs, "probe.py"), mode, arg] },
      { name: "Node", argv: (mode, arg) => [process.execPath, path.join(programs, "probe.mjs"), mode, arg] },
      { name: "Java 17", argv: (mode, arg) => ["java", path.join(programs, "Probe.java"), mode, arg] },
    );
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("(a) curl reaches the echo Service by its cluster name through the pod", async () => {
    const result = await execOnce(configFile("mirror", "mirror"), ["curl", "-sS", "--max-time", "20", serviceUrl]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"path":"\/from-local"/);
  });

  // The programs are built in before(); their names are known now, for the suites' titles.
  const names = ["static Go (CGO_ENABLED=0, launcher)", "Go with cgo", "Python 3", "Node", "Java 17"];
  for (const [index, title] of names.entries()) {
    describe(title, () => {
      const program = () => all[index]!;

      it("(a) reaches the echo Service by name, (c) sees the target's env var, (d) reads the target's file", async () => {
        const config = configFile("mirror", "mirror");
        const get = await execOnce(config, program().argv("get", serviceUrl));
        assert.equal(get.code, 0, `${program().name}: ${get.stderr}`);
        assert.match(get.stdout, /"path":"\/from-local"/, program().name);
        const env = await execOnce(config, program().argv("env", echo.onlyVar[0]));
        assert.equal(env.stdout, echo.onlyVar[1], `${program().name}: ${env.stderr}`);
        const file = await execOnce(config, program().argv("read", echo.onlyFile));
        assert.match(file.stdout, /only in the echo pod/, `${program().name}: ${file.stderr}`);
      });

      it("(b) its server gets stolen requests with the header; the pod answers the rest", async () => {
        const server = await startServer(configFile("steal", { mode: "steal", http_filter: { header_filter: `^${FILTER_HEADER}: .+` } }), program().argv("serve", String(echo.port)));
        try {
          const stolen = JSON.parse(await clusterGet("/stolen", { [FILTER_HEADER]: "yes" })) as { from: string; path: string };
          assert.match(stolen.from, /^local-/, program().name);
          assert.equal(stolen.path, "/stolen");
          assert.match(await clusterGet("/not-stolen"), /"path":"\/not-stolen"/);
        } finally {
          assert.equal(await server.stop(), 130, "mirrord exec returns the program's exit code (SIGINT)");
        }
        assert.match(await clusterGet("/after", { [FILTER_HEADER]: "yes" }), /"path":"\/after"/);
      });

      it("(e) with incoming mirror its server gets copies while the pod answers", async () => {
        const server = await startServer(configFile("mirror", "mirror"), program().argv("serve", String(echo.port)));
        try {
          for (const i of [1, 2, 3]) assert.match(await clusterGet(`/mirrored-${i}`), new RegExp(`"path":"/mirrored-${i}"`));
          const deadline = Date.now() + 10_000;
          while ((server.output().match(/got \/mirrored-/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
          assert.equal((server.output().match(/got \/mirrored-/g) ?? []).length, 3, `${program().name}: ${server.output()}`);
        } finally {
          await server.stop();
        }
      });
    });
  }

  // Mocha runs a suite's own tests before its nested suites, so this check is nested to run last.
  describe("after every session", () => {
    it("leaves no agent running", async () => {
      const deadline = Date.now() + 30_000;
      while ((await agentsRunning()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      assert.equal(await agentsRunning(), 0);
    });
  });
});

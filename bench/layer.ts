/**
 * `pnpm bench layer [runs]` (issue 5, acceptance 4): what the interception layer costs, in one
 * run, with the policy core's sessions use — network only (the default groups) and with the fs
 * feature on (file syscalls trapped; paths outside the native local prefixes reach the session's
 * JavaScript, which routes them with core's fileRouter, as RemoteFiles does):
 *  - start-up of `python3 -c pass` and a Go hello world (cgo: LD_PRELOAD, as an IDE starts it;
 *    static: the launcher) with the layer vs without — the ratio (goal ≤ 1.05× network only);
 *  - the added latency of one intercepted connect (redirected by JavaScript, as a connect the
 *    session sends through the agent is) and of one passed natively.
 *
 * The measurement machinery is the layer package's (packages/layer/src/test-support: the test
 * session, program builds, the runner; bench/layer-bench.ts is a script built on the same
 * modules, so it is not importable without running it). Traffic: loopback only (the
 * redirected address is TEST-NET, blackholed while this runs).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_GROUPS, SyscallGroup } from "../packages/layer/src/groups.js";
import { layerEnv, launcherArgv } from "../packages/layer/src/paths.js";
import { ensureBlackhole } from "../packages/layer/src/test-support/blackhole.js";
import { buildGo, realPython } from "../packages/layer/src/test-support/programs.js";
import { run } from "../packages/layer/src/test-support/run.js";
import { REMOTE, TestSession } from "../packages/layer/src/test-support/test-session.js";
import { configType } from "../packages/core/src/config/definition.js";
import { valueOf } from "../packages/core/src/config/dsl.js";
import { NATIVE_LOCAL_PREFIXES, fileRouter } from "../packages/core/src/session/remote-files.js";

const runs = Number(process.argv[2] ?? 30);
const connects = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Cmd = readonly [string, readonly string[], Record<string, string>?];

/** Median wall ms of each command over `runs` rounds, the commands interleaved per round (3 warm-ups). */
async function startups(commands: Cmd[]): Promise<number[]> {
  const samples: number[][] = commands.map(() => []);
  for (let i = 0; i < runs + 3; i++) {
    for (const [k, [command, args, env]] of commands.entries()) {
      const t0 = process.hrtime.bigint();
      const r = await run(command, [...args], { env: env ?? {} });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.code !== 0) throw new Error(`${command} failed: ${r.stderr}`);
      if (i >= 3) samples[k]!.push(ms);
    }
  }
  return samples.map(median);
}

/** Median µs per connect (go-connect prints mean ns) over 5 interleaved runs. */
async function perConnect(commands: Cmd[]): Promise<number[]> {
  const samples: number[][] = commands.map(() => []);
  for (let i = 0; i < 5; i++) {
    for (const [k, [command, args, env]] of commands.entries()) {
      const r = await run(command, [...args], { env: env ?? {}, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`${command} failed: ${r.stderr}`);
      samples[k]!.push(Number(r.stdout.trim()) / 1000);
    }
  }
  return samples.map(median);
}

const lines: string[] = [];
function row(name: string, bare: number, layered: number, unit: string, goal?: number): void {
  const ratio = layered / bare;
  const verdict = goal === undefined ? "" : ratio <= goal ? `  (goal ≤ ${goal.toFixed(2)}×: met)` : `  (goal ≤ ${goal.toFixed(2)}×: NOT met)`;
  const line = `${name.padEnd(52)} ${bare.toFixed(2).padStart(9)} ${layered.toFixed(2).padStart(9)} ${unit.padEnd(2)} ×${ratio.toFixed(3)}  +${(layered - bare).toFixed(2)} ${unit}${verdict}`;
  lines.push(line);
  console.log(line);
}

const removeBlackhole = ensureBlackhole();
const dir = mkdtempSync(join(tmpdir(), "mirrord-bench-layer-"));
const session = await TestSession.start();
try {
  const python = await realPython();
  const helloStatic = await buildGo("go-hello", dir, false);
  const helloCgo = await buildGo("go-hello", dir, true);
  const connect = await buildGo("go-connect", dir, false);
  const sock = session.supervisor.socketPath;
  const preload = layerEnv(sock);
  const [launcher, pyLauncherArgs] = launcherArgv(sock, python, ["-c", "pass"]);
  const [, staticArgs] = launcherArgv(sock, helloStatic, []);

  // Core's fs routing, as a session with `feature.fs: read` (mirrord's default) runs it.
  const router = fileRouter(valueOf(configType, { feature: { fs: "read" } }).feature.fs, [process.cwd()]);
  let fileCalls = 0;
  const fsPolicy = { files: { toSession: true, localPrefixes: NATIVE_LOCAL_PREFIXES }, defaultGroups: DEFAULT_GROUPS | SyscallGroup.files };
  const netPolicy = { files: { toSession: false, localPrefixes: NATIVE_LOCAL_PREFIXES }, defaultGroups: DEFAULT_GROUPS };

  const server = spawn(connect, ["serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  session.redirectPort = port;

  console.log(`${"".padEnd(52)} ${"without".padStart(9)} ${"with".padStart(9)}`);
  try {
    for (const [label, policy] of [["network only", netPolicy], ["fs feature on", fsPolicy]] as const) {
      session.supervisor.setPolicy(policy);
      session.verdict = () => ({ groups: policy.defaultGroups });
      session.handle = (n) => {
        if (n.group !== SyscallGroup.files) return false;
        fileCalls++;
        if (n.path) router.route(n.path, false);
        session.supervisor.respond(n, { continue: true });
        return true;
      };
      console.log(`-- ${label}`);
      const [pyBare, pyPre, pyLaunch, cgoBare, cgoPre, stBare, stLaunch] = await startups([
        [python, ["-c", "pass"]],
        [python, ["-c", "pass"], preload],
        [launcher, pyLauncherArgs],
        [helloCgo, []],
        [helloCgo, [], preload],
        [helloStatic, []],
        [launcher, staticArgs],
      ]);
      row(`python3 -c pass, LD_PRELOAD (median ms)`, pyBare!, pyPre!, "ms", 1.05);
      row(`python3 -c pass, launcher`, pyBare!, pyLaunch!, "ms", 1.05);
      row(`Go hello (cgo), LD_PRELOAD`, cgoBare!, cgoPre!, "ms", 1.05);
      row(`Go hello (static), launcher`, stBare!, stLaunch!, "ms", 1.05);
      const loopback = `127.0.0.1:${port}`;
      const [, passArgs] = launcherArgv(sock, connect, [loopback, String(connects)]);
      const [, redirectArgs] = launcherArgv(sock, connect, [`${REMOTE.ip}:${REMOTE.port}`, String(connects / 4)]);
      const [bare, passed, redirected] = await perConnect([
        [connect, [loopback, String(connects)]],
        [launcher, passArgs],
        [launcher, redirectArgs],
      ]);
      row(`Go net.Dial to loopback, passed natively (µs/connect)`, bare!, passed!, "µs");
      row(`Go net.Dial intercepted (redirected by the session)`, bare!, redirected!, "µs");
    }
  } finally {
    server.kill();
  }
  console.log(`(${runs} interleaved runs per start-up median; connects: median of 5 runs of ${connects} (intercepted: ${connects / 4}).`);
  console.log(` file syscalls that reached the session's JavaScript with fs on: ${fileCalls}; errors: ${session.errors.length})`);
} finally {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
  removeBlackhole();
}

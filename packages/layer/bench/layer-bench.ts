// Measures what the layer costs: start-up of `python3 -c pass` and of a static
// Go hello world with and without it, and the added latency of a pass-through
// connect (answered natively) and of a redirected one (answered by
// JavaScript). Run: pnpm --filter @mirrord-ts/layer bench [runs]
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBlackhole } from "../src/test-support/blackhole.js";
import { buildGo, programsDir, realPython } from "../src/test-support/programs.js";
import { run } from "../src/test-support/run.js";
import { REMOTE, TestSession } from "../src/test-support/test-session.js";
import { layerEnv, launcherArgv } from "../src/paths.js";
import { redirectConnect } from "../src/redirect.js";
import { watchListener } from "../src/inbound.js";
import dgram from "node:dgram";

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const runs = Number(process.argv[2] ?? 40);
const connects = 2000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of `runs` runs (after 3 warm-ups), like hyperfine: median in ms. */
async function startup(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = await run(command, args, { env });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.code !== 0) throw new Error(`${command} failed: ${r.stderr}`);
    if (i >= 3) times.push(ms);
  }
  return median(times);
}

/** Median µs per connect over 5 runs of each command, interleaved. */
async function connectCosts(commands: [string, string[]][]): Promise<number[]> {
  const samples: number[][] = commands.map(() => []);
  for (let i = 0; i < 5; i++) {
    for (const [k, [command, args]] of commands.entries()) {
      const r = await run(command, args, { timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`${command} failed: ${r.stderr}`);
      samples[k]!.push(Number(r.stdout.trim()) / 1000);
    }
  }
  return samples.map(median);
}

/** A listener outside the session's event loop, so it costs every run the same. */
function startListener(bin: string): Promise<{ port: number; stop: () => void }> {
  const child = spawn(bin, ["serve"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (d: Buffer) => resolve({ port: Number(d.toString().trim()), stop: () => child.kill() }));
  });
}

const row = (name: string, bare: number, layered: number, unit: string) =>
  console.log(`${name.padEnd(44)} ${bare.toFixed(2).padStart(9)} ${layered.toFixed(2).padStart(9)} ${unit.padEnd(3)} ×${(layered / bare).toFixed(2)}  (+${(layered - bare).toFixed(2)} ${unit})`);

const removeBlackhole = ensureBlackhole();
const dir = mkdtempSync(join(tmpdir(), "layer-bench-"));
const session = await TestSession.start();
try {
  const python = await realPython();
  const hello = await buildGo("go-hello", dir, false);
  const connect = await buildGo("go-connect", dir, false);
  const sock = session.supervisor.socketPath;

  console.log(`${"".padEnd(44)} ${"without".padStart(9)} ${"with".padStart(9)}`);
  row("python3 -c pass, LD_PRELOAD (median)", await startup(python, ["-c", "pass"]), await startup(python, ["-c", "pass"], layerEnv(sock)), "ms");
  const [launcher, pyArgs] = launcherArgv(sock, python, ["-c", "pass"]);
  row("python3 -c pass, launcher (median)", await startup(python, ["-c", "pass"]), await startup(launcher, pyArgs), "ms");
  const [, helloArgs] = launcherArgv(sock, hello, []);
  row("static Go hello, launcher (median)", await startup(hello, []), await startup(launcher, helloArgs), "ms");

  const loop = join(dir, "loop");
  execFileSync("gcc", ["-O2", "-static", "-o", loop, join(programsDir, "c-syscall-loop", "loop.c")]);
  const listener = await startListener(connect);
  try {
    const [, loopNames] = launcherArgv(sock, loop, ["getsockname", "20000"]);
    const [bareName, trappedName] = await connectCosts([[loop, ["getsockname", "20000"]], [launcher, loopNames]]);
    row("getsockname, one trapped syscall passed natively", bareName!, trappedName!, "µs");
    const [, loopConnect] = launcherArgv(sock, loop, ["connect", String(listener.port), "2000"]);
    const [bareC, trappedC] = await connectCosts([[loop, ["connect", String(listener.port), "2000"]], [launcher, loopConnect]]);
    row("C connect to loopback, passed natively", bareC!, trappedC!, "µs");

    // UDP: a send on a connected socket and a recvfrom with a source buffer per round.
    const [, loopUdp] = launcherArgv(sock, loop, ["udp", "20000"]);
    const [bareUdp, trappedUdp] = await connectCosts([[loop, ["udp", "20000"]], [launcher, loopUdp]]);
    row("UDP send + recvfrom(src), recvfrom passed natively", bareUdp!, trappedUdp!, "µs");
    const [, loopNoAddr] = launcherArgv(sock, loop, ["udp-noaddr", "20000"]);
    const [bareNoAddr, layeredNoAddr] = await connectCosts([[loop, ["udp-noaddr", "20000"]], [launcher, loopNoAddr]]);
    row("UDP send + recvfrom(NULL), never trapped", bareNoAddr!, layeredNoAddr!, "µs");
    const udpPort = await freeUdpPort();
    session.handle = (n) => {
      if (n.syscall !== "connect" || n.addr?.ipv4 !== REMOTE.ip || n.addr.port !== 53) return false;
      redirectConnect(session.supervisor, n, "127.0.0.1", udpPort);
      return true;
    };
    const [, loopRedirected] = launcherArgv(sock, loop, ["udp-redirected", String(udpPort), "20000"]);
    const [answered] = await connectCosts([[launcher, loopRedirected]]);
    session.handle = () => false;
    row("UDP recvfrom answered natively (source rewritten)", bareUdp!, answered!, "µs");

    // Accept: connect + accept per round on the program's own listener.
    const [, loopAccept] = launcherArgv(sock, loop, ["accept", "3000"]);
    const [bareAccept, passedAccept] = await connectCosts([[loop, ["accept", "3000"]], [launcher, loopAccept]]);
    row("connect + accept, both passed natively", bareAccept!, passedAccept!, "µs");
    session.supervisor.setPolicy({ inbound: "bind" });
    session.handle = (n) => {
      if (n.syscall !== "listen") return false;
      watchListener(session.supervisor, n.pid, n.fd!);
      session.supervisor.respond(n, { continue: true });
      return true;
    };
    const [servedAccept] = await connectCosts([[launcher, loopAccept]]);
    session.handle = () => false;
    session.supervisor.setPolicy({});
    row("connect + accept served natively (accept on behalf)", bareAccept!, servedAccept!, "µs");

    const loopback = `127.0.0.1:${listener.port}`;
    session.redirectPort = listener.port;
    const [, passArgs] = launcherArgv(sock, connect, [loopback, String(connects)]);
    const [, redirectArgs] = launcherArgv(sock, connect, [`${REMOTE.ip}:${REMOTE.port}`, String(connects / 4)]);
    const jsBefore = session.notifications.length;
    const [bare, passed] = await connectCosts([[connect, [loopback, String(connects)]], [launcher, passArgs]]);
    if (session.notifications.length !== jsBefore) throw new Error("pass-through connects reached JavaScript");
    const [redirected] = await connectCosts([[launcher, redirectArgs]]);
    row("Go net.Dial to loopback, passed natively (3 traps)", bare!, passed!, "µs");
    row("Go net.Dial redirected by JS vs bare loopback Dial", bare!, redirected!, "µs");
  } finally {
    listener.stop();
  }
  console.log(`(${runs} runs per start-up median; per-call rows: median of 5 runs. A Go Dial traps connect, getsockname and getpeername;`);
  console.log(` redirected: connect answered by JavaScript (getFd + connect + watch), get*name natively from stored bytes.)`);
} finally {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
  removeBlackhole();
}

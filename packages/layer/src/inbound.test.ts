// Incoming connections delivered to real servers: each binds a port that
// another local process already holds, the session binds it elsewhere, then
// connects to the real port as the remote client 198.51.100.7:41000
// (TEST-NET-2, blackholed for the duration: nothing is ever sent there), and
// the server reports that client as its peer and its own port as requested.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bindElsewhere, connectInbound, watchListener } from "./inbound.js";
import { sockaddr } from "./sockaddr.js";
import { ensureBlackhole } from "./test-support/blackhole.js";
import { buildGo, buildJava, realPython } from "./test-support/programs.js";
import { describeRun, type RunResult } from "./test-support/run.js";
import { TestSession } from "./test-support/test-session.js";

const FAKE_PEER = { ip: "198.51.100.7", port: 41000 };
const TEST_NET_2 = "198.51.100.0/24";

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTP/1.0 exchange on a connection the session makes as `peer`. */
function exchange(session: TestSession, port: number, peer = FAKE_PEER): Promise<string> {
  const sock = connectInbound(session.supervisor, port, peer);
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      let data = "";
      sock.on("data", (d: Buffer) => (data += d.toString()));
      sock.on("end", () => resolve(data));
      sock.on("error", reject);
      sock.write("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
    }),
    20_000,
    "response",
  ).finally(() => sock.destroy());
}

describe("inbound connections for real servers (bind elsewhere, accept on behalf)", function () {
  let session: TestSession;
  let busy: net.Server;
  let busyPort: number;
  let bound: ReturnType<typeof deferred<number>>;
  let removeBlackholes: (() => void)[] = [];
  let buildDir: string;
  let python: string;
  const built = { goServe: "", javaClasspath: "" };

  before(async function () {
    this.timeout(900_000);
    removeBlackholes = [ensureBlackhole(), ensureBlackhole(TEST_NET_2)];
    python = await realPython();
    buildDir = mkdtempSync(join(tmpdir(), "layer-inbound-"));
    built.goServe = await buildGo("go-serve", buildDir, false);
    built.javaClasspath = await buildJava(buildDir);
  });
  after(function () {
    for (const remove of removeBlackholes) remove();
    rmSync(buildDir, { recursive: true, force: true });
  });
  beforeEach(async function () {
    session = await TestSession.start();
    session.supervisor.setPolicy({ inbound: "session" });
    busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    busyPort = (busy.address() as net.AddressInfo).port;
    bound = deferred<number>();
    session.handle = (n) => {
      if (n.syscall !== "bind" || n.addr?.port !== busyPort) return false;
      const port = bindElsewhere(session.supervisor, n);
      if (port !== undefined) bound.resolve(port);
      return true;
    };
  });
  afterEach(async function () {
    await session.close();
    await new Promise((r) => busy.close(r));
  });

  /** Starts a server, waits until it says "listening", then exchanges one request. */
  async function serve(start: (onStdout: (all: string) => void) => Promise<RunResult>, peer = FAKE_PEER) {
    const listening = deferred<void>();
    const running = start((all) => {
      if (/listening/.test(all)) listening.resolve();
    });
    const realPort = await withTimeout(bound.promise, 60_000, "bind");
    await withTimeout(Promise.race([listening.promise, running.then((r) => assert.fail(`exited: ${describeRun(r)}`))]), 60_000, "listening");
    assert.notEqual(realPort, busyPort);
    const response = await exchange(session, realPort, peer);
    const result = await running;
    return { response, result, realPort };
  }

  it("python socket.accept (blocking, parked natively) and accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC; non-blocking accept says EAGAIN", async function () {
    const script = [
      "import socket, os, sys, fcntl, ctypes",
      "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()",
      "s.setblocking(False)",
      "try: s.accept(); print('accepted?!')",
      "except BlockingIOError: print('eagain')",
      "s.setblocking(True)",
      "print('listening', s.getsockname()[1], flush=True)",
      "c, peer = s.accept()",
      "print('peer', peer, c.getpeername(), c.getsockname()[1], os.get_inheritable(c.fileno()), flush=True)",
      "c.recv(4096)",
      "c.sendall(b'HTTP/1.0 200 OK\\r\\n\\r\\nREMOTE_ADDR=%s:%d\\n' % (peer[0].encode(), peer[1])); c.close()",
      "libc = ctypes.CDLL(None, use_errno=True)",
      "fd = libc.accept4(s.fileno(), None, None, os.O_NONBLOCK | os.O_CLOEXEC)",
      "print('accept4', fd >= 0, bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK), bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC), socket.socket(fileno=fd).getpeername(), flush=True)",
    ].join("\n");
    const listening = deferred<void>();
    const running = session.runPreloaded(python, ["-c", script, String(busyPort)], {
      onStdout: (all) => /listening/.test(all) && listening.resolve(),
    });
    const realPort = await withTimeout(bound.promise, 30_000, "bind");
    await withTimeout(listening.promise, 30_000, "listening");
    // The blocking accept is parked on the native thread: no notification
    // traffic while it waits (it neither spins nor wakes JavaScript).
    for (let i = 0; i < 200 && session.supervisor.stats().waitingAccepts === 0; i++) await sleep(10);
    const before = session.supervisor.stats();
    assert.equal(before.waitingAccepts, 1, JSON.stringify(before));
    await sleep(300);
    const still = session.supervisor.stats();
    assert.equal(still.received, before.received, "a parked accept receives nothing while it waits");
    assert.equal(still.sentToSession, before.sentToSession);

    const response = await exchange(session, realPort);
    assert.match(response, /REMOTE_ADDR=198\.51\.100\.7:41000\n$/);
    // The second connection: accept4 through libc, another registered peer.
    const second = connectInbound(session.supervisor, realPort, { ip: "198.51.100.8", port: 42000 });
    const r = await running;
    second.destroy();
    assert.equal(r.code, 0, describeRun(r));
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], "eagain");
    assert.equal(lines[1], `listening ${busyPort}`);
    assert.equal(lines[2], `peer ('198.51.100.7', 41000) ('198.51.100.7', 41000) ${busyPort} False`);
    assert.equal(lines[3], "accept4 True True True ('198.51.100.8', 42000)");
    const stats = session.supervisor.stats();
    assert.equal(stats.accepted, 2, JSON.stringify(stats));
    assert.equal(stats.waitingAccepts, 0);
    assert.equal(stats.expectedPeers, 0, "registrations are consumed by the accepts");
    assert.ok(!session.notificationsOf(r.pid).some((n) => n.syscall === "accept" || n.syscall === "accept4"), "accepts never reach JavaScript");
  });

  it("a parked blocking accept stays killable, and its copy of the listener goes with it", async function () {
    const script = "import socket, sys; s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('listening', flush=True); s.accept()";
    let pid = 0;
    const running = session.runPreloaded(python, ["-c", script, String(busyPort)], { onStdout: (_all, p) => (pid = p) });
    const realPort = await withTimeout(bound.promise, 30_000, "bind");
    for (let i = 0; i < 500 && (pid === 0 || session.supervisor.stats().waitingAccepts === 0); i++) await sleep(10);
    assert.equal(session.supervisor.stats().waitingAccepts, 1);
    process.kill(pid, "SIGTERM");
    const r = await withTimeout(running, 10_000, "exit after SIGTERM");
    assert.equal(r.signal, "SIGTERM", describeRun(r));
    for (let i = 0; i < 200 && session.supervisor.stats().waitingAccepts !== 0; i++) await sleep(10);
    assert.equal(session.supervisor.stats().waitingAccepts, 0);
    // Nothing holds the listener any more: its port is free again.
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(realPort, "127.0.0.1", resolve);
    });
    await new Promise((r) => again.close(r));
  });

  it("a parked accept whose thread dies in another thread's exec is dropped, and the listener port is free", async function () {
    const script = [
      "import os, socket, sys, threading, time",
      "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()",
      "threading.Thread(target=s.accept, daemon=True).start()",
      "print('listening', flush=True); sys.stdin.readline()",
      "os.execv('/bin/sleep', ['sleep', '1'])",
    ].join("\n");
    let release: () => void = () => {};
    const running = session.runPreloaded(python, ["-c", script, String(busyPort)], {
      input: (stdin) => (release = () => stdin.end("go\n")),
    });
    const realPort = await withTimeout(bound.promise, 30_000, "bind");
    for (let i = 0; i < 500 && session.supervisor.stats().waitingAccepts === 0; i++) await sleep(10);
    assert.equal(session.supervisor.stats().waitingAccepts, 1);
    release();
    for (let i = 0; i < 200 && session.supervisor.stats().waitingAccepts !== 0; i++) await sleep(10);
    assert.equal(session.supervisor.stats().waitingAccepts, 0, "dropped while the process still runs (sleep)");
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(realPort, "127.0.0.1", resolve);
    });
    await new Promise((r) => again.close(r));
    const r = await running;
    assert.equal(r.code, 0, describeRun(r));
  });

  it("signals reach a parked accept: a handler runs and the accept goes on (ERESTARTSYS), Ctrl-C interrupts it", async function () {
    const script = [
      "import signal, socket, sys",
      "signal.signal(signal.SIGUSR1, lambda *_: print('usr1', flush=True))",
      "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('listening', flush=True)",
      "try:",
      "    c, peer = s.accept(); print('peer', peer, flush=True)",
      "    s.accept()",
      "except KeyboardInterrupt: print('interrupted', flush=True)",
    ].join("\n");
    let pid = 0;
    let out = "";
    const running = session.runPreloaded(python, ["-c", script, String(busyPort)], { onStdout: (all, p) => ((pid = p), (out = all)) });
    const realPort = await withTimeout(bound.promise, 30_000, "bind");
    const parked = async () => {
      for (let i = 0; i < 500 && (pid === 0 || session.supervisor.stats().waitingAccepts === 0); i++) await sleep(10);
      assert.equal(session.supervisor.stats().waitingAccepts, 1, out);
    };
    await parked();
    process.kill(pid, "SIGUSR1");
    for (let i = 0; i < 300 && !out.includes("usr1"); i++) await sleep(10);
    assert.match(out, /usr1\n/, "the handler ran while the accept was parked");
    await parked(); // and the accept was made again
    const conn = connectInbound(session.supervisor, realPort, FAKE_PEER);
    for (let i = 0; i < 300 && !out.includes("peer"); i++) await sleep(10);
    await parked();
    process.kill(pid, "SIGINT");
    const r = await withTimeout(running, 10_000, "exit after SIGINT");
    conn.destroy();
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, "listening\nusr1\npeer ('198.51.100.7', 41000)\ninterrupted\n");
    assert.equal(session.supervisor.stats().waitingAccepts, 0);
  });

  it("a connection with no registered peer is handed over with its real peer", async function () {
    const script = "import socket, sys; s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('listening', flush=True); c, peer = s.accept(); print(peer[0], peer[1] == int(c.recv(16)), c.getpeername() == peer)";
    const listening = deferred<void>();
    const running = session.runPreloaded(python, ["-c", script, String(busyPort)], { onStdout: (all) => /listening/.test(all) && listening.resolve() });
    const realPort = await withTimeout(bound.promise, 30_000, "bind");
    await withTimeout(listening.promise, 30_000, "listening");
    const plain = net.connect(realPort, "127.0.0.1");
    await new Promise((r) => plain.once("connect", r));
    plain.end(String(plain.localPort));
    const r = await running;
    assert.equal(r.stdout, "listening\n127.0.0.1 True True\n", describeRun(r));
    assert.equal(session.supervisor.stats().accepted, 1);
  });

  it("watchListener: a listener bound natively (its port was free) is served the same way from its listen on", async function () {
    session.handle = (n) => {
      if (n.syscall !== "listen") return false;
      watchListener(session.supervisor, n.pid, n.fd!);
      session.supervisor.respond(n, { continue: true });
      return true;
    };
    const script = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); print('listening', s.getsockname()[1], flush=True); c, peer = s.accept(); print(peer, c.getpeername())";
    let port = 0;
    const running = session.runPreloaded(python, ["-c", script], { onStdout: (all) => (port = Number(/listening (\d+)/.exec(all)?.[1] ?? 0)) });
    for (let i = 0; i < 500 && port === 0; i++) await sleep(10);
    const conn = connectInbound(session.supervisor, port, FAKE_PEER);
    const r = await running;
    conn.destroy();
    assert.equal(r.stdout, `listening ${port}\n('198.51.100.7', 41000) ('198.51.100.7', 41000)\n`, describeRun(r));
  });

  it("a registration naming the client address matches only connections from that address", async function () {
    session.supervisor.setPolicy({ inbound: "bind" });
    session.handle = (n) => {
      if (n.syscall !== "listen") return false;
      watchListener(session.supervisor, n.pid, n.fd!);
      session.supervisor.respond(n, { continue: true });
      return true;
    };
    const script = [
      "import socket",
      "s = socket.socket(); s.bind(('127.0.0.2', 0)); s.listen(); print('listening', s.getsockname()[1], flush=True)",
      "for _ in range(2): c, peer = s.accept(); print(peer, flush=True)",
    ].join("\n");
    let port = 0;
    const running = session.runPreloaded(python, ["-c", script], { onStdout: (all) => (port = Number(/listening (\d+)/.exec(all)?.[1] ?? 0)) });
    for (let i = 0; i < 500 && port === 0; i++) await sleep(10);
    const freePort = async () => {
      const probe = net.createServer();
      await new Promise<void>((r) => probe.listen(0, "127.0.0.2", r));
      const p = (probe.address() as net.AddressInfo).port;
      await new Promise((r) => probe.close(r));
      return p;
    };
    const connectFrom = async (localPort: number) => {
      const c = net.connect({ host: "127.0.0.2", port, localAddress: "127.0.0.2", localPort });
      await new Promise((r) => c.once("connect", r));
      return c;
    };
    const fake = sockaddr(FAKE_PEER.ip, FAKE_PEER.port);
    const x = await freePort();
    session.supervisor.expectPeer(x, fake, "127.0.0.3"); // another client address: must not match
    const first = await connectFrom(x);
    const y = await freePort();
    session.supervisor.expectPeer(y, fake, "127.0.0.2");
    const second = await connectFrom(y);
    const r = await running;
    first.destroy();
    second.destroy();
    assert.equal(r.stdout, `listening ${port}\n('127.0.0.2', ${x})\n('198.51.100.7', 41000)\n`, describeRun(r));
    assert.equal(session.supervisor.stats().expectedPeers, 1, "the unmatched registration is still there");
    session.supervisor.forgetPeer(x, fake, "127.0.0.3");
    assert.equal(session.supervisor.stats().expectedPeers, 0);
  });

  it("node http.createServer: req.socket.remoteAddress is the remote client, address() the requested port (inbound: \"bind\")", async function () {
    session.supervisor.setPolicy({ inbound: "bind" });
    const script = [
      "const http = require('http');",
      "const srv = http.createServer((req, res) => {",
      "  res.end(`remote=${req.socket.remoteAddress}:${req.socket.remotePort} local=${req.socket.localPort}\\n`);",
      "  srv.close();",
      "});",
      "srv.listen(+process.argv[1], '127.0.0.1', () => console.log('listening', srv.address().port));",
    ].join("\n");
    const { response, result } = await serve((onStdout) => session.runPreloaded(process.execPath, ["-e", script, String(busyPort)], { onStdout }));
    assert.equal(result.code, 0, describeRun(result));
    assert.equal(result.stdout, `listening ${busyPort}\n`);
    assert.match(response, new RegExp(`\\r\\n\\r\\nremote=198\\.51\\.100\\.7:41000 local=${busyPort}\\n$`));
    const calls = session.notificationsOf(result.pid).map((n) => n.syscall);
    assert.ok(calls.includes("bind") && calls.includes("listen") && !calls.some((c) => c.startsWith("accept")), calls.join(","));
  });

  it("a static Go net/http server through the launcher: r.RemoteAddr is the remote client", async function () {
    const { response, result } = await serve((onStdout) => session.runLaunched(built.goServe, [`:${busyPort}`], { onStdout }));
    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, new RegExp(`^listening \\[::\\]:${busyPort}\\nserved 198\\.51\\.100\\.7:41000\\n$`));
    assert.match(response, new RegExp(`remote=198\\.51\\.100\\.7:41000 local=127\\.0\\.0\\.1:${busyPort}\\n$`));
  });

  it("java 17 ServerSocket (blocking accept on an IPv6 socket): getInetAddress is the remote client", async function () {
    const { response, result } = await serve((onStdout) =>
      session.runPreloaded("java", ["-cp", built.javaClasspath, "Serve", String(busyPort)], { onStdout, timeoutMs: 90_000 }),
    );
    assert.equal(result.code, 0, describeRun(result));
    assert.equal(result.stdout, `listening ${busyPort}\nserved 198.51.100.7:41000\n`);
    assert.match(response, new RegExp(`remote=198\\.51\\.100\\.7:41000 local=${busyPort}\\n$`));
  });
});

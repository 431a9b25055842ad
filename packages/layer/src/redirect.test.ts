// Real programs under the layer: their connects to a TEST-NET address are
// redirected by the session to a local HTTP server (never sent: the prefix is
// blackholed for the duration), and they see the original peer.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBlackhole } from "./test-support/blackhole.js";
import { buildGo, buildJava, realPython } from "./test-support/programs.js";
import { describeRun } from "./test-support/run.js";
import { BODY, REMOTE, TestSession } from "./test-support/test-session.js";

const URL_REMOTE = `http://${REMOTE.ip}:${REMOTE.port}/`;

describe("redirected connects of real programs", function () {
  let session: TestSession;
  let removeBlackhole: () => void = () => {};
  let buildDir: string;
  let python: string;
  const built = { goStatic: "", goCgo: "", goConnect: "", javaClasspath: "" };

  before(async function () {
    // A cold Go build cache makes these slow the first time on a machine.
    this.timeout(900_000);
    removeBlackhole = ensureBlackhole();
    python = await realPython();
    buildDir = mkdtempSync(join(tmpdir(), "layer-programs-"));
    built.goStatic = await buildGo("go-http", buildDir, false);
    built.goCgo = await buildGo("go-http", buildDir, true);
    built.goConnect = await buildGo("go-connect", buildDir, false);
    built.javaClasspath = await buildJava(buildDir);
  });
  after(function () {
    removeBlackhole();
    rmSync(buildDir, { recursive: true, force: true });
  });
  beforeEach(async function () {
    session = await TestSession.start();
  });
  afterEach(async function () {
    await session.close();
  });

  function assertRedirected(pid: number): void {
    assert.ok(
      session.redirected.some((r) => r.pid === pid),
      `no connect of pid ${pid} reached the session: ${JSON.stringify(session.notifications.map((n) => [n.pid, n.syscall]))}`,
    );
  }

  it("curl (non-blocking connect answered EINPROGRESS) gets the local answer and reports the original peer", async function () {
    const r = await session.runPreloaded("curl", ["-sS", "-m", "10", "-w", "\npeer=%{remote_ip}:%{remote_port}", URL_REMOTE]);
    assert.equal(r.code, 0, describeRun(r));
    assert.ok(r.stdout.startsWith(BODY), describeRun(r));
    assert.match(r.stdout, /peer=203\.0\.113\.10:80$/);
    assertRedirected(r.pid);
    assert.deepEqual(session.errors, []);
  });

  it("python3 urllib, and getpeername shows 203.0.113.10:80 (also through an IPv4-mapped IPv6 socket)", async function () {
    const script = [
      "import socket, urllib.request",
      `print(urllib.request.urlopen('${URL_REMOTE}', timeout=10).read().decode(), end='')`,
      `s = socket.create_connection(('${REMOTE.ip}', ${REMOTE.port}), timeout=10)`,
      "print('peer4', s.getpeername())",
      "s6 = socket.socket(socket.AF_INET6)",
      `s6.connect(('::ffff:${REMOTE.ip}', ${REMOTE.port}))`,
      "print('peer6', s6.getpeername()[:2])",
    ].join("\n");
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.ok(r.stdout.startsWith(BODY), describeRun(r));
    assert.match(r.stdout, /peer4 \('203\.0\.113\.10', 80\)/);
    assert.match(r.stdout, /peer6 \('::ffff:203\.0\.113\.10', 80\)/);
    const mapped = session.notificationsOf(r.pid).find((n) => n.addr?.family === "inet6");
    assert.equal(mapped?.addr?.ipv4, REMOTE.ip);
    // The original peer is written back on the native thread.
    assert.ok(session.supervisor.stats().answeredNatively >= 2, JSON.stringify(session.supervisor.stats()));
    assert.ok(!session.notificationsOf(r.pid).some((n) => n.syscall === "getpeername"));
  });

  it("python3 TCP Fast Open (sendto and sendmsg with MSG_FASTOPEN): the session connects and sends the data", async function () {
    const script = [
      "import socket",
      "MSG_FASTOPEN = 0x20000000",
      `addr = ('${REMOTE.ip}', ${REMOTE.port})`,
      "req = b'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n'",
      "for send in (lambda s: s.sendto(req, MSG_FASTOPEN, addr), lambda s: s.sendmsg([req[:5], req[5:]], [], MSG_FASTOPEN, addr)):",
      "    s = socket.socket()",
      "    print('sent', send(s) == len(req))",
      "    data = b''",
      "    while chunk := s.recv(4096): data += chunk",
      "    print(data.split(b'\\r\\n')[0].decode(), data.endswith(b'hello from the session\\n'), s.getpeername())",
    ].join("\n");
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    const expected = "sent True\nHTTP/1.1 200 OK True ('203.0.113.10', 80)\n";
    assert.equal(r.stdout, expected + expected);
    assert.equal(session.redirected.filter((x) => x.pid === r.pid).length, 2);
  });

  it("node http.get", async function () {
    const script = `require('http').get('${URL_REMOTE}', (res) => res.pipe(process.stdout)).on('error', (e) => { console.error(e); process.exit(1); })`;
    const r = await session.runPreloaded(process.execPath, ["-e", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, BODY);
    assertRedirected(r.pid);
  });

  it("java 17 HttpURLConnection", async function () {
    const classpath = built.javaClasspath;
    const r = await session.runPreloaded("java", ["-cp", classpath, "HttpGet", REMOTE.ip], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /status: 200\nbody: hello from the session/);
    assertRedirected(r.pid);
  });

  it("a cgo Go program through LD_PRELOAD", async function () {
    const bin = built.goCgo;
    const r = await session.runPreloaded(bin, [`${REMOTE.ip}:${REMOTE.port}`]);
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /body: hello from the session/);
    assert.match(r.stdout, /status: HTTP\/1.1 200 OK/);
    assert.match(r.stdout, /remote: 203\.0\.113\.10:80/);
  });

  it("a statically linked Go program through the launcher", async function () {
    const bin = built.goStatic;
    const r = await session.runLaunched(bin, [`${REMOTE.ip}:${REMOTE.port}`]);
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /body: hello from the session/);
    assert.match(r.stdout, /remote: 203\.0\.113\.10:80/);
    assert.equal(session.hellos[0]?.kind, "launcher");
    assert.equal(session.hellos[0]?.exe, bin);
    assertRedirected(r.pid); // the launcher execs: same pid
  });

  it("concurrent redirected connects of a static Go program under SIGURG load all succeed exactly once (WAIT_KILLABLE_RECV)", async function () {
    const bin = built.goConnect;
    session.answerDelayMs = 2;
    let pid = 0;
    const signals = setInterval(() => {
      try {
        if (pid > 0) process.kill(pid, "SIGURG");
      } catch {
        // exited
      }
    }, 1);
    try {
      const running = session.runLaunched(bin, [`${REMOTE.ip}:${REMOTE.port}`, "200", "20"], { timeoutMs: 90_000 });
      const started = Date.now();
      while (session.attached.length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 5));
      pid = session.attached[0]?.pid ?? 0;
      const r = await running;
      assert.equal(r.code, 0, describeRun(r));
    } finally {
      clearInterval(signals);
    }
    assert.equal(session.redirected.filter((x) => x.pid === pid).length, 200);
    assert.ok(session.supervisor.stats().watchedSockets < 100, "closed redirected sockets are pruned");
  });

  it("a child exec'd by an intercepted python is intercepted too, and announces itself", async function () {
    const child = `import urllib.request; print(urllib.request.urlopen('${URL_REMOTE}', timeout=10).read().decode(), end='')`;
    const script = `import subprocess, sys; subprocess.run([sys.executable, '-c', ${JSON.stringify(child)}], check=True)`;
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, BODY);
    const inherited = session.hellos.find((h) => h.kind === "inherited" && h.argv.includes(child));
    assert.ok(inherited, `hellos: ${JSON.stringify(session.hellos)}`);
    assert.equal(inherited.ppid, r.pid);
    assertRedirected(inherited.pid);
    assert.equal(session.supervisor.stats().attached, 1, "the child must not stack a second filter");
  });

  it("a static Go child of an intercepted python is served by the same filter, under its own pid, without a hello", async function () {
    const bin = built.goStatic;
    const script = `import subprocess, sys; sys.exit(subprocess.run([${JSON.stringify(bin)}, '${REMOTE.ip}:${REMOTE.port}']).returncode)`;
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /remote: 203\.0\.113\.10:80/);
    const child = session.redirected.find((x) => x.pid !== r.pid);
    assert.ok(child, "the Go child's connects reached the session under its own pid");
    assert.deepEqual(session.hellos.map((h) => h.pid), [r.pid]);
    assert.equal(session.supervisor.stats().attached, 1);
  });

  it("loopback connects pass natively: JavaScript never sees them", async function () {
    const before = session.supervisor.stats();
    const r = await session.runPreloaded("curl", ["-sS", "-m", "10", `http://127.0.0.1:${session.serverPort}/`]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, BODY);
    const after = session.supervisor.stats();
    assert.deepEqual(session.notificationsOf(r.pid), []);
    assert.equal(after.sentToSession, before.sentToSession);
    assert.ok(after.passedNatively > before.passedNatively, JSON.stringify(after));
  });
});

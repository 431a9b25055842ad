// The layer's mechanics with real processes: hello verdicts, the natively
// answered cases, file and inbound notifications, ADDFD, a dead supervisor.
import assert from "node:assert/strict";
import { closeSync, fstatSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { errno } from "./errno.js";
import { ALL_GROUPS, DEFAULT_GROUPS, SyscallGroup } from "./groups.js";
import { checkKernel, describeKernel } from "./kernel.js";
import { addon } from "./native.js";
import { layerPaths } from "./paths.js";
import { rawPolicy } from "./policy.js";
import { getFd, readMemory, writeMemory } from "./target.js";
import { ensureBlackhole } from "./test-support/blackhole.js";
import { realPython } from "./test-support/programs.js";
import { describeRun, run } from "./test-support/run.js";
import { REMOTE, TestSession } from "./test-support/test-session.js";

describe("layer mechanics", function () {
  let session: TestSession;
  let python: string;
  let removeBlackhole: () => void = () => {};

  before(async function () {
    removeBlackhole = ensureBlackhole();
    python = await realPython();
  });
  after(function () {
    removeBlackhole();
  });
  beforeEach(async function () {
    session = await TestSession.start();
  });
  afterEach(async function () {
    await session.close();
  });

  it("this kernel has every feature the layer needs", function () {
    const k = checkKernel();
    assert.deepEqual(k.missing, [], k.problem);
    assert.equal(k.problem, undefined);
    assert.match(k.release, /^\d+\.\d+/);
  });

  it("a kernel without WAIT_KILLABLE_RECV gets one sentence naming its version", function () {
    const k = describeKernel({ release: "5.15.0-91-generic", probeError: 0, userNotification: true, waitKillableRecv: false, addfd: true, addfdSend: true, pidfdGetfd: true });
    assert.deepEqual(k.missing, ["wait-killable-recv"]);
    assert.equal(k.problem, "Linux 5.15.0-91-generic lacks SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19); mirrord needs Linux 5.19 or newer.");
  });

  it("the TypeScript groups match the native syscall table", function () {
    const table = addon().syscallTable();
    const byName = new Map(table.map((s) => [s.name, s.group]));
    assert.equal(byName.get("connect"), SyscallGroup.netOut);
    assert.equal(byName.get("bind"), SyscallGroup.netIn);
    assert.equal(byName.get("getpeername"), SyscallGroup.netNames);
    assert.equal(byName.get("openat"), SyscallGroup.files);
    assert.equal(byName.get("recvfrom"), SyscallGroup.netRecv);
    assert.equal(byName.get("recvmsg"), SyscallGroup.netRecvMsg);
    for (const s of table) assert.ok((s.group & ALL_GROUPS) === s.group, s.name);
  });

  it("io_uring_setup fails with ENOSYS under the filter (and works without it)", async function () {
    const script = [
      "import ctypes",
      "libc = ctypes.CDLL(None, use_errno=True)",
      "params = ctypes.create_string_buffer(120)",
      "r = libc.syscall(425, 4, params)",
      "print(r, ctypes.get_errno())",
    ].join("\n");
    const bare = await run(python, ["-c", script]);
    assert.doesNotMatch(bare.stdout, /^-1 38$/m, "io_uring must work without the layer for this test to mean anything");
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout.trim(), "-1 38");
    assert.deepEqual(session.notificationsOf(r.pid), [], "answered by the filter itself");
  });

  it("a process whose hello is answered skip runs without a filter", async function () {
    session.verdict = (h) => (h.argv.includes("skip-me") ? { skip: true } : {});
    const script = "import os, sys; print([l for l in open('/proc/self/status') if l.startswith('Seccomp:')][0].split()[1], os.environ.get('MIRRORD_LAYER_ACTIVE'))";
    const skipped = await session.runPreloaded(python, ["-c", script, "skip-me"]);
    assert.equal(skipped.stdout.trim(), "0 None", describeRun(skipped));
    const filtered = await session.runPreloaded(python, ["-c", script]);
    assert.equal(filtered.stdout.trim(), `2 ${filtered.pid}`, describeRun(filtered));
    assert.equal(session.supervisor.stats().attached, 1);
  });

  it("an inherited child answered skip has all its calls passed natively", async function () {
    session.verdict = (h) => (h.kind === "inherited" ? { skip: true } : {});
    const child = `import socket; s = socket.socket(); s.settimeout(5); print('child', s.connect_ex(('${REMOTE.ip}', ${REMOTE.port})))`;
    const script = `import subprocess, sys; subprocess.run([sys.executable, '-c', ${JSON.stringify(child)}])`;
    const r = await session.runPreloaded(python, ["-c", script]);
    const inherited = session.hellos.find((h) => h.kind === "inherited" && h.argv.includes(child));
    assert.ok(inherited, describeRun(r));
    // Passed untouched, the connect meets the blackhole route: EINVAL, nothing sent.
    assert.match(r.stdout, /child (22|101|113)/, describeRun(r));
    assert.deepEqual(session.notificationsOf(inherited.pid), []);
  });

  it("skipProcess lets every call of a running process pass natively; an unknown pid is refused", async function () {
    const script = `import socket, sys; sys.stdin.readline(); s = socket.socket(); print(s.connect_ex(('${REMOTE.ip}', ${REMOTE.port})))`;
    const r = await session.runPreloaded(python, ["-c", script], {
      input: (stdin) => {
        void (async () => {
          while (session.attached.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          session.supervisor.skipProcess(session.attached[0]!.pid);
          stdin.end("go\n");
        })();
      },
    });
    assert.match(r.stdout, /^(22|101|113)$/m, describeRun(r));
    assert.deepEqual(session.notificationsOf(r.pid), []);
    assert.throws(() => session.supervisor.skipProcess(0x3fffffff), { code: "ESRCH" });
  });

  it("ignored ports pass natively", async function () {
    session.supervisor.setPolicy({ ignorePorts: [[79, 81]] });
    const script = `import socket; s = socket.socket(); print(s.connect_ex(('${REMOTE.ip}', ${REMOTE.port})))`;
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.match(r.stdout, /^(22|101|113)$/m, describeRun(r));
    assert.deepEqual(session.notificationsOf(r.pid), []);
  });

  it("sendto and sendmsg with MSG_FASTOPEN reach the session with their address", async function () {
    session.handle = (n) => {
      if (n.syscall !== "sendto" && n.syscall !== "sendmsg") return false;
      session.supervisor.respond(n, { error: errno.ECONNREFUSED });
      return true;
    };
    const script = [
      "import socket",
      "MSG_FASTOPEN = 0x20000000",
      `addr = ('${REMOTE.ip}', ${REMOTE.port})`,
      "for send in (lambda s: s.sendto(b'x', MSG_FASTOPEN, addr), lambda s: s.sendmsg([b'x'], [], MSG_FASTOPEN, addr)):",
      "    s = socket.socket()",
      "    try: send(s)",
      "    except OSError as e: print('errno', e.errno)",
      "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "print('udp-local', u.sendto(b'x', ('127.0.0.1', 9)))",
    ].join("\n");
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, `errno ${errno.ECONNREFUSED}\nerrno ${errno.ECONNREFUSED}\nudp-local 1\n`);
    const sends = session.notificationsOf(r.pid).filter((n) => n.syscall === "sendto" || n.syscall === "sendmsg");
    assert.deepEqual(sends.map((n) => [n.syscall, n.addr?.ipv4, n.addr?.port]), [
      ["sendto", REMOTE.ip, REMOTE.port],
      ["sendmsg", REMOTE.ip, REMOTE.port],
    ]);
  });

  it("inbound calls reach the session when the policy asks for them", async function () {
    session.supervisor.setPolicy({ inbound: "session" });
    const script = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); c = socket.create_connection(s.getsockname()); a, peer = s.accept(); print('ok', peer == c.getsockname())";
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.stdout, "ok True\n", describeRun(r));
    const calls = session.notificationsOf(r.pid).map((n) => n.syscall);
    assert.ok(calls.includes("bind") && calls.includes("listen") && calls.includes("accept4"), calls.join(","));
    assert.ok(!calls.includes("connect"), "the loopback connect still passes natively");
    const bind = session.notificationsOf(r.pid).find((n) => n.syscall === "bind");
    assert.equal(bind?.addr?.address, "127.0.0.1");
  });

  it("inbound: \"bind\" hands bind and listen to the session, accepts pass natively", async function () {
    session.supervisor.setPolicy({ inbound: "bind" });
    const script = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); c = socket.create_connection(s.getsockname()); a, peer = s.accept(); print('ok', peer == c.getsockname())";
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.stdout, "ok True\n", describeRun(r));
    const calls = session.notificationsOf(r.pid).map((n) => n.syscall);
    assert.deepEqual(calls.filter((c) => c !== "getsockname"), ["bind", "listen"]);
  });

  it("opens reach the session when the process traps files; addFd with send answers one", async function () {
    const served = join(session.dir, "served.txt");
    writeFileSync(served, "from the session's side\n");
    session.verdict = () => ({ groups: DEFAULT_GROUPS | SyscallGroup.files });
    session.supervisor.setPolicy({ files: { toSession: true, localPrefixes: ["/usr", "/lib", "/etc", "/proc", "/dev", "/root", "/tmp", "/sys", "/bin"] } });
    session.handle = (n) => {
      if (n.group !== SyscallGroup.files) return false;
      if (n.path === "/remote/config.txt" && (n.syscall === "openat" || n.syscall === "open")) {
        const fd = openSync(served, "r");
        try {
          session.supervisor.addFd(n, fd, { send: true, cloexec: true });
        } finally {
          closeSync(fd);
        }
      } else if (n.path?.startsWith("/remote/")) {
        session.supervisor.respond(n, { error: errno.ENOENT });
      } else {
        session.supervisor.respond(n, { continue: true });
      }
      return true;
    };
    const r = await session.runPreloaded(python, ["-c", "print(open('/remote/config.txt').read(), end='')"]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, "from the session's side\n");
    const opens = session.notificationsOf(r.pid).filter((n) => n.path === "/remote/config.txt");
    assert.ok(opens.some((n) => n.syscall === "openat"), JSON.stringify(opens.map((n) => n.syscall)));
    assert.ok(
      session.notificationsOf(r.pid).every((n) => !n.path?.startsWith("/usr/")),
      "paths under local prefixes are answered natively",
    );
  });

  it("after the supervisor is gone, trapped calls fail with ENOSYS and the preload says why, once", async function () {
    const script = [
      "import socket, sys",
      "sys.stdin.readline()",
      `s = socket.socket(); print(s.connect_ex(('${REMOTE.ip}', ${REMOTE.port})), flush=True)`,
      `socket.socket().connect_ex(('${REMOTE.ip}', ${REMOTE.port}))`,
    ].join("\n");
    const result = session.runPreloaded(python, ["-c", script], {
      input: (stdin) => {
        void (async () => {
          while (session.attached.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          session.supervisor.close();
          stdin.end("go\n");
        })();
      },
    });
    const r = await result;
    assert.equal(r.stdout.trim(), String(errno.ENOSYS), describeRun(r));
    assert.match(r.stderr, /^mirrord layer: the session \(.*layer\.sock\) is gone; this process's network calls now fail with ENOSYS$/m);
    assert.equal(r.stderr.split("is gone").length - 1, 1, "said once");
  });

  it("a throwing notification handler passes the call through and reports it", async function () {
    const errors: string[] = [];
    session.handle = (n) => {
      if (n.syscall === "connect") throw new Error("handler bug");
      return false;
    };
    const r = await session.runPreloaded(python, ["-c", `import socket; s = socket.socket(); print(s.connect_ex(('${REMOTE.ip}', ${REMOTE.port})))`]);
    errors.push(...session.errors);
    // Passed through, the connect meets the blackhole route.
    assert.match(r.stdout, /^(22|101|113)$/m, describeRun(r));
    assert.ok(errors.some((e) => e.includes("handler bug")), errors.join("\n"));
  });

  it("getpeername of a redirected socket can be answered from JavaScript (readMemory/writeMemory)", async function () {
    session.peerAnswer = "session";
    const script = `import socket; s = socket.create_connection(('${REMOTE.ip}', ${REMOTE.port}), timeout=10); print(s.getpeername(), s.getsockname()[0])`;
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.stdout, "('203.0.113.10', 80) 127.0.0.1\n", describeRun(r));
    assert.ok(session.notificationsOf(r.pid).some((n) => n.syscall === "getpeername"));
    assert.ok(!session.notificationsOf(r.pid).some((n) => n.syscall === "getsockname"), "getsockname passes natively");
  });

  it("the launcher refuses to start a program when the session is unreachable", async function () {
    const r = await run(layerPaths.launcher, [join(session.dir, "nobody.sock"), "--", "true"]);
    assert.equal(r.code, 126);
    assert.match(r.stderr, /cannot reach the session/);
    const usage = await run(layerPaths.launcher, []);
    assert.equal(usage.code, 2);
  });

  it("the preload library says so and runs the program unintercepted when the session is unreachable", async function () {
    const r = await run(python, ["-c", "print('ran')"], {
      env: { LD_PRELOAD: layerPaths.preload, MIRRORD_LAYER_SOCKET: join(session.dir, "nobody.sock") },
    });
    assert.equal(r.stdout, "ran\n");
    assert.match(r.stderr, /mirrord layer: not intercepting .* cannot reach the session/);
  });

  it("getFd, readMemory and writeMemory work on a live process and fail with its errno on a gone one", function () {
    const path = join(session.dir, "own.txt");
    writeFileSync(path, "abc");
    const fd = openSync(path, "r");
    try {
      const copy = getFd(process.pid, fd);
      try {
        assert.notEqual(copy, fd);
        assert.equal(fstatSync(copy).ino, fstatSync(fd).ino);
      } finally {
        closeSync(copy);
      }
    } finally {
      closeSync(fd);
    }
    const gone = 0x3fffffff; // above pid_max: never a process
    assert.throws(() => getFd(gone, 0), { code: "ESRCH" });
    assert.throws(() => readMemory(gone, 0x1000n, 4), { code: "ESRCH" });
    assert.throws(() => writeMemory(gone, 0x1000n, Buffer.from("x")), { code: "ESRCH" });
  });

  it("policy ports must be valid", function () {
    assert.throws(() => rawPolicy({ ignorePorts: [70000] }), /ignorePorts/);
    const bitmap = rawPolicy({ ignorePorts: [80, [8000, 8002]] }).ignoredPorts;
    const on = (p: number) => (bitmap[p >> 3]! >> (p & 7)) & 1;
    assert.deepEqual([79, 80, 81, 7999, 8000, 8001, 8002, 8003].map(on), [0, 1, 0, 0, 1, 1, 1, 0]);
  });
});

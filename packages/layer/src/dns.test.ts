// DNS through the layer: the nameserver a program asks (a TEST-NET address
// in a resolv.conf bind-mounted in a private mount namespace, or a loopback
// stub like Ubuntu's 127.0.0.53) is redirected to a responder the test runs
// on 127.0.0.1, and glibc accepts the replies because recvfrom on the
// redirected UDP socket reports the nameserver as their source.
import assert from "node:assert/strict";
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_GROUPS, SyscallGroup } from "./groups.js";
import { launcherArgv } from "./paths.js";
import { redirectConnect, redirectSendTo } from "./redirect.js";
import { ensureBlackhole } from "./test-support/blackhole.js";
import { ANSWER_IP, DnsResponder } from "./test-support/dns-responder.js";
import { realPython } from "./test-support/programs.js";
import { describeRun, run, type RunResult } from "./test-support/run.js";
import { TestSession } from "./test-support/test-session.js";

const NAMESERVER = "203.0.113.53";
const STUB = "127.0.0.53";

describe("DNS through the layer (loopback ports trapped, recvfrom source rewritten)", function () {
  let session: TestSession;
  let dns: DnsResponder;
  let python: string;
  let dir: string;
  let removeBlackholes: (() => void)[] = [];
  /** Redirects connects to name:53 when true; see the control test. */
  let recvSource = true;

  before(async function () {
    removeBlackholes = [ensureBlackhole(), ensureBlackhole("198.51.100.0/24")];
    python = await realPython();
  });
  after(function () {
    for (const remove of removeBlackholes) remove();
  });
  beforeEach(async function () {
    recvSource = true;
    dir = mkdtempSync(join(tmpdir(), "layer-dns-"));
    dns = await DnsResponder.start();
    session = await TestSession.start();
    session.handle = (n) => {
      if (n.syscall === "sendto" && n.addr?.port === 53 && n.addr.ipv4 === NAMESERVER) {
        redirectSendTo(session.supervisor, n, "127.0.0.1", dns.port);
        return true;
      }
      if (n.syscall !== "connect" || n.addr?.port !== 53 || (n.addr.ipv4 !== NAMESERVER && n.addr.ipv4 !== STUB)) return false;
      const fd = n.fd!;
      redirectConnect(session.supervisor, n, "127.0.0.1", dns.port);
      // The control: the same redirect with the kernel's own recvfrom answer.
      if (!recvSource) session.supervisor.watchSocket(n.pid, fd, inodeOf(n.pid, fd), { peer: n.addr.raw });
      return true;
    };
  });
  afterEach(async function () {
    await session.close();
    await dns.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function inodeOf(pid: number, fd: number): bigint {
    return BigInt(/socket:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))![1]!);
  }

  /** Runs command under the launcher in a private mount namespace whose /etc/resolv.conf names `nameserver`. */
  function runWithResolvConf(nameserver: string, command: string, args: string[]): Promise<RunResult> {
    const resolv = join(dir, "resolv.conf");
    writeFileSync(resolv, `nameserver ${nameserver}\noptions timeout:1 attempts:1\n`);
    const [launcher, argv] = launcherArgv(session.supervisor.socketPath, command, args);
    // unshare's default propagation is private: the bind mount never reaches the real /etc.
    return run("unshare", ["-m", "--", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolv, launcher, ...argv], {
      timeoutMs: 30_000,
    });
  }

  it("UDP and TCP connects to 127.0.0.53:53 reach the session with trapLoopbackPorts, and the UDP reply's source is the stub", async function () {
    const script = [
      "import socket, struct",
      "q = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + b'\\x04loop\\x04test\\x00' + struct.pack('>HH', 1, 1)",
      "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)",
      `u.connect(('${STUB}', 53)); u.send(q)`,
      "data, src = u.recvfrom(512)",
      "print('udp', socket.inet_ntoa(data[-4:]), src, u.getpeername())",
      `t = socket.create_connection(('${STUB}', 53), timeout=5)`,
      "t.sendall(struct.pack('>H', len(q)) + q)",
      "n = struct.unpack('>H', t.recv(2))[0]; data = t.recv(n)",
      "print('tcp', socket.inet_ntoa(data[-4:]), t.getpeername())",
    ].join("\n");
    const untrapped = await session.runPreloaded(python, ["-c", script]);
    assert.notEqual(untrapped.code, 0, "without the knob the stub is not reachable: " + describeRun(untrapped));
    assert.deepEqual(session.notificationsOf(untrapped.pid).filter((n) => n.syscall === "connect"), [], "loopback passes natively");

    session.supervisor.setPolicy({ trapLoopbackPorts: [53] });
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(
      r.stdout,
      `udp ${ANSWER_IP} ('${STUB}', 53) ('${STUB}', 53)\ntcp ${ANSWER_IP} ('${STUB}', 53)\n`,
    );
    assert.deepEqual(dns.asked, ["loop.test/1", "loop.test/1"]);
    assert.equal(session.supervisor.stats().recvAnswered, 1);
    // Other loopback ports still pass natively.
    session.notifications.length = 0;
    const other = await session.runPreloaded(python, ["-c", `import socket; socket.socket().connect_ex(('127.0.0.1', ${session.serverPort}))`]);
    assert.deepEqual(session.notificationsOf(other.pid), []);
  });

  it("getent hosts and python getaddrinfo resolve through glibc (UDP) with the nameserver redirected", async function () {
    const getent = await runWithResolvConf(NAMESERVER, "getent", ["hosts", "some.name"]);
    assert.equal(getent.code, 0, describeRun(getent));
    assert.match(getent.stdout, new RegExp(`^${ANSWER_IP.replace(/\./g, "\\.")}\\s+some\\.name$`, "m"));
    const py = await runWithResolvConf(NAMESERVER, python, [
      "-c",
      "import socket; print(socket.getaddrinfo('other.name', 80, socket.AF_INET, socket.SOCK_STREAM)[0][4])",
    ]);
    assert.equal(py.code, 0, describeRun(py));
    assert.equal(py.stdout, `('${ANSWER_IP}', 80)\n`);
    assert.ok(dns.asked.includes("some.name/1") && dns.asked.includes("other.name/1"), dns.asked.join(","));
    assert.ok(session.supervisor.stats().recvAnswered >= 2, JSON.stringify(session.supervisor.stats()));
    assert.ok(
      session.notifications.every((n) => n.syscall !== "recvfrom"),
      "recvfrom is answered on the native thread",
    );
  });

  it("Ubuntu's stub resolver (nameserver 127.0.0.53) with trapLoopbackPorts: [53]", async function () {
    session.supervisor.setPolicy({ trapLoopbackPorts: [53] });
    const r = await runWithResolvConf(STUB, "getent", ["hosts", "stub.name"]);
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /^198\.51\.100\.99\s+stub\.name$/m);
  });

  it("an unconnected UDP sendto to the nameserver is sent by the session, and recvfrom reports the nameserver (musl-style clients)", async function () {
    const script = [
      "import socket, struct",
      "q = struct.pack('>HHHHHH', 0x4321, 0x0100, 1, 0, 0, 0) + b'\\x05plain\\x04name\\x00' + struct.pack('>HH', 1, 1)",
      "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)",
      `print(u.sendto(q, ('${NAMESERVER}', 53)) == len(q))`,
      "data, src = u.recvfrom(512)",
      "print(socket.inet_ntoa(data[-4:]), src, data[:2] == q[:2])",
    ].join("\n");
    const r = await session.runPreloaded(python, ["-c", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, `True\n${ANSWER_IP} ('${NAMESERVER}', 53) True\n`);
    assert.deepEqual(dns.asked, ["plain.name/1"]);
    assert.equal(session.supervisor.stats().recvAnswered, 1);
  });

  it("recvmsg (opt-in netRecvMsg group): a Node dgram socket connected to the nameserver sees replies from it", async function () {
    const script = [
      "const dgram = require('dgram');",
      "const q = Buffer.from('abcd01000001000000000000036d736704746573740000010001', 'hex');",
      "const s = dgram.createSocket('udp4');",
      `s.connect(53, '${NAMESERVER}', () => s.send(q));`,
      "s.on('message', (m, rinfo) => { console.log(rinfo.address, rinfo.port, m.subarray(-4).join('.')); s.close(); });",
      "setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000).unref();",
    ].join("\n");
    const plain = await session.runPreloaded(process.execPath, ["-e", script]);
    assert.equal(plain.stdout, `127.0.0.1 ${dns.port} ${ANSWER_IP}\n`, "without the group libuv's recvmsg sees the redirect target: " + describeRun(plain));
    session.verdict = () => ({ groups: DEFAULT_GROUPS | SyscallGroup.netRecvMsg });
    const r = await session.runPreloaded(process.execPath, ["-e", script]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, `${NAMESERVER} 53 ${ANSWER_IP}\n`);
    assert.equal(session.supervisor.stats().recvAnswered, 1);
    assert.ok(session.notifications.every((n) => n.syscall !== "recvmsg"), "recvmsg never reaches JavaScript");
  });

  // c-ares (Node's dns.Resolver) drops a reply whose recvfrom source is not
  // the server it asked; glibc 2.36 does not check on its connected socket.
  const cares = (nameserver: string) =>
    [
      "const dns = require('dns');",
      "const r = new dns.Resolver({ timeout: 700, tries: 1 });",
      `r.setServers(['${nameserver}']);`,
      "r.resolve4('cares.name', (err, a) => { console.log(err ? err.code : a.join(',')); process.exit(err ? 1 : 0); });",
    ].join("\n");

  it("node dns.Resolver (c-ares, checks the reply's source) resolves through the redirected nameserver", async function () {
    const r = await runWithResolvConf(NAMESERVER, process.execPath, ["-e", cares(NAMESERVER)]);
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stdout, `${ANSWER_IP}\n`);
    assert.ok(session.supervisor.stats().recvAnswered >= 1);
  });

  it("control: without the source rewrite c-ares drops the redirected reply", async function () {
    recvSource = false;
    const r = await runWithResolvConf(NAMESERVER, process.execPath, ["-e", cares(NAMESERVER)]);
    assert.equal(r.stdout, "ETIMEOUT\n", describeRun(r));
    assert.deepEqual(dns.asked, ["cares.name/1"], "the query did reach the responder");
    assert.equal(session.supervisor.stats().recvAnswered, 0);
  });
});

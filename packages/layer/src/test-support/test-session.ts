// A small but real session for the tests: a supervisor that redirects
// connects to REMOTE (a TEST-NET address, blackholed) to a local HTTP server,
// tells the program the original peer, and records what reached JavaScript.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redirectFastOpen } from "../fastopen.js";
import { answerName, redirectConnect } from "../redirect.js";
import { LayerSupervisor, type AttachEvent, type Hello, type HelloVerdict, type Notification } from "../supervisor.js";
import { layerEnv, launcherArgv } from "../paths.js";
import { run, type RunOptions, type RunResult } from "./run.js";

export const REMOTE = { ip: "203.0.113.10", port: 80 };
export const BODY = "hello from the session\n";

export class TestSession {
  readonly hellos: Hello[] = [];
  readonly notifications: Notification[] = [];
  readonly errors: string[] = [];
  readonly redirected: { pid: number; fd: number }[] = [];
  /** How hellos are answered (default: install with the policy's groups). */
  verdict: (hello: Hello) => HelloVerdict = () => ({});
  /** A test's own handling; return true when it answered the notification. */
  handle: (n: Notification) => boolean = () => false;
  /** Where redirected connects go (default: the session's HTTP server). */
  redirectPort: number;
  /** Answer redirected connects this much later, like a session that asks its agent first. */
  answerDelayMs = 0;
  readonly attached: AttachEvent[] = [];
  /** How redirected sockets answer getpeername (default: natively, the original address). */
  peerAnswer: "native" | "session" = "native";
  readonly #peers = new Map<string, Buffer>();

  private constructor(
    readonly dir: string,
    readonly server: http.Server,
    readonly serverPort: number,
    readonly supervisor: LayerSupervisor,
  ) {
    this.redirectPort = serverPort;
  }

  static async start(): Promise<TestSession> {
    const dir = mkdtempSync(join(tmpdir(), "layer-test-"));
    const server = http.createServer((_req, res) => res.end(BODY));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    let session: TestSession | undefined;
    const supervisor = LayerSupervisor.start(join(dir, "layer.sock"), {
      onHello: (h) => session!.#hello(h),
      onNotification: (n) => session!.#notification(n),
      onError: (m) => session!.errors.push(m),
      onAttached: (e) => session!.attached.push(e),
    });
    session = new TestSession(dir, server, port, supervisor);
    return session;
  }

  #hello(hello: Hello): HelloVerdict {
    this.hellos.push(hello);
    return this.verdict(hello);
  }

  #notification(n: Notification): void {
    this.notifications.push(n);
    const key = `${n.pid}:${n.fd}`;
    if (this.handle(n)) return;
    if (n.syscall === "connect" && n.addr?.ipv4 === REMOTE.ip && n.addr.port === REMOTE.port) {
      this.#peers.set(key, n.addr.raw);
      this.redirected.push({ pid: n.pid, fd: n.fd! });
      const redirect = () =>
        redirectConnect(this.supervisor, n, "127.0.0.1", this.redirectPort, this.peerAnswer === "session" ? { peer: "session" } : {});
      if (this.answerDelayMs > 0) setTimeout(redirect, this.answerDelayMs);
      else redirect();
    } else if ((n.syscall === "sendto" || n.syscall === "sendmsg") && n.addr?.ipv4 === REMOTE.ip && n.addr.port === REMOTE.port) {
      this.redirected.push({ pid: n.pid, fd: n.fd! });
      redirectFastOpen(this.supervisor, n, "127.0.0.1", this.redirectPort);
    } else if (n.syscall === "getpeername" && this.#peers.has(key)) {
      answerName(this.supervisor, n, this.#peers.get(key)!);
    } else {
      this.supervisor.respond(n, { continue: true });
    }
  }

  notificationsOf(pid: number): Notification[] {
    return this.notifications.filter((n) => n.pid === pid);
  }

  /** Runs a dynamic executable with the preload library. */
  runPreloaded(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(command, args, { ...opts, env: { ...opts.env, ...layerEnv(this.supervisor.socketPath) } });
  }

  /** Runs any executable under the launcher. */
  runLaunched(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const [launcher, argv] = launcherArgv(this.supervisor.socketPath, command, args);
    return run(launcher, argv, opts);
  }

  async close(): Promise<void> {
    this.supervisor.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

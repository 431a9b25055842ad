// The session's side of the layer: a unix socket where intercepted processes
// attach, a native thread that answers pass-through syscalls from the policy,
// and typed events for the syscalls that need the session's decision.
import { addon, type RawEvent, type RawHandle, type RawNotification } from "./native.js";
import { check, errnoError } from "./errno.js";
import type { SyscallName } from "./groups.js";
import { rawPolicy, type LayerPolicy } from "./policy.js";
import { sockaddr } from "./sockaddr.js";

export type HelloKind = "preload" | "launcher" | "inherited";

/** A process announcing itself. "inherited": it already runs under its parent's filter. */
export interface Hello {
  kind: HelloKind;
  pid: number;
  ppid: number;
  /** /proc/self/exe of the process (for the launcher: the program it will exec). */
  exe: string;
  argv: string[];
}

/** skip: run without a filter (an inherited process: all its calls pass natively). groups: SyscallGroup bits to trap. */
export type HelloVerdict = { skip: true } | { skip?: false; groups?: number };

export interface SocketAddress {
  family: "inet" | "inet6" | "unix" | "other";
  /** The sockaddr bytes exactly as the process passed them. */
  raw: Buffer;
  address?: string;
  port?: number;
  /** Set for AF_INET and for IPv4-mapped IPv6 (::ffff:a.b.c.d). */
  ipv4?: string;
}

/** A trapped syscall the policy did not pass. Answer it exactly once. */
export interface Notification {
  listener: number;
  id: bigint;
  /** The calling thread. */
  tid: number;
  /** Its thread group (the process). */
  pid: number;
  syscall: SyscallName;
  nr: number;
  group: number;
  args: readonly bigint[];
  /** The socket argument of socket syscalls. */
  fd?: number;
  /** The directory fd of *at file syscalls (-100: AT_FDCWD). */
  dirfd?: number;
  addr?: SocketAddress;
  path?: string;
}

export type Answer = { continue: true } | { error: number } | { val: number };

export interface AttachEvent {
  listener: number;
  pid: number;
  kind: HelloKind;
}

export interface SupervisorHandlers {
  /** Synchronous: the process waits for it. Default: install with the policy's default groups. */
  onHello?(hello: Hello): HelloVerdict;
  /** Answer with respond()/addFd(send) now or later; the thread waits (killably) until then. */
  onNotification(n: Notification): void;
  onAttached?(e: AttachEvent): void;
  /** Every process under a listener has exited. */
  onDetached?(e: { listener: number; pid: number }): void;
  onError?(message: string): void;
}

export interface SupervisorStats {
  received: number;
  passedNatively: number;
  /** Answered on the native thread with a value or an error: get*name of watched sockets, served accepts (and their EAGAIN/errors), rewritten recvfrom/recvmsg. */
  answeredNatively: number;
  sentToSession: number;
  vanished: number;
  attached: number;
  /** Redirected sockets whose get*name answers are kept (closed ones are pruned as the table grows). */
  watchedSockets: number;
  /** Connections accepted on behalf of a process (listeners watched with acceptOnBehalf). */
  accepted: number;
  /** recvfrom answered natively on watched datagram sockets (source rewritten). */
  recvAnswered: number;
  /** Blocking accepts parked now, waiting for a connection. */
  waitingAccepts: number;
  /** Peers registered with expectPeer and not yet accepted. */
  expectedPeers: number;
}

/** How the supervisor treats a watched socket, besides its names. */
export interface WatchOptions {
  /** getpeername: "pass" (default), "session", or sockaddr bytes written natively. */
  peer?: NameAnswer;
  /** getsockname, likewise. On a listener with acceptOnBehalf, accepted sockets report this port too. */
  local?: NameAnswer;
  /**
   * A listening socket: accept/accept4 are served on the native thread, which
   * accepts on the session's copy, installs the connection in the process
   * and reports the peer registered with expectPeer (the real one otherwise).
   */
  acceptOnBehalf?: boolean;
  /**
   * A datagram socket: recvfrom with a source buffer is answered on the
   * native thread, and datagrams from `from` are reported as from `report`.
   */
  recvSource?: { from: Buffer; report: Buffer };
}

/** How a watched socket's getpeername/getsockname is answered. */
export type NameAnswer = "pass" | "session" | Buffer;

type NotificationRef = Pick<Notification, "listener" | "id">;

export class LayerSupervisor {
  readonly #handle: RawHandle;
  #closed = false;

  private constructor(
    readonly socketPath: string,
    handlers: SupervisorHandlers,
  ) {
    this.#handle = addon().createSupervisor(socketPath, (event) => this.#dispatch(event, handlers));
  }

  /** Listens on socketPath (a stale socket file there is replaced). */
  static start(socketPath: string, handlers: SupervisorHandlers, policy: LayerPolicy = {}): LayerSupervisor {
    const supervisor = new LayerSupervisor(socketPath, handlers);
    supervisor.setPolicy(policy);
    return supervisor;
  }

  #dispatch(event: RawEvent, handlers: SupervisorHandlers): unknown {
    try {
      switch (event.type) {
        case "hello": {
          const { type: _type, kind, ...rest } = event;
          const hello: Hello = { ...rest, kind: kind === "unknown" ? "preload" : kind };
          return handlers.onHello?.(hello) ?? {};
        }
        case "notification":
          handlers.onNotification(toNotification(event));
          return undefined;
        case "attached":
          handlers.onAttached?.({ listener: event.listener, pid: event.pid, kind: event.kind === "unknown" ? "preload" : event.kind });
          return undefined;
        case "detached":
          handlers.onDetached?.({ listener: event.listener, pid: event.pid });
          return undefined;
        case "error":
          handlers.onError?.(event.message);
          return undefined;
      }
    } catch (err) {
      // A throwing handler must not leave a process hanging: skip a hello,
      // pass a notification through, and report.
      handlers.onError?.(`layer handler failed on ${event.type}: ${(err as Error).stack ?? String(err)}`);
      if (event.type === "hello") return { skip: true };
      if (event.type === "notification") {
        try {
          this.respond(event, { continue: true });
        } catch (answerErr) {
          handlers.onError?.(`cannot pass ${event.syscall} of ${event.pid} through: ${(answerErr as Error).message}`);
        }
      }
    }
    return undefined;
  }

  setPolicy(policy: LayerPolicy): void {
    addon().setPolicy(this.#handle, rawPolicy(policy));
  }

  /**
   * Answers a notification. Returns false when the target is gone (or the id
   * was already answered): nothing to do then.
   */
  respond(n: NotificationRef, answer: Answer): boolean {
    const a = addon();
    const r =
      "continue" in answer
        ? a.respond(this.#handle, n.listener, n.id, 0, 0, 0)
        : "error" in answer
          ? a.respond(this.#handle, n.listener, n.id, 1, answer.error, 0)
          : a.respond(this.#handle, n.listener, n.id, 2, 0, answer.val);
    if (r === -2 /* ENOENT */) return false;
    check(r, `answer ${n.id}`);
    return true;
  }

  /** SECCOMP_IOCTL_NOTIF_ID_VALID: the target still waits on this notification. */
  isValid(n: NotificationRef): boolean {
    return addon().idValid(this.#handle, n.listener, n.id);
  }

  /**
   * Installs srcFd (an fd of this process) in the target; returns the target's fd
   * number. send: the notification is answered with that number in the same step.
   */
  addFd(n: NotificationRef, srcFd: number, opts: { targetFd?: number; send?: boolean; cloexec?: boolean } = {}): number {
    const r = addon().addFd(this.#handle, n.listener, n.id, srcFd, opts.targetFd ?? -1, opts.send ?? false, opts.cloexec ?? false);
    if (r < 0) throw errnoError(r, `addfd for ${n.id}`);
    return r;
  }

  /** All syscalls of this process pass natively (skip_processes for inherited children). */
  skipProcess(pid: number, skip = true): void {
    check(addon().setSkipped(this.#handle, pid, skip), "skipProcess");
  }

  /**
   * Decides how getpeername/getsockname on (pid, fd) are answered while the fd
   * still names the socket with this inode (fd numbers are reused): "pass"
   * (the kernel's answer, the default), "session" (onNotification), or the
   * sockaddr bytes to report, written on the native thread.
   */
  watchSocket(pid: number, fd: number, inode: bigint | number, answers: WatchOptions): void {
    if (inode === 0 || inode === 0n) throw new RangeError("watchSocket needs the socket's inode");
    const r = addon().watchSocket(
      this.#handle, pid, fd, inode, answers.peer ?? "pass", answers.local ?? "pass",
      answers.acceptOnBehalf ?? false, answers.recvSource?.from ?? null, answers.recvSource?.report ?? null,
    );
    check(r, "watchSocket");
  }

  unwatchSocket(pid: number, fd: number): void {
    check(addon().watchSocket(this.#handle, pid, fd, 0, "pass", "pass", false, null, null), "unwatchSocket");
  }

  /**
   * Says that the inbound connection whose client end is clientIp:localPort
   * (a connection the session makes to a listener watched with acceptOnBehalf;
   * clientIp undefined: any loopback address) is the remote client `peer`:
   * accept reports it, and so does getpeername on the accepted socket. One
   * use: the registration is consumed by the accept.
   */
  expectPeer(localPort: number, peer: Buffer, clientIp?: string): void {
    check(addon().expectPeer(this.#handle, localPort, peer, false, clientIp === undefined ? null : sockaddr(clientIp, localPort)), "expectPeer");
  }

  /** Drops a registration of expectPeer that was never consumed (only if it still names `peer`). */
  forgetPeer(localPort: number, peer: Buffer, clientIp?: string): void {
    check(addon().expectPeer(this.#handle, localPort, peer, true, clientIp === undefined ? null : sockaddr(clientIp, localPort)), "forgetPeer");
  }

  stats(): SupervisorStats {
    return addon().stats(this.#handle);
  }

  /**
   * Stops serving: the socket is removed and every notify fd closed, so the
   * trapped syscalls of processes still running fail with ENOSYS from now on.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    addon().closeSupervisor(this.#handle);
  }
}

function toNotification(raw: RawNotification): Notification {
  const { type: _type, ...rest } = raw;
  return { ...rest, syscall: raw.syscall as SyscallName };
}

/**
 * Who is connected. A session exists from a successful handshake until its Session call
 * ends or no ping arrives within the communication timeout. When the last session is gone
 * (or none came since start) for the communication timeout, onIdle fires once: the agent
 * then exits.
 */
import { randomBytes } from "node:crypto";

export class Session {
  private readonly cleanups = new Set<() => void>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** When the client last showed it was alive (hello or ping). */
  lastSeenAt = Date.now();
  closed = false;

  constructor(
    readonly id: string,
    private readonly timeoutMs: number,
    private readonly onExpire: (session: Session) => void,
  ) {
    this.touch();
  }

  /** A ping arrived: the client is alive for another timeout. */
  touch(): void {
    this.lastSeenAt = Date.now();
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => this.onExpire(this), this.timeoutMs);
  }

  /** Runs fn when the session ends (calls it now if it already has). Returns a remover. */
  onClose(fn: () => void): () => void {
    if (this.closed) {
      fn();
      return () => {};
    }
    this.cleanups.add(fn);
    return () => this.cleanups.delete(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.heartbeatTimer);
    for (const fn of [...this.cleanups].reverse()) {
      try {
        fn();
      } catch {
        // one failing cleanup must not keep the others from running
      }
    }
    this.cleanups.clear();
  }
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private idleTimer: NodeJS.Timeout | undefined;
  private latestSignOfLife = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
    private readonly onSessionEnd: (session: Session, reason: string) => void = () => {},
  ) {
    this.armIdleTimer();
  }

  get size(): number {
    return this.sessions.size;
  }

  open(): Session {
    const session = new Session(randomBytes(8).toString("hex"), this.timeoutMs, (s) => this.close(s.id, "no ping within the communication timeout", s.lastSeenAt));
    this.sessions.set(session.id, session);
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    return session;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /**
   * Ends a session. `lastAliveAt` is when its client was last known alive: now when its
   * call ended, its last ping when it went silent, so the agent exits one timeout after
   * the client was really gone, not two.
   */
  close(id: string, reason: string, lastAliveAt = Date.now()): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    session.close();
    this.onSessionEnd(session, reason);
    this.latestSignOfLife = Math.max(this.latestSignOfLife, lastAliveAt);
    if (this.sessions.size === 0) this.armIdleTimer(this.latestSignOfLife + this.timeoutMs - Date.now());
  }

  closeAll(reason: string): void {
    for (const id of [...this.sessions.keys()]) this.close(id, reason);
    clearTimeout(this.idleTimer);
  }

  private armIdleTimer(delayMs = this.timeoutMs): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.onIdle(), Math.max(0, delayMs));
  }
}

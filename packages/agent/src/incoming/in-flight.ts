/**
 * What a closing subscription lets finish before it ends its connections: requests being
 * answered, connections not yet told apart, connections passed on to the app whole. Each
 * piece of work holds a count until it is done; the subscription waits for none (or its
 * deadline).
 */
import { setTimeout as sleep } from "node:timers/promises";

/** How long a closing subscription waits at most for what it passes to the app to finish. */
export const CLOSE_DRAIN_MS = 2000;

export class InFlight {
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Counts one piece of work; the returned release may be called any number of times. */
  hold(): () => void {
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
    };
  }

  /** Counts a connection (or stream) until it closes. */
  holdUntilClosed(stream: NodeJS.EventEmitter & { destroyed: boolean }): () => void {
    const release = this.hold();
    if (stream.destroyed) release();
    else stream.once("close", release);
    return release;
  }

  /** Resolves when nothing is held, or after `ms`. */
  async settled(ms: number): Promise<void> {
    const by = Date.now() + ms;
    while (this.count > 0 && Date.now() < by) await sleep(20);
  }
}

/**
 * Stops and continues the target process and its descendants (SIGSTOP/SIGCONT). A stop is
 * held per session; the target runs again when the last session that paused it resumes or
 * ends, and on every exit of the agent (resumeNow). The guard also continues the tree if the
 * worker dies by a signal (continueTree).
 */
import { processTree, signalEach } from "./process-tree.js";

/** SIGCONT to a process and its descendants; harmless for processes that were not stopped. */
export function continueTree(pid: number): void {
  signalEach(processTree(pid), "SIGCONT");
}

export class TargetPause {
  private readonly holders = new Set<string>();

  constructor(private readonly pid: number) {}

  get paused(): boolean {
    return this.holders.size > 0;
  }

  pause(sessionId: string): void {
    if (this.holders.size === 0) this.stopTree();
    this.holders.add(sessionId);
  }

  resume(sessionId: string): void {
    if (!this.holders.delete(sessionId)) return;
    if (this.holders.size === 0) continueTree(this.pid);
  }

  resumeNow(): void {
    if (this.holders.size === 0) return;
    this.holders.clear();
    try {
      continueTree(this.pid);
    } catch {
      // exiting anyway
    }
  }

  /** The target first (so it forks no more), then its descendants until no new one appears. */
  private stopTree(): void {
    process.kill(this.pid, "SIGSTOP");
    const stopped = new Set([this.pid]);
    for (let round = 0; round < 5; round++) {
      const fresh = processTree(this.pid).filter((pid) => !stopped.has(pid));
      if (fresh.length === 0) break;
      signalEach(fresh, "SIGSTOP");
      for (const pid of fresh) stopped.add(pid);
    }
  }
}

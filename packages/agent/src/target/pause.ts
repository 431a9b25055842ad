/**
 * Stops and continues the target process. A stop is held per session; the target runs
 * again when the last session that paused it resumes or ends, and on every exit of the
 * agent (resumeNow). The guard also continues it if the worker dies by a signal.
 */
export class TargetPause {
  private readonly holders = new Set<string>();

  constructor(private readonly pid: number) {}

  get paused(): boolean {
    return this.holders.size > 0;
  }

  pause(sessionId: string): void {
    if (this.holders.size === 0) process.kill(this.pid, "SIGSTOP");
    this.holders.add(sessionId);
  }

  resume(sessionId: string): void {
    if (!this.holders.delete(sessionId)) return;
    if (this.holders.size === 0) this.signalContinue();
  }

  private signalContinue(): void {
    try {
      process.kill(this.pid, "SIGCONT");
    } catch (error) {
      // A target that is gone needs no continuing.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }

  resumeNow(): void {
    if (this.holders.size === 0) return;
    this.holders.clear();
    try {
      this.signalContinue();
    } catch {
      // exiting anyway
    }
  }
}

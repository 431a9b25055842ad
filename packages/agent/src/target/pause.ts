/**
 * Pauses the target while sessions ask for it. A pause is held per session; the target runs
 * again when the last session that paused it resumes or ends, and on every exit of the agent
 * (resumeNow). The guard also releases the target if the worker dies by a signal
 * (releaseTarget).
 *
 * Two ways to stop it: SIGSTOP to the process and its descendants (the job agent, which sees
 * the target from the node's PID namespace), or the cgroup freezer when the target is PID 1
 * of the agent's own PID namespace (the ephemeral agent), since an init ignores SIGSTOP sent
 * from inside its namespace.
 */
import { CgroupFreezer } from "./freezer.js";
import { processTree, signalEach } from "./process-tree.js";

/** SIGCONT to a process and its descendants; harmless for processes that were not stopped. */
export function continueTree(pid: number): void {
  signalEach(processTree(pid), "SIGCONT");
}

/** Undoes either kind of pause; for the guard, after the worker died holding one. */
export function releaseTarget(pid: number): void {
  try {
    continueTree(pid);
  } catch {
    // the target is gone
  }
  if (pid !== 1) return;
  try {
    const freezer = CgroupFreezer.locate(pid);
    if (freezer.frozen) freezer.thaw();
  } catch {
    // no freezer here: nothing was frozen
  }
}

interface PauseMethod {
  stop(): Promise<void>;
  resume(): void;
}

export class TargetPause {
  private readonly holders = new Set<string>();
  private readonly method: PauseMethod;

  constructor(private readonly pid: number) {
    this.method = pid === 1 ? freezerMethod(pid) : signalMethod(pid);
  }

  get paused(): boolean {
    return this.holders.size > 0;
  }

  async pause(sessionId: string): Promise<void> {
    if (this.holders.size === 0) await this.method.stop();
    this.holders.add(sessionId);
  }

  resume(sessionId: string): void {
    if (!this.holders.delete(sessionId)) return;
    if (this.holders.size === 0) this.method.resume();
  }

  resumeNow(): void {
    if (this.holders.size === 0) return;
    this.holders.clear();
    try {
      this.method.resume();
    } catch {
      // exiting anyway
    }
  }
}

function signalMethod(pid: number): PauseMethod {
  return {
    // The target first (so it forks no more), then its descendants until no new one appears.
    async stop() {
      process.kill(pid, "SIGSTOP");
      const stopped = new Set([pid]);
      for (let round = 0; round < 5; round++) {
        const fresh = processTree(pid).filter((p) => !stopped.has(p));
        if (fresh.length === 0) break;
        signalEach(fresh, "SIGSTOP");
        for (const p of fresh) stopped.add(p);
      }
    },
    resume: () => continueTree(pid),
  };
}

function freezerMethod(pid: number): PauseMethod {
  // Located at the first pause: an agent that never pauses needs no mount.
  let freezer: CgroupFreezer | undefined;
  return {
    async stop() {
      freezer ??= CgroupFreezer.locate(pid);
      await freezer.freeze();
    },
    resume: () => freezer?.thaw(),
  };
}

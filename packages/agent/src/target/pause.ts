/**
 * Pauses the target while sessions ask for it. A pause is held per session; the target runs
 * again when the last session that paused it resumes or ends, and on every exit of the agent
 * (resumeNow). The guard also releases the target if the worker dies by a signal
 * (releaseTarget), and the next agent on the pod one that a killed agent left paused
 * (releaseOrphanedPause).
 *
 * Two ways to stop it: SIGSTOP to the process and its descendants (the job agent, which sees
 * the target from the node's PID namespace), or the cgroup freezer when the target is PID 1
 * of the agent's own PID namespace (the ephemeral agent), since an init ignores SIGSTOP sent
 * from inside its namespace.
 */
import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { CgroupFreezer } from "./freezer.js";
import { processTree, signalEach } from "./process-tree.js";

/**
 * While an agent holds a pause it listens on an abstract unix socket with this prefix. Such
 * names live in the pod's network namespace, which all its agents share, and the kernel drops
 * them when the holder dies, SIGKILL included: a paused target with no such socket around was
 * left paused by an agent that died with no chance to undo it.
 */
const PAUSE_MARKER = "mirrord-ts-pause-";

function holdPauseMarker(agentId: string): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(`\0${PAUSE_MARKER}${agentId}`, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** Whether any agent in this network namespace holds a pause (from /proc/net/unix). */
export function anyPauseHeld(unixTable = (): string => readFileSync("/proc/net/unix", "utf8")): boolean {
  return unixTable().split("\n").some((line) => line.includes(`@${PAUSE_MARKER}`));
}

/** Whether the target is paused in either way an agent pauses. */
function isPaused(pid: number): boolean {
  if (pid === 1) {
    try {
      return CgroupFreezer.locate(pid).frozen;
    } catch {
      return false;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] === "T";
  } catch {
    return false;
  }
}

/**
 * At an agent's start: a target that is paused while no agent holds a pause was left so by a
 * killed agent; release it. Returns whether it did.
 */
export function releaseOrphanedPause(pid: number): boolean {
  if (anyPauseHeld() || !isPaused(pid)) return false;
  releaseTarget(pid);
  return true;
}

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
  private marker: Server | undefined;

  constructor(
    pid: number,
    private readonly agentId: string,
  ) {
    this.method = pid === 1 ? freezerMethod(pid) : signalMethod(pid);
  }

  get paused(): boolean {
    return this.holders.size > 0;
  }

  async pause(sessionId: string): Promise<void> {
    if (this.holders.size === 0) {
      // The marker first: a pause must never exist without it.
      this.marker ??= await holdPauseMarker(this.agentId);
      try {
        await this.method.stop();
      } catch (error) {
        this.dropMarker();
        throw error;
      }
    }
    this.holders.add(sessionId);
  }

  resume(sessionId: string): void {
    if (!this.holders.delete(sessionId)) return;
    if (this.holders.size === 0) {
      this.method.resume();
      this.dropMarker();
    }
  }

  resumeNow(): void {
    if (this.holders.size === 0) return;
    this.holders.clear();
    try {
      this.method.resume();
    } catch {
      // exiting anyway
    }
    this.dropMarker();
  }

  private dropMarker(): void {
    this.marker?.close();
    this.marker = undefined;
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

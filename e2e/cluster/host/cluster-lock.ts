/**
 * One user of the cluster at a time on this machine: `up`/`down` and a whole test run hold
 * a lock file naming their PID, so a second test run (another clone, another package's
 * `pnpm -r test`) waits instead of tearing the cluster down under the first.
 * The lock is per process and re-entrant; a lock whose process is gone is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { sleep } from "../run.js";
import { processStartTime } from "./processes.js";

export const CLUSTER_LOCK_FILE = "/run/mirrord-ts-e2e.lock";

interface LockOwner {
  pid: number;
  startTime: string;
  what: string;
}

function currentOwner(): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(CLUSTER_LOCK_FILE, "utf8")) as LockOwner;
    return processStartTime(owner.pid) === owner.startTime ? owner : undefined;
  } catch {
    return undefined;
  }
}

let depth = 0;

/** Waits (up to `timeoutMs`) until no other live process holds the lock, then holds it. */
export async function acquireClusterLock(what: string, timeoutMs = 45 * 60_000): Promise<void> {
  if (depth > 0) {
    depth++;
    return;
  }
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const owner = currentOwner();
    if (!owner || owner.pid === process.pid) break;
    if (Date.now() > deadline) {
      throw new Error(`The e2e cluster is still in use by PID ${owner.pid} (${owner.what}); wait for it to finish or stop it.`);
    }
    if (!told) {
      process.stderr.write(`cluster: waiting for PID ${owner.pid} (${owner.what}) to finish with the cluster\n`);
      told = true;
    }
    await sleep(1000);
  }
  const me: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid) ?? "", what };
  writeFileSync(CLUSTER_LOCK_FILE, JSON.stringify(me));
  depth = 1;
}

export function releaseClusterLock(): void {
  if (depth === 0) return;
  depth--;
  if (depth > 0) return;
  if (currentOwner()?.pid === process.pid) rmSync(CLUSTER_LOCK_FILE, { force: true });
}

/** Runs `work` holding the lock. */
export async function withClusterLock<T>(what: string, work: () => Promise<T>): Promise<T> {
  await acquireClusterLock(what);
  try {
    return await work();
  } finally {
    releaseClusterLock();
  }
}

/**
 * One user of the cluster at a time on this machine: `up`/`down` and a whole test run hold
 * a lock file naming their PID, so a second test run (another clone, another package's
 * `pnpm -r test`) waits instead of tearing the cluster down under the first.
 * The lock is per process and re-entrant; a lock whose process is gone is taken over.
 * Taking it is atomic (exclusive create), so two waiters never both hold it.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { sleep } from "../run.js";
import { processStartTime } from "./processes.js";

export const CLUSTER_LOCK_FILE = process.env.MIRRORD_E2E_LOCK_FILE ?? "/run/mirrord-ts-e2e.lock";

interface LockOwner {
  pid: number;
  startTime: string;
  what: string;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

const alive = (owner: LockOwner | undefined): owner is LockOwner => owner !== undefined && processStartTime(owner.pid) === owner.startTime;

function currentOwner(): LockOwner | undefined {
  const owner = readOwner(CLUSTER_LOCK_FILE);
  return alive(owner) ? owner : undefined;
}

/** Creates the lock file only if there is none; false if another process got there first. */
function tryCreate(me: LockOwner): boolean {
  try {
    writeFileSync(CLUSTER_LOCK_FILE, JSON.stringify(me), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Moves a dead owner's lock file aside; a live one moved by a racing waiter goes back. */
function clearStale(): void {
  const aside = `${CLUSTER_LOCK_FILE}.stale.${process.pid}`;
  try {
    renameSync(CLUSTER_LOCK_FILE, aside);
  } catch {
    return; // gone meanwhile
  }
  if (alive(readOwner(aside))) {
    // Another waiter took the lock between our read and our rename: give it back.
    if (!tryCreate(readOwner(aside)!)) process.stderr.write("cluster: lock contention while clearing a stale lock\n");
  }
  rmSync(aside, { force: true });
}

let depth = 0;

/** Waits (up to `timeoutMs`) until no other live process holds the lock, then holds it. */
export async function acquireClusterLock(what: string, timeoutMs = 45 * 60_000): Promise<void> {
  if (depth > 0) {
    depth++;
    return;
  }
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid) ?? "", what };
  let told = false;
  for (;;) {
    if (tryCreate(me)) break;
    const owner = currentOwner();
    if (owner?.pid === process.pid) break;
    if (!owner) {
      // A file just created by another waiter may not hold its owner yet: look again first.
      await sleep(100);
      if (!currentOwner()) clearStale();
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`The e2e cluster is still in use by PID ${owner.pid} (${owner.what}); wait for it to finish or stop it.`);
    }
    if (!told) {
      process.stderr.write(`cluster: waiting for PID ${owner.pid} (${owner.what}) to finish with the cluster\n`);
      told = true;
    }
    await sleep(1000);
  }
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

/**
 * A session's folder in the temp dir (the layer's socket, fetched remote files). A session
 * removes its own when it closes; one whose process was SIGKILLed cannot, so each folder
 * records its owner (pid and start time) and every new session sweeps the folders whose
 * owner no longer runs.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from './process-identity.js';

const OWNER_FILE = 'owner';
/** `mirrord-<session id>-<mkdtemp suffix>`; nothing else in the temp dir is touched. */
const SESSION_DIR = /^mirrord-[0-9a-f]{12}-[A-Za-z0-9]{6}$/;
/** A folder without an owner record (written by an older version, or just being created) is left this long. */
const UNRECORDED_GRACE_MS = 60 * 60 * 1000;

export function createSessionDir(sessionId: string, root: string = tmpdir()): string {
  const dir = mkdtempSync(join(root, `mirrord-${sessionId}-`));
  writeFileSync(join(dir, OWNER_FILE), `${process.pid} ${processStartTime(process.pid) ?? ''}\n`);
  return dir;
}

/** Removes the session folders of processes that are gone; returns what it removed. */
export function sweepStaleSessionDirs(root: string = tmpdir(), now: number = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    if (!SESSION_DIR.test(name)) continue;
    const dir = join(root, name);
    try {
      const info = statSync(dir);
      if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
      if (!isStale(dir, info.mtimeMs, now)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // removed by someone else meanwhile, or not ours to remove
    }
  }
  return removed;
}

function isStale(dir: string, modifiedMs: number, now: number): boolean {
  let owner: string;
  try {
    owner = readFileSync(join(dir, OWNER_FILE), 'utf8');
  } catch {
    return now - modifiedMs > UNRECORDED_GRACE_MS;
  }
  const [pid, started] = owner.trim().split(' ');
  return !pid || processStartTime(Number(pid)) !== started;
}

/**
 * The cluster's daemons: started detached with their output in LOGS_DIR, each recorded by
 * PID (and its kernel start time, so a reused PID is never taken for ours) in PIDS_DIR.
 * Stopping kills only recorded PIDs.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { LOGS_DIR, PIDS_DIR } from "../paths.js";
import { sleep } from "../run.js";

export interface DaemonRecord {
  name: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells our process from a later one with the same PID. */
  startTime: string;
  argv: string[];
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function isRunning(record: DaemonRecord): boolean {
  const startTime = processStartTime(record.pid);
  if (startTime === undefined || startTime !== record.startTime) return false;
  // A zombie (exited, not yet reaped) counts as gone.
  const state = readFileSync(`/proc/${record.pid}/stat`, "utf8").split(") ")[1]?.[0];
  return state !== "Z";
}

export function logPath(name: string): string {
  return path.join(LOGS_DIR, `${name}.log`);
}

export async function startDaemon(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<DaemonRecord> {
  await mkdir(LOGS_DIR, { recursive: true });
  await mkdir(PIDS_DIR, { recursive: true });
  const log = openSync(logPath(name), "a");
  const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log], env });
  closeSync(log);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`Cannot start ${name} (${command}): ${error.message}.`)));
    child.once("spawn", () => resolve(child.pid!));
  });
  child.unref();
  const record: DaemonRecord = { name, pid, startTime: processStartTime(pid) ?? "", argv: [command, ...args] };
  await writeFile(path.join(PIDS_DIR, `${name}.json`), JSON.stringify(record));
  return record;
}

export async function recordedDaemons(): Promise<DaemonRecord[]> {
  if (!existsSync(PIDS_DIR)) return [];
  const records: DaemonRecord[] = [];
  for (const file of (await readdir(PIDS_DIR)).filter((f) => f.endsWith(".json"))) {
    records.push(JSON.parse(await readFile(path.join(PIDS_DIR, file), "utf8")) as DaemonRecord);
  }
  return records;
}

export async function recordedDaemon(name: string): Promise<DaemonRecord | undefined> {
  return (await recordedDaemons()).find((r) => r.name === name);
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(pid: number, startTime: string, graceMs = 10_000): Promise<void> {
  const alive = () => processStartTime(pid) === startTime && !isZombie(pid);
  if (!alive()) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      return;
    }
    while (alive()) await sleep(50);
  }
}

function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] === "Z";
  } catch {
    return true;
  }
}

export async function stopDaemon(name: string, graceMs?: number): Promise<void> {
  const record = await recordedDaemon(name);
  if (!record) return;
  await stopProcess(record.pid, record.startTime, graceMs);
  await rm(path.join(PIDS_DIR, `${name}.json`), { force: true });
}

/** The error for a daemon that exited during boot, naming its log. */
export function daemonExitedError(record: DaemonRecord): Error {
  return new Error(`${record.name} exited during boot; its log is ${logPath(record.name)}.`);
}

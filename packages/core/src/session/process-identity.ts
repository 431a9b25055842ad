/**
 * A process identity that survives pid reuse: the pid plus its start time (field 22 of
 * /proc/<pid>/stat, clock ticks since boot). A session remembers the processes it supervised
 * this way, so it can end the ones it launched without ever signalling a stranger.
 */
import { readFileSync } from 'node:fs';

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; split after the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** SIGKILL to each process that is still the one recorded (same pid, same start time); returns those signalled. */
export function killRecorded(recorded: ReadonlyMap<number, string>): number[] {
  const killed: number[] = [];
  for (const [pid, started] of recorded) {
    if (pid === process.pid || processStartTime(pid) !== started) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

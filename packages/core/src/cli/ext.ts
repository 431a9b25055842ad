/**
 * `mirrord ext [-t target] [-f config] [-e executable]`: what mirrord's own IDE plugins call
 * before a debug launch (../shared/reference/mirrord-ide-contract.md). Progress goes to stdout
 * as NDJSON; the final `FinishedTask` "mirrord preparing to launch" carries, as a JSON string,
 * the environment that puts the debuggee under the layer. The session then lives on in this
 * process until every process that used it has exited (plus a grace period), or until none
 * came within the start-up timeout, or until this process is told to stop.
 */
import { appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { ndjsonProgress } from '../progress.js';
import { startSession, type Session } from '../session/session.js';
import type { Output } from './output.js';

export const LAUNCH_TASK = 'mirrord preparing to launch';

export interface ExtFlags {
  target?: string;
  configFile?: string;
  executable?: string;
}

/** `45000-65535`, `5678`, `1000-2000,3000`: the ports a debugger may use, never intercepted. */
export function parsePortRanges(text: string | undefined): (number | [number, number])[] {
  if (!text) return [];
  const out: (number | [number, number])[] = [];
  for (const part of text.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || from > to || to > 65535) {
      throw new UsageError('cli.bad_env', `MIRRORD_IGNORE_DEBUGGER_PORTS has "${part.slice(0, 30)}", which is not a port or a range like 45000-65535.`, 'Fix the variable in the launch configuration.');
    }
    out.push(from === to ? from : [from, to]);
  }
  return out;
}

/**
 * The debugger's own port, read from a process's argv the way mirrord's plugins ask for it
 * (MIRRORD_DETECT_DEBUGGER_PORT): debugpy's `--port N` / `--listen [host:]N`, the JDWP agent's
 * `address=[host:]N`, pydevd's `--port N`.
 */
export function detectDebuggerPort(kind: string | undefined, argv: readonly string[]): number | undefined {
  if (!kind) return undefined;
  const joined = argv.join(' ');
  const patterns: Record<string, RegExp[]> = {
    debugpy: [/--(?:port|listen|connect)[ =](?:[\w.:[\]-]*:)?(\d{1,5})\b/],
    pydevd: [/--port[ =](\d{1,5})\b/],
    javaagent: [/-agentlib:jdwp=[^ ]*address=(?:[\w.*[\]-]*:)?(\d{1,5})\b/],
  };
  for (const pattern of patterns[kind] ?? []) {
    const match = pattern.exec(joined);
    if (match) return Number(match[1]);
  }
  return undefined;
}

export async function extCommand(out: Output, flags: ExtFlags, context: { cwd: string; env: Readonly<Record<string, string | undefined>> }): Promise<number> {
  const env = context.env;
  const progress = ndjsonProgress((line) => out.stdout(line), LAUNCH_TASK);
  out.stdout(`${JSON.stringify({ type: 'NewTask', name: LAUNCH_TASK, parent: null })}\n`);
  const loaded = loadConfig({ cwd: context.cwd, configFile: flags.configFile, env, overrides: { target: flags.target } });
  for (const warning of loaded.warnings) progress.warning(warning);
  const config = loaded.config;
  // The session's own log goes to a file: stdout is the plugin's NDJSON and stderr is read for errors.
  const logFile = config.internal_proxy.log_destination ?? join(tmpdir(), `mirrord-ext-${process.pid}.log`);
  const log = (line: string) => {
    try {
      appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // A log that cannot be written must not break the session.
    }
  };
  const ignorePorts = parsePortRanges(env.MIRRORD_IGNORE_DEBUGGER_PORTS);
  const extraSkip = (env.MIRRORD_SKIP_PROCESSES ?? '').split(';').map((s) => s.trim()).filter(Boolean);

  const session = await startSession({ config, progress, env, cwd: context.cwd, extraSkip, ignorePorts, log, detectDebuggerPort: (argv) => detectDebuggerPort(env.MIRRORD_DETECT_DEBUGGER_PORT, argv) });
  const environment = { ...session.envPlan.set, ...session.intercept.env(env.LD_PRELOAD) };
  const launch = { environment, patched_path: null, env_to_unset: [...session.envPlan.unset], uses_operator: false };
  out.stdout(`${JSON.stringify({ type: 'FinishedTask', name: LAUNCH_TASK, success: true, message: JSON.stringify(launch) })}\n`);
  log(`session ${session.id} ready; waiting for the debuggee`);
  await untilDone(session, config.internal_proxy.start_idle_timeout * 1000, config.internal_proxy.idle_timeout * 1000, log);
  // A default log of a session that ended cleanly has nothing left to tell; a named one is the user's.
  if (!config.internal_proxy.log_destination) rmSync(logFile, { force: true });
  return 0;
}

/** Resolves once the session should end; closes it first. */
function untilDone(session: Session, startIdleMs: number, idleMs: number, log: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let idleTimer: NodeJS.Timeout | undefined;
    const finish = (why: string) => {
      clearTimeout(idleTimer);
      clearTimeout(startTimer);
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
      log(`ending the session: ${why}`);
      void session.close().then(resolve, resolve);
    };
    const onSignal = () => finish('told to stop');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
    const startTimer = setTimeout(() => {
      if (!session.intercept.everAttached) finish(`no process connected within ${startIdleMs / 1000} s`);
    }, startIdleMs);
    session.intercept.onIdle(() => {
      clearTimeout(idleTimer);
      // A restarting debuggee comes back within the grace period and keeps the session.
      idleTimer = setTimeout(() => {
        if (session.intercept.processCount === 0) finish(`every process exited ${idleMs / 1000} s ago`);
      }, idleMs);
    });
  });
}

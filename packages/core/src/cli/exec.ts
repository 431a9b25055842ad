/**
 * `mirrord exec [flags] -- <command> [args…]`: runs the command under the layer in a session
 * (agent started, target's env applied), returns its exit code, and removes everything the
 * session created — after a normal exit, Ctrl-C, a crash of the command, or an error.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { loadConfig } from '../config/load.js';
import type { FsMode, MirrordConfig } from '../config/definition.js';
import { UsageError } from '../errors.js';
import { humanProgress, ndjsonProgress } from '../progress.js';
import { startSession, type Session } from '../session/session.js';
import type { Output } from './output.js';
import { reportError } from './output.js';

/** mirrord's exec flags that change the config. */
export interface ExecFlags {
  configFile?: string;
  target?: string;
  targetNamespace?: string;
  agentNamespace?: string;
  agentImage?: string;
  ephemeralContainer?: boolean;
  agentTtl?: string;
  agentStartupTimeout?: string;
  steal?: boolean;
  fsMode?: string;
  outgoing?: boolean;
  tcpOutgoing?: boolean;
  udpOutgoing?: boolean;
  remoteDns?: boolean;
  overrideEnvVarsExclude?: string;
  overrideEnvVarsInclude?: string;
  skipProcesses?: string;
  context?: string;
}

const FS_MODES: readonly FsMode[] = ['read', 'write', 'local', 'localwithoverrides'];

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('cli.bad_flag', `${flag} must be a whole number of seconds; got "${value}".`, `Pass e.g. ${flag} 30.`);
  return n;
}

/** The config with the command line's flags applied (flags win, as in mirrord). */
export function applyExecFlags(config: MirrordConfig, flags: ExecFlags): MirrordConfig {
  const c = structuredClone(config);
  const network = c.feature.network;
  if (flags.steal) network.incoming.mode = 'steal';
  if (flags.fsMode !== undefined) {
    if (!FS_MODES.includes(flags.fsMode as FsMode)) throw new UsageError('cli.bad_flag', `--fs-mode must be one of ${FS_MODES.join(', ')}; got "${flags.fsMode}".`, 'Pass e.g. --fs-mode read.');
    c.feature.fs.mode = flags.fsMode as FsMode;
  }
  if (flags.outgoing === false) network.outgoing = { ...network.outgoing, tcp: false, udp: false };
  if (flags.tcpOutgoing === false) network.outgoing.tcp = false;
  if (flags.udpOutgoing === false) network.outgoing.udp = false;
  if (flags.remoteDns === false) network.dns.enabled = false;
  if (flags.agentNamespace) c.agent.namespace = flags.agentNamespace;
  if (flags.agentImage) c.agent.image = flags.agentImage;
  if (flags.ephemeralContainer) c.agent.ephemeral = true;
  if (flags.agentTtl !== undefined) c.agent.ttl = seconds('--agent-ttl', flags.agentTtl);
  if (flags.agentStartupTimeout !== undefined) c.agent.startup_timeout = seconds('--agent-startup-timeout', flags.agentStartupTimeout);
  if (flags.overrideEnvVarsExclude) c.feature.env.exclude = flags.overrideEnvVarsExclude.split(';').filter(Boolean);
  if (flags.overrideEnvVarsInclude) c.feature.env.include = flags.overrideEnvVarsInclude.split(';').filter(Boolean);
  if (flags.skipProcesses) c.skip_processes = [...c.skip_processes, ...flags.skipProcesses.split(';').filter(Boolean)];
  if (flags.context) c.kube_context = flags.context;
  return c;
}

export async function execCommand(
  out: Output,
  command: readonly string[],
  flags: ExecFlags,
  context: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<number> {
  const [program, ...args] = command;
  if (!program) throw new UsageError('cli.no_command', 'mirrord exec needs a command to run.', 'Write it after --, e.g. `mirrord exec -t deployment/api -- node server.js`.');
  const loaded = loadConfig({ cwd: context.cwd, configFile: flags.configFile, env: context.env, overrides: { target: flags.target, namespace: flags.targetNamespace } });
  const config = applyExecFlags(loaded.config, flags);
  const progress = out.mode === 'json' ? ndjsonProgress((line) => out.stdout(line)) : humanProgress((text) => out.stderr(text));
  for (const warning of loaded.warnings) progress.warning(warning);

  // Ctrl-C while the session starts must still remove what was created so far.
  let interrupted = false;
  const onEarlySignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onEarlySignal);
  process.on('SIGTERM', onEarlySignal);
  let session: Session;
  try {
    session = await startSession({ config, progress, env: context.env, cwd: context.cwd, log: (line) => out.stderr(`mirrord: ${line}\n`) });
  } finally {
    process.off('SIGINT', onEarlySignal);
    process.off('SIGTERM', onEarlySignal);
  }
  if (interrupted) {
    await session.close();
    return 130;
  }
  try {
    return await runProgram(session, program, args, context);
  } catch (error) {
    return reportError(out, error);
  } finally {
    await session.close();
  }
}

/** Runs the program under the launcher (any executable, static ones included) and forwards signals. */
function runProgram(session: Session, program: string, args: readonly string[], context: { cwd: string; env: Readonly<Record<string, string | undefined>> }): Promise<number> {
  const [launcher, argv] = session.intercept.launcherArgv(program, args);
  const child = spawn(launcher, argv, { cwd: context.cwd, env: session.programEnv(context.env), stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      reject(new UsageError('cli.cannot_run', `mirrord could not start ${program} (${error.message}).`, 'Check the command and that it is executable.'));
    });
    child.once('exit', (code, signal) => {
      for (const [s, handler] of handlers) process.off(s, handler);
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}

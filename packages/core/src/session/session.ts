/**
 * A whole mirrord session, the unit every front end starts (the CLI's exec and ext, the IDE
 * server): kernel check, agent in the cluster, the target's environment, the interception
 * layer's supervisor, and pause. `close()` undoes everything on every path.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkKernel } from '@mirrord-ts/layer';
import type { MirrordConfig } from '../config/definition.js';
import { KernelError } from '../errors.js';
import { openCluster, type Cluster } from '../kube/cluster.js';
import { inStep, type Progress } from '../progress.js';
import { startAgentSession, type AgentSession } from './agent-session.js';
import { InterceptSession } from './intercept.js';
import { applyEnvPlan, planEnv, type EnvPlan } from './remote-env.js';
import { createSessionDir, sweepStaleSessionDirs } from './session-dirs.js';

export interface SessionOptions {
  readonly config: MirrordConfig;
  readonly progress: Progress;
  /** The environment the CLI or IDE server runs with (KUBECONFIG, MIRRORD_AGENT_IMAGE, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly extraSkip?: readonly string[];
  readonly ignorePorts?: ReadonlyArray<number | readonly [number, number]>;
  readonly log?: (line: string) => void;
  readonly detectDebuggerPort?: (argv: readonly string[]) => number | undefined;
  /** Folders (besides cwd) whose files and ancestors stay local: the IDE's and its debuggers' (js-debug's bootloader). */
  readonly localDirs?: readonly string[];
  /** For tests: an already opened cluster. */
  readonly cluster?: Cluster;
}

export interface Session {
  readonly id: string;
  readonly agent: AgentSession;
  readonly intercept: InterceptSession;
  readonly envPlan: EnvPlan;
  /** The environment of a program started in this session (from `base`, usually the caller's env). */
  programEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string>;
  close(): Promise<void>;
}

export function newSessionId(): string {
  return randomBytes(6).toString('hex');
}

/** Fails with one sentence when this kernel cannot run the layer. */
export function assertKernel(): void {
  const kernel = checkKernel();
  if (kernel.problem) throw new KernelError('kernel.too_old', kernel.problem, 'Run mirrord on Linux 5.19 or newer (a VM or a newer distribution kernel).');
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const { config, progress } = options;
  assertKernel();
  const id = newSessionId();
  const cluster = options.cluster ?? openCluster({ kubeconfig: config.kubeconfig, context: config.kube_context, acceptInvalidCertificates: config.accept_invalid_certificates, env: options.env });
  const agent = await startAgentSession({ cluster, config, progress, sessionId: id, agentImage: options.env.MIRRORD_AGENT_IMAGE || undefined });
  sweepStaleSessionDirs();
  const dir = createSessionDir(id);
  let intercept: InterceptSession | undefined;
  let paused = false;
  const close = async () => {
    await intercept?.close().catch(() => undefined);
    if (paused) await agent.connection.pause(false).catch(() => undefined);
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const remoteEnv = config.feature.env.enabled && agent.target ? await inStep(progress, 'reading the target\'s environment', () => agent.connection.getEnv()) : {};
    const envPlan = planEnv(remoteEnv, config.feature.env, options.env, options.cwd);
    intercept = await InterceptSession.start({
      config,
      agent: agent.connection,
      socketPath: join(dir, 'layer.sock'),
      sessionDir: dir,
      localDirs: [options.cwd, ...(options.localDirs ?? [])],
      ...(options.extraSkip ? { extraSkip: options.extraSkip } : {}),
      ...(options.ignorePorts ? { ignorePorts: options.ignorePorts } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.detectDebuggerPort ? { detectDebuggerPort: options.detectDebuggerPort } : {}),
    });
    if (config.pause && agent.target) {
      await inStep(progress, `pausing ${agent.target.path}`, () => agent.connection.pause(true));
      paused = true;
    }
    const session = intercept;
    let closing: Promise<void> | undefined;
    return {
      id,
      agent,
      intercept: session,
      envPlan,
      programEnv: (base) => ({ ...applyEnvPlan(base, envPlan), ...session.env(base.LD_PRELOAD) }),
      close: () => (closing ??= close()),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

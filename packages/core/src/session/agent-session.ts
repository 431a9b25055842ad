/**
 * A connected agent for one session: target resolved, agent started in the cluster, reached
 * through one port-forward, handshake done. `close()` undoes all of it; if any step fails,
 * what the earlier steps created is removed before the error reaches the caller.
 */
import { AgentConnection } from '@mirrord-ts/agent-client';
import type { MirrordConfig } from '../config/definition.js';
import { ClusterError, ConfigError } from '../errors.js';
import { AGENT_LABEL, agentStopped, createAgent, randomAgentPort, removeAgent, waitForAgent, type AgentMode, type AgentSpec, type SpawnedAgent } from '../kube/agent-spawn.js';
import type { Cluster } from '../kube/cluster.js';
import { forwardPort, type PortForward } from '../kube/port-forward.js';
import { resolveTarget, type ResolvedTarget } from '../kube/targets.js';
import { inStep, type Progress } from '../progress.js';
import { formatTargetPath } from '../target/target-path.js';
import { VERSION } from '../version.js';
import { holdScaledDown, wantsScaleDown, type ScaleDownHold } from './scale-down.js';

/** The agent image matching this version, unless the config names one. */
export const DEFAULT_AGENT_IMAGE = `mirrord-ts.local/agent:${VERSION}`;

export interface AgentSession {
  readonly sessionId: string;
  readonly namespace: string;
  readonly target: ResolvedTarget | null;
  readonly agent: SpawnedAgent;
  readonly connection: AgentConnection;
  /** With copy_target.scale_down: the scaled-down workload and its idle copy (the target). */
  readonly scaleDown: ScaleDownHold | null;
  /** Ends the session: closes the connection and the port-forward, deletes the agent. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly cluster: Cluster;
  readonly config: MirrordConfig;
  readonly progress: Progress;
  readonly sessionId: string;
  /** An agent image override from the environment (MIRRORD_AGENT_IMAGE), as mirrord reads it. */
  readonly agentImage?: string | undefined;
}

export function agentModeOf(config: MirrordConfig): AgentMode {
  if (!config.target.path || config.target.path.kind === 'targetless') return 'targetless';
  return config.agent.ephemeral ? 'ephemeral' : 'job';
}

export async function startAgentSession(options: StartOptions): Promise<AgentSession> {
  const { cluster, config, progress } = options;
  const namespace = config.target.namespace ?? cluster.currentNamespace;
  const targetPath = config.target.path;
  const mode = agentModeOf(config);

  const image = options.agentImage ?? config.agent.image ?? DEFAULT_AGENT_IMAGE;
  // copy_target.scale_down: the target becomes an idle copy of the workload's pod.
  const scaled = wantsScaleDown(config, targetPath);
  const hold = scaled ? await holdScaledDown(cluster, { config, progress, sessionId: options.sessionId, ref: { kind: scaled.kind, name: scaled.name, namespace }, agentImage: image }) : null;
  let target: ResolvedTarget | null;
  try {
    target = hold
      ? { ...(await resolveTarget(cluster, { kind: 'pod', name: hold.copyPod, container: scaled!.container }, namespace)), workload: { kind: hold.ref.kind, name: hold.ref.name } }
      : targetPath && targetPath.kind !== 'targetless'
        ? await inStep(progress, `finding ${formatTargetPath(targetPath)}`, () => resolveTarget(cluster, targetPath, namespace), (t) => `pod ${t.pod.name}, container ${t.container.name}`)
        : null;
  } catch (error) {
    await hold?.release();
    throw error;
  }

  const spec: AgentSpec = {
    mode,
    sessionId: options.sessionId,
    image,
    imagePullPolicy: config.agent.image_pull_policy,
    namespace: config.agent.namespace ?? namespace,
    target,
    port: randomAgentPort(),
    communicationTimeoutSeconds: config.agent.communication_timeout,
    ttlSeconds: config.agent.ttl,
    logLevel: config.agent.log_level,
    privileged: config.agent.privileged,
    labels: config.agent.labels ?? {},
    annotations: config.agent.annotations ?? {},
    tolerations: config.agent.tolerations,
    nodeSelector: config.agent.node_selector,
    serviceAccount: config.agent.service_account,
    priorityClass: config.agent.priority_class,
    resources: config.agent.resources,
    imagePullSecrets: config.agent.image_pull_secrets,
    disabledCapabilities: config.agent.disabled_capabilities ?? [],
    disableMeshInjection: config.agent.disable_mesh_sidecar_injection,
    pause: config.pause,
  };

  const cleanups: (() => Promise<void>)[] = [];
  if (hold) cleanups.push(() => hold.release());
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const agent = await inStep(progress, `starting the agent (${mode})`, async () => {
      const created = await createAgent(cluster, spec);
      cleanups.push(() => removeAgent(cluster, created));
      await waitForAgent(cluster, spec, created, config.agent.startup_timeout * 1000);
      return created;
    });
    const connection = await inStep(progress, 'connecting to the agent', async () => {
      const opened = await forwardPort(cluster, agent.forwardPod.namespace, agent.forwardPod.name, agent.port);
      cleanups.push(() => opened.close());
      const connected = await connectWithRetry(opened, config.agent.startup_timeout * 1000, () => agentStopped(cluster, spec, agent));
      cleanups.push(async () => connected.close());
      return connected;
    });
    let closed: Promise<void> | undefined;
    return {
      sessionId: options.sessionId,
      namespace,
      target,
      agent,
      connection,
      scaleDown: hold,
      close: () => (closed ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The agent listens a moment after its container starts; retry the handshake until it answers. */
async function connectWithRetry(forward: PortForward, timeoutMs: number, stopped: () => Promise<string | undefined>): Promise<AgentConnection> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await AgentConnection.connect(`127.0.0.1:${forward.localPort}`, { clientName: `mirrord-ts ${VERSION}`, timeoutMs: 3000 });
    } catch (error) {
      last = error;
      if (error instanceof Error && error.name === 'ProtocolVersionMismatchError') {
        throw new ConfigError([{ key: 'agent.image', message: error.message, help: `Use the agent image of this version (${DEFAULT_AGENT_IMAGE}) or a CLI matching the agent.` }]);
      }
      const why = await stopped();
      if (why) throw new ClusterError('cluster.agent_failed', `The agent stopped before it answered: ${why}.`, `Check the agent with \`kubectl describe pod -l ${AGENT_LABEL}\`, then retry.`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  const detail = last instanceof Error ? last.message : String(last);
  throw new ClusterError('cluster.agent_unreachable', `The agent started but did not answer through the port-forward within ${Math.round(timeoutMs / 1000)} s (${detail}).`, `Check the agent's log with \`kubectl logs -l ${AGENT_LABEL}\`.`);
}

/**
 * Starting the agent in the cluster, in one of three ways:
 *  - ephemeral: an ephemeral container in the target pod (shares its network and, through
 *    targetContainerName, the target container's PID namespace, so the target is PID 1);
 *  - job: a Job on the target's node with hostPID, whose entry finds the target container's
 *    process by its container id and enters its network namespace;
 *  - targetless: a Job anywhere, in its own network namespace.
 * In every mode the agent listens on 127.0.0.1 inside the namespace it serves, and the session
 * reaches it with a port-forward to the pod that owns that namespace.
 */
import { randomBytes } from 'node:crypto';
import type { V1Container, V1EnvVar, V1Job, V1Pod, V1SecurityContext } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import { callApi } from './api-errors.js';
import type { Cluster } from './cluster.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './pod-facts.js';
import { quantityValue } from './quantity.js';
import type { ResolvedTarget } from './targets.js';

/** Labels that say which session and agent an object belongs to. */
export const SESSION_LABEL = 'mirrord-ts/session';
export const AGENT_LABEL = 'mirrord-ts/agent';

/** In the agent image: the entry that enters a container's namespaces before starting the agent. */
export const AGENT_ENTRY_IN_CONTAINER = '/app/enter-container';
export const AGENT_NODE = '/usr/bin/node';
export const AGENT_SCRIPT = '/app/agent.js';

export type AgentMode = 'ephemeral' | 'job' | 'targetless';

export interface AgentSpec {
  readonly mode: AgentMode;
  readonly sessionId: string;
  readonly image: string;
  readonly imagePullPolicy: string;
  /** Namespace of the agent Job (job and targetless modes). */
  readonly namespace: string;
  readonly target: ResolvedTarget | null;
  readonly port: number;
  readonly communicationTimeoutSeconds: number;
  readonly ttlSeconds: number;
  readonly logLevel: string;
  readonly privileged: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly tolerations: readonly Record<string, string>[] | null;
  readonly nodeSelector: Readonly<Record<string, string>> | null;
  readonly serviceAccount: string | null;
  readonly priorityClass: string | null;
  /** agent.resources: each given amount replaces its default. */
  readonly resources?: AgentResources | null;
  readonly imagePullSecrets: readonly Record<string, string>[] | null;
  readonly disabledCapabilities: readonly string[];
  readonly disableMeshInjection: boolean;
  /** The session pauses the target: an ephemeral agent then needs SYS_ADMIN for the cgroup freezer. */
  readonly pause: boolean;
}

export interface SpawnedAgent {
  readonly agentId: string;
  /** The pod whose network namespace the agent listens in: port-forward here. */
  readonly forwardPod: { readonly namespace: string; readonly name: string };
  readonly port: number;
  /** What to delete when the session ends (ephemeral containers cannot be deleted; they exit). */
  readonly job: { readonly namespace: string; readonly name: string } | null;
}

/** A port for the agent that the target is unlikely to use. */
export function randomAgentPort(): number {
  return 40000 + (randomBytes(2).readUInt16BE(0) % 5000);
}

export function newAgentId(): string {
  return randomBytes(4).toString('hex');
}

function agentArgs(spec: AgentSpec, agentId: string, targetPid: string | null): string[] {
  return [
    '--listen-host',
    '127.0.0.1',
    '--port',
    String(spec.port),
    '--communication-timeout',
    String(spec.communicationTimeoutSeconds),
    '--agent-id',
    agentId,
    '--log-level',
    spec.logLevel === 'debug' || spec.logLevel === 'error' ? spec.logLevel : 'info',
    ...(targetPid ? ['--target-pid', targetPid] : []),
  ];
}

const NODE_IP_ENV: V1EnvVar = { name: 'MIRRORD_AGENT_NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } };

function securityContext(spec: AgentSpec, wanted: string[]): V1SecurityContext {
  const add = wanted.filter((c) => !spec.disabledCapabilities.includes(c));
  return { privileged: spec.privileged || undefined, capabilities: { add } } as V1SecurityContext;
}

function metadataFor(spec: AgentSpec, agentId: string) {
  const labels: Record<string, string> = {
    ...spec.labels,
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [SESSION_LABEL]: spec.sessionId,
    [AGENT_LABEL]: agentId,
    ...(spec.disableMeshInjection ? { 'sidecar.istio.io/inject': 'false' } : {}),
  };
  const annotations: Record<string, string> = {
    ...spec.annotations,
    ...(spec.disableMeshInjection ? { 'sidecar.istio.io/inject': 'false', 'linkerd.io/inject': 'disabled', 'kuma.io/sidecar-injection': 'disabled' } : {}),
  };
  return { labels, annotations };
}

export interface ResourceAmounts {
  readonly cpu?: string | null;
  readonly memory?: string | null;
}
export interface AgentResources {
  readonly requests?: ResourceAmounts | null;
  readonly limits?: ResourceAmounts | null;
}

const DEFAULT_RESOURCES = { requests: { cpu: '1m', memory: '16Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

/** The agent container's resources: the defaults, with each amount the config gives in its place. */
export function agentResources(given: AgentResources | null | undefined): { requests: Record<string, string>; limits: Record<string, string> } {
  const merge = (defaults: Record<string, string>, amounts: ResourceAmounts | null | undefined) => {
    const out = { ...defaults };
    if (amounts?.cpu) out.cpu = amounts.cpu;
    if (amounts?.memory) out.memory = amounts.memory;
    return out;
  };
  const requests = merge(DEFAULT_RESOURCES.requests, given?.requests);
  const limits = merge(DEFAULT_RESOURCES.limits, given?.limits);
  // A request above the default limit, with no limit of its own, raises the limit to it
  // (Kubernetes refuses a request above its limit).
  for (const kind of ['cpu', 'memory'] as const) {
    if (given?.limits?.[kind]) continue;
    if ((quantityValue(requests[kind]!) ?? 0) > (quantityValue(limits[kind]!) ?? Infinity)) limits[kind] = requests[kind]!;
  }
  return { requests, limits };
}

/** The Job of the job and targetless modes. */
export function agentJob(spec: AgentSpec, agentId: string): V1Job {
  const { labels, annotations } = metadataFor(spec, agentId);
  const targeted = spec.mode === 'job';
  if (targeted && !spec.target) throw new Error('job mode needs a target');
  const container: V1Container = {
    name: 'mirrord-agent',
    image: spec.image,
    imagePullPolicy: spec.imagePullPolicy,
    command: targeted ? [AGENT_ENTRY_IN_CONTAINER, spec.target!.container.id, '--', AGENT_NODE, AGENT_SCRIPT] : [AGENT_NODE, AGENT_SCRIPT],
    // In job mode the entry appends `--target-pid <pid>` once it has found the process.
    args: agentArgs(spec, agentId, null),
    env: [NODE_IP_ENV],
    securityContext: targeted ? securityContext(spec, ['NET_ADMIN', 'SYS_PTRACE', 'SYS_ADMIN']) : {},
    resources: agentResources(spec.resources),
  };
  const podSpec = {
    restartPolicy: 'Never',
    containers: [container],
    ...(targeted ? { nodeName: spec.target!.pod.nodeName, hostPID: true } : {}),
    tolerations: (spec.tolerations ?? [{ operator: 'Exists' }]) as never,
    ...(spec.nodeSelector && !targeted ? { nodeSelector: { ...spec.nodeSelector } } : {}),
    ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount } : {}),
    ...(spec.priorityClass ? { priorityClassName: spec.priorityClass } : {}),
    ...(spec.imagePullSecrets ? { imagePullSecrets: spec.imagePullSecrets as never } : {}),
    terminationGracePeriodSeconds: 5,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `mirrord-agent-${agentId}`, namespace: spec.namespace, labels, annotations },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: spec.ttlSeconds,
      // Belt and braces: even an agent that never exits is stopped after a day.
      activeDeadlineSeconds: 86_400,
      template: { metadata: { labels, annotations }, spec: podSpec as never },
    },
  };
}

/** The ephemeral container added to the target pod. */
export function agentEphemeralContainer(spec: AgentSpec, agentId: string) {
  if (!spec.target) throw new Error('ephemeral mode needs a target');
  return {
    name: `mirrord-agent-${agentId}`,
    image: spec.image,
    imagePullPolicy: spec.imagePullPolicy,
    command: [AGENT_NODE, AGENT_SCRIPT],
    // Sharing the target container's PID namespace makes the target process PID 1.
    args: agentArgs(spec, agentId, '1'),
    env: [NODE_IP_ENV],
    targetContainerName: spec.target.container.name,
    // The target is PID 1 here and ignores SIGSTOP, so a pause freezes its cgroup (mounting the hierarchy).
    securityContext: securityContext(spec, spec.pause ? ['NET_ADMIN', 'SYS_PTRACE', 'SYS_ADMIN'] : ['NET_ADMIN', 'SYS_PTRACE']),
  };
}

/** Creates the agent and returns where to reach it; `waitForAgent` then waits until it runs. */
export async function createAgent(cluster: Cluster, spec: AgentSpec): Promise<SpawnedAgent> {
  const agentId = newAgentId();
  if (spec.mode === 'ephemeral') {
    const target = spec.target!;
    const doing = `adding the agent container to pod ${target.pod.name} in namespace ${target.namespace}`;
    const pod = await callApi(doing, () => cluster.core.readNamespacedPod({ name: target.pod.name, namespace: target.namespace }));
    const body: V1Pod = { ...pod, spec: { ...pod.spec!, ephemeralContainers: [...(pod.spec?.ephemeralContainers ?? []), agentEphemeralContainer(spec, agentId) as never] } };
    await callApi(doing, () => cluster.core.replaceNamespacedPodEphemeralcontainers({ name: target.pod.name, namespace: target.namespace, body }));
    return { agentId, forwardPod: { namespace: target.namespace, name: target.pod.name }, port: spec.port, job: null };
  }
  const job = agentJob(spec, agentId);
  await callApi(`creating the agent job in namespace ${spec.namespace}`, () => cluster.batch.createNamespacedJob({ namespace: spec.namespace, body: job }));
  const jobRef = { namespace: spec.namespace, name: job.metadata!.name! };
  if (spec.mode === 'job') {
    const target = spec.target!;
    return { agentId, forwardPod: { namespace: target.namespace, name: target.pod.name }, port: spec.port, job: jobRef };
  }
  const podName = await agentPodName(cluster, spec.namespace, agentId, 30_000);
  return { agentId, forwardPod: { namespace: spec.namespace, name: podName }, port: spec.port, job: jobRef };
}

async function agentPodName(cluster: Cluster, namespace: string, agentId: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pods = await callApi('finding the agent pod', () => cluster.core.listNamespacedPod({ namespace, labelSelector: `${AGENT_LABEL}=${agentId}` }));
    const name = pods.items[0]?.metadata?.name;
    if (name) return name;
    await sleep(250);
  }
  throw new ClusterError('cluster.agent_not_created', `The agent job in namespace ${namespace} created no pod within ${timeoutMs / 1000} s.`, 'Check the job with `kubectl describe job -l mirrord-ts/agent` (quotas or admission policies can stop pods).');
}

/** Container states that will not get better by waiting. */
const HOPELESS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'CrashLoopBackOff']);

/** Waits until the agent container runs; fails early with the reason when it cannot. */
export async function waitForAgent(cluster: Cluster, spec: AgentSpec, agent: SpawnedAgent, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await agentContainerState(cluster, spec, agent);
    if (state.running) return;
    if (state.problem) {
      const image = state.problem.reason.includes('Image') ? ` (image ${spec.image})` : '';
      throw new ClusterError(
        'cluster.agent_failed',
        `The agent could not start: ${state.problem.reason}${image}${state.problem.message ? `: ${state.problem.message.split('\n')[0]}` : ''}.`,
        image ? 'Make the agent image available to the cluster (or set agent.image), then retry.' : 'Check the agent with `kubectl describe pod`, then retry.',
      );
    }
    if (Date.now() > deadline) {
      throw new ClusterError('cluster.agent_timeout', `The agent did not start within ${Math.round(timeoutMs / 1000)} s.`, 'Raise agent.startup_timeout or check the node with `kubectl describe pod`.');
    }
    await sleep(200);
  }
}

type ContainerState = { running: boolean; problem?: { reason: string; message?: string } };

/**
 * Why the agent stopped running after it started (its container exited), with the last line
 * of its log; undefined while it runs. For a connect that keeps failing: say why at once
 * instead of retrying until the start-up timeout.
 */
export async function agentStopped(cluster: Cluster, spec: AgentSpec, agent: SpawnedAgent): Promise<string | undefined> {
  const state = await agentContainerState(cluster, spec, agent).catch(() => ({ running: true }) as ContainerState);
  if (state.running || !state.problem) return undefined;
  const where =
    spec.mode === 'ephemeral'
      ? { name: agent.forwardPod.name, namespace: agent.forwardPod.namespace, container: `mirrord-agent-${agent.agentId}` }
      : await cluster.core
          .listNamespacedPod({ namespace: spec.namespace, labelSelector: `${AGENT_LABEL}=${agent.agentId}` })
          .then((pods) => ({ name: pods.items[0]?.metadata?.name ?? '', namespace: spec.namespace, container: 'mirrord-agent' }), () => undefined);
  const log = where?.name ? await cluster.core.readNamespacedPodLog({ ...where, tailLines: 5 }).catch(() => '') : '';
  const lastLine = String(log).trim().split('\n').at(-1)?.trim();
  return `${state.problem.reason}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}`;
}

async function agentContainerState(cluster: Cluster, spec: AgentSpec, agent: SpawnedAgent): Promise<ContainerState> {
  if (spec.mode === 'ephemeral') {
    const pod = await callApi('watching the agent container', () => cluster.core.readNamespacedPod({ name: agent.forwardPod.name, namespace: agent.forwardPod.namespace }));
    const status = pod.status?.ephemeralContainerStatuses?.find((s) => s.name === `mirrord-agent-${agent.agentId}`);
    return stateOf(status?.state);
  }
  const pods = await callApi('watching the agent pod', () => cluster.core.listNamespacedPod({ namespace: spec.namespace, labelSelector: `${AGENT_LABEL}=${agent.agentId}` }));
  const pod = pods.items[0];
  if (pod?.status?.phase === 'Failed') return { running: false, problem: { reason: 'the agent pod failed', message: pod.status.message ?? pod.status.reason ?? '' } };
  return stateOf(pod?.status?.containerStatuses?.[0]?.state);
}

function stateOf(state: { running?: unknown; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; message?: string; exitCode?: number } } | undefined): ContainerState {
  if (!state) return { running: false };
  if (state.running) return { running: true };
  if (state.terminated) return { running: false, problem: { reason: `it exited (${state.terminated.reason ?? `code ${state.terminated.exitCode}`})`, ...(state.terminated.message ? { message: state.terminated.message } : {}) } };
  const reason = state.waiting?.reason;
  if (reason && HOPELESS.has(reason)) return { running: false, problem: { reason, ...(state.waiting?.message ? { message: state.waiting.message } : {}) } };
  return { running: false };
}

/** Deletes the agent's Job and pod (ephemeral containers exit by themselves). Never throws. */
export async function removeAgent(cluster: Cluster, agent: SpawnedAgent): Promise<void> {
  if (!agent.job) return;
  const { namespace, name } = agent.job;
  try {
    await cluster.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background', gracePeriodSeconds: 0 });
  } catch {
    // Already gone, or the cluster is unreachable: the agent exits on its own after
    // communication_timeout and the Job's TTL removes it.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

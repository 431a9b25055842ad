/**
 * From a target path to the running pod and container a session attaches to, and the list
 * of targets an IDE's picker shows. Workloads (deployment, rollout, …) resolve to one of their
 * ready pods, as mirrord does without its operator.
 */
import type { V1Container, V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import { TARGET_SYNTAX_HELP, formatTargetPath, type TargetKind, type TargetPath } from '../target/target-path.js';
import { callApi, readOrMissing } from './api-errors.js';
import type { Cluster } from './cluster.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_SIDECARS, byPreference, chooseContainer, podState, runningContainerId, selectorString } from './pod-facts.js';
import { scaledDownReason } from './scale-down.js';

export interface ResolvedTarget {
  /** The path as the user gave it, normalised. */
  readonly path: string;
  readonly namespace: string;
  readonly pod: { readonly name: string; readonly uid: string; readonly nodeName: string; readonly ip: string | null };
  readonly container: { readonly name: string; readonly id: string };
  /** The workload the pod belongs to, when the target named one. */
  readonly workload: { readonly kind: TargetKind; readonly name: string } | null;
}

/** What a workload contributes to resolution and listing. */
interface WorkloadFacts {
  readonly selector: string | undefined;
  readonly containers: readonly string[];
  /** Desired and ready replicas, when the kind has them. */
  readonly replicas?: { readonly desired: number; readonly ready: number };
  /** For cronjobs: only pods of these jobs. */
  readonly jobNames?: readonly string[];
}

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;

interface RolloutObject {
  metadata?: { name?: string };
  spec?: {
    replicas?: number;
    selector?: V1LabelSelector;
    template?: { spec?: { containers?: V1Container[] } };
    workloadRef?: { kind?: string; name?: string };
  };
  status?: { readyReplicas?: number };
}

function names(containers: readonly V1Container[] | undefined): string[] {
  return (containers ?? []).map((c) => c.name).filter((n) => !MESH_SIDECARS.has(n));
}

async function workloadFacts(cluster: Cluster, kind: Exclude<TargetKind, 'pod'>, name: string, namespace: string): Promise<WorkloadFacts | undefined> {
  const doing = `reading ${kind}/${name} in namespace ${namespace}`;
  switch (kind) {
    case 'deployment': {
      const d = await readOrMissing(doing, () => cluster.apps.readNamespacedDeployment({ name, namespace }));
      return d && { selector: selectorString(d.spec?.selector), containers: names(d.spec?.template.spec?.containers), replicas: { desired: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 } };
    }
    case 'statefulset': {
      const s = await readOrMissing(doing, () => cluster.apps.readNamespacedStatefulSet({ name, namespace }));
      return s && { selector: selectorString(s.spec?.selector), containers: names(s.spec?.template.spec?.containers), replicas: { desired: s.spec?.replicas ?? 1, ready: s.status?.readyReplicas ?? 0 } };
    }
    case 'replicaset': {
      const r = await readOrMissing(doing, () => cluster.apps.readNamespacedReplicaSet({ name, namespace }));
      return r && { selector: selectorString(r.spec?.selector), containers: names(r.spec?.template?.spec?.containers), replicas: { desired: r.spec?.replicas ?? 1, ready: r.status?.readyReplicas ?? 0 } };
    }
    case 'job': {
      const j = await readOrMissing(doing, () => cluster.batch.readNamespacedJob({ name, namespace }));
      return j && { selector: selectorString(j.spec?.selector), containers: names(j.spec?.template.spec?.containers) };
    }
    case 'cronjob': {
      const c = await readOrMissing(doing, () => cluster.batch.readNamespacedCronJob({ name, namespace }));
      if (!c) return undefined;
      const jobNames = (c.status?.active ?? []).map((ref) => ref.name).filter((n): n is string => !!n);
      return { selector: undefined, containers: names(c.spec?.jobTemplate.spec?.template.spec?.containers), jobNames };
    }
    case 'service': {
      const s = await readOrMissing(doing, () => cluster.core.readNamespacedService({ name, namespace }));
      if (!s) return undefined;
      const labels = s.spec?.selector ?? {};
      return { selector: selectorString({ matchLabels: labels }), containers: [] };
    }
    case 'rollout': {
      const r = (await readOrMissing(doing, () => cluster.custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace, name }))) as RolloutObject | undefined;
      if (!r) return undefined;
      let containers = names(r.spec?.template?.spec?.containers);
      // A rollout may take its pod template from a Deployment (workloadRef).
      if (containers.length === 0 && r.spec?.workloadRef?.kind === 'Deployment' && r.spec.workloadRef.name) {
        const refName = r.spec.workloadRef.name;
        const d = await readOrMissing(`reading deployment/${refName} of rollout/${name}`, () => cluster.apps.readNamespacedDeployment({ name: refName, namespace }));
        containers = names(d?.spec?.template.spec?.containers);
      }
      return { selector: selectorString(r.spec?.selector), containers, replicas: { desired: r.spec?.replicas ?? 1, ready: r.status?.readyReplicas ?? 0 } };
    }
  }
}

async function podsOf(cluster: Cluster, facts: WorkloadFacts, namespace: string, what: string): Promise<V1Pod[]> {
  if (facts.jobNames) {
    if (facts.jobNames.length === 0) return [];
    const list = await callApi(`listing pods of ${what}`, () => cluster.core.listNamespacedPod({ namespace, labelSelector: `job-name in (${facts.jobNames!.join(',')})` }));
    return list.items;
  }
  if (!facts.selector) return [];
  const list = await callApi(`listing pods of ${what}`, () => cluster.core.listNamespacedPod({ namespace, labelSelector: facts.selector }));
  return list.items;
}

function notFound(what: string, namespace: string): ClusterError {
  return new ClusterError('cluster.target_not_found', `${what} was not found in namespace ${namespace}.`, `Run \`mirrord ls -n ${namespace}\` to see the targets there, or set target.namespace. ${TARGET_SYNTAX_HELP}`);
}

/** Resolves a target path to a running pod and container; errors name what is missing and what to do. */
export async function resolveTarget(cluster: Cluster, target: Exclude<TargetPath, { kind: 'targetless' }>, namespace: string): Promise<ResolvedTarget> {
  const text = formatTargetPath({ ...target, container: null });
  let pod: V1Pod;
  let workload: ResolvedTarget['workload'] = null;
  if (target.kind === 'pod') {
    const found = await readOrMissing(`reading ${text} in namespace ${namespace}`, () => cluster.core.readNamespacedPod({ name: target.name, namespace }));
    if (!found) throw notFound(text, namespace);
    const state = podState(found);
    if (!state.ready) throw new ClusterError('cluster.target_not_ready', `${text} cannot be targeted because ${state.reason}.`, 'Wait until the pod is Running and Ready, or target its deployment.');
    pod = found;
  } else {
    const facts = await workloadFacts(cluster, target.kind, target.name, namespace);
    if (!facts) throw notFound(text, namespace);
    const pods = (await podsOf(cluster, facts, namespace, text)).sort(byPreference);
    const first = pods[0];
    if (!first || !podState(first).ready) {
      const counts = facts.replicas ? ` (${facts.replicas.ready} of ${facts.replicas.desired} replicas ready)` : '';
      throw new ClusterError('cluster.target_not_ready', `${text} has no running, ready pod to target${counts}.`, 'Scale it up or wait until one of its pods is Ready, then retry.');
    }
    pod = first;
    workload = { kind: target.kind, name: target.name };
  }
  const choice = chooseContainer(pod, target.container, text);
  if (!choice.ok) throw new ClusterError('cluster.container', `${text}: ${choice.reason}.`, choice.help);
  const id = runningContainerId(pod, choice.container);
  if (!id) throw new ClusterError('cluster.container_not_running', `Container ${choice.container} of pod ${pod.metadata?.name} is not running.`, 'Wait until it runs (kubectl get pod shows its state), then retry.');
  return {
    path: formatTargetPath({ ...target, container: choice.container }),
    namespace,
    pod: { name: pod.metadata!.name!, uid: pod.metadata!.uid!, nodeName: pod.spec?.nodeName ?? '', ip: pod.status?.podIP ?? null },
    container: { name: choice.container, id },
    workload,
  };
}

// ---------------------------------------------------------------- listing

export const DEFAULT_LIST_KINDS: readonly TargetKind[] = ['deployment', 'rollout', 'statefulset', 'pod'];

export interface TargetEntry {
  readonly path: string;
  readonly kind: TargetKind;
  readonly namespace: string;
  readonly available: boolean;
  /** Why it is unavailable, for people (`ls --verbose`) and IDE pickers. */
  readonly reason?: string;
}

export interface TargetListing {
  readonly currentNamespace: string;
  readonly namespaces: readonly string[];
  readonly targets: readonly TargetEntry[];
}

/** One entry per container when there are several, else one for the workload itself. */
function entriesFor(kind: TargetKind, name: string, containers: readonly string[], namespace: string, available: boolean, reason: string | undefined): TargetEntry[] {
  const base = `${kind}/${name}`;
  const paths = containers.length > 1 ? containers.map((c) => `${base}/container/${c}`) : [base];
  return paths.map((path) => ({ path, kind, namespace, available, ...(reason ? { reason } : {}) }));
}

function replicaReason(replicas: { desired: number; ready: number } | undefined): string | undefined {
  if (!replicas || replicas.ready > 0) return undefined;
  return replicas.desired === 0 ? 'it is scaled to 0 replicas' : `none of its ${replicas.desired} replicas is ready`;
}

async function listKind(cluster: Cluster, kind: TargetKind, namespace: string): Promise<TargetEntry[]> {
  const doing = `listing ${kind}s in namespace ${namespace}`;
  switch (kind) {
    case 'pod': {
      const pods = await callApi(doing, () => cluster.core.listNamespacedPod({ namespace, labelSelector: `${MANAGED_BY_LABEL}!=${MANAGED_BY_VALUE}` }));
      return pods.items.flatMap((p) => {
        const state = podState(p);
        return entriesFor('pod', p.metadata!.name!, names(p.spec?.containers), namespace, state.ready, state.ready ? undefined : state.reason);
      });
    }
    case 'deployment': {
      const list = await callApi(doing, () => cluster.apps.listNamespacedDeployment({ namespace }));
      return list.items.flatMap((d) => {
        const reason = scaledDownReason(d.metadata?.annotations) ?? replicaReason({ desired: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 });
        return entriesFor('deployment', d.metadata!.name!, names(d.spec?.template.spec?.containers), namespace, !reason, reason);
      });
    }
    case 'statefulset': {
      const list = await callApi(doing, () => cluster.apps.listNamespacedStatefulSet({ namespace }));
      return list.items.flatMap((s) => {
        const reason = scaledDownReason(s.metadata?.annotations) ?? replicaReason({ desired: s.spec?.replicas ?? 1, ready: s.status?.readyReplicas ?? 0 });
        return entriesFor('statefulset', s.metadata!.name!, names(s.spec?.template.spec?.containers), namespace, !reason, reason);
      });
    }
    case 'replicaset': {
      const list = await callApi(doing, () => cluster.apps.listNamespacedReplicaSet({ namespace }));
      return list.items.flatMap((r) => {
        const reason = replicaReason({ desired: r.spec?.replicas ?? 1, ready: r.status?.readyReplicas ?? 0 });
        return entriesFor('replicaset', r.metadata!.name!, names(r.spec?.template?.spec?.containers), namespace, !reason, reason);
      });
    }
    case 'job': {
      const list = await callApi(doing, () => cluster.batch.listNamespacedJob({ namespace }));
      return list.items.flatMap((j) => {
        const reason = (j.status?.active ?? 0) > 0 ? undefined : 'it has no running pod';
        return entriesFor('job', j.metadata!.name!, names(j.spec?.template.spec?.containers), namespace, !reason, reason);
      });
    }
    case 'cronjob': {
      const list = await callApi(doing, () => cluster.batch.listNamespacedCronJob({ namespace }));
      // A cronjob is targeted through a copy of its job template, so it is always usable.
      return list.items.flatMap((c) => entriesFor('cronjob', c.metadata!.name!, names(c.spec?.jobTemplate.spec?.template.spec?.containers), namespace, true, undefined));
    }
    case 'service': {
      const list = await callApi(doing, () => cluster.core.listNamespacedService({ namespace }));
      return list.items
        .filter((s) => Object.keys(s.spec?.selector ?? {}).length > 0)
        .flatMap((s) => entriesFor('service', s.metadata!.name!, [], namespace, true, undefined));
    }
    case 'rollout': {
      // Argo Rollouts is optional: a cluster without its CRD simply has no rollouts.
      const list = (await readOrMissing(doing, () => cluster.custom.listNamespacedCustomObject({ ...ROLLOUTS, namespace }))) as { items?: RolloutObject[] } | undefined;
      return (list?.items ?? []).flatMap((r) => {
        const reason = scaledDownReason((r as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations) ?? replicaReason({ desired: r.spec?.replicas ?? 1, ready: r.status?.readyReplicas ?? 0 });
        return entriesFor('rollout', r.metadata?.name ?? '?', names(r.spec?.template?.spec?.containers), namespace, !reason, reason);
      });
    }
  }
}

/** Targets of one namespace (the context's, unless given) and the namespaces one may switch to. */
export async function listTargets(cluster: Cluster, options: { namespace?: string | null; kinds?: readonly TargetKind[] } = {}): Promise<TargetListing> {
  const namespace = options.namespace ?? cluster.currentNamespace;
  const kinds = options.kinds ?? DEFAULT_LIST_KINDS;
  const [targets, namespaces] = await Promise.all([
    Promise.all(kinds.map((kind) => listKind(cluster, kind, namespace))).then((lists) => lists.flat()),
    listNamespaces(cluster, namespace),
  ]);
  return { currentNamespace: namespace, namespaces, targets };
}

/** All namespaces, or just the current one when listing them is forbidden (common with RBAC). */
async function listNamespaces(cluster: Cluster, current: string): Promise<string[]> {
  try {
    const list = await cluster.core.listNamespace();
    const all = list.items.map((n) => n.metadata!.name!).sort();
    return all.includes(current) ? all : [current, ...all];
  } catch {
    return [current];
  }
}

/**
 * Pure facts about pods and workloads, kept apart from API calls so they can be tested on
 * plain objects: selectors, readiness, which container a target means.
 */
import type { V1LabelSelector, V1Pod } from '@kubernetes/client-node';

/** Containers injected by service meshes: never a target, never listed. */
export const MESH_SIDECARS: ReadonlySet<string> = new Set(['istio-proxy', 'istio-init', 'linkerd-proxy', 'linkerd-init', 'kuma-sidecar', 'kuma-init', 'envoy-sidecar']);

/** Labels our own pods carry (agents, copies), so they are not listed as targets. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'mirrord-ts';

/** A label selector in the string form the list calls take (`a=b,c in (d,e),!f`). */
export function selectorString(selector: V1LabelSelector | undefined): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const expression of selector.matchExpressions ?? []) {
    const values = (expression.values ?? []).join(',');
    switch (expression.operator) {
      case 'In':
        parts.push(`${expression.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${expression.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(expression.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${expression.key}`);
        break;
    }
  }
  // An empty selector would match every pod in the namespace; treat it as "no selector".
  return parts.length > 0 ? parts.join(',') : undefined;
}

export type PodState = { ready: true } | { ready: false; reason: string };

export function podState(pod: V1Pod): PodState {
  if (pod.metadata?.deletionTimestamp) return { ready: false, reason: 'it is terminating' };
  const phase = pod.status?.phase ?? 'Unknown';
  if (phase !== 'Running') return { ready: false, reason: `it is ${phase}` };
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return ready ? { ready: true } : { ready: false, reason: 'it is not Ready' };
}

/** The containers a person may target (mesh sidecars left out), in spec order. */
export function targetableContainers(pod: V1Pod): string[] {
  return (pod.spec?.containers ?? []).map((c) => c.name).filter((name) => !MESH_SIDECARS.has(name));
}

export type ContainerChoice = { ok: true; container: string } | { ok: false; reason: string; help: string };

/** The container a target means: the named one, or the only non-sidecar one. */
export function chooseContainer(pod: V1Pod, wanted: string | null, targetText: string): ContainerChoice {
  const podName = pod.metadata?.name ?? '?';
  const all = (pod.spec?.containers ?? []).map((c) => c.name);
  if (wanted !== null) {
    if (all.includes(wanted)) return { ok: true, container: wanted };
    return { ok: false, reason: `pod ${podName} has no container "${wanted}" (it has ${all.join(', ')})`, help: `Use one of: ${all.map((c) => `${targetText}/container/${c}`).join(', ')}.` };
  }
  const candidates = targetableContainers(pod);
  if (candidates.length === 1) return { ok: true, container: candidates[0]! };
  if (candidates.length === 0) return { ok: false, reason: `pod ${podName} has no container to target`, help: 'Target another pod.' };
  return {
    ok: false,
    reason: `pod ${podName} has ${candidates.length} containers (${candidates.join(', ')}), so the target must name one`,
    help: `Use one of: ${candidates.map((c) => `${targetText}/container/${c}`).join(', ')}.`,
  };
}

/** The runtime id (`containerd://…` without the scheme) of a running container, if it runs. */
export function runningContainerId(pod: V1Pod, container: string): string | undefined {
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  if (!status?.state?.running || !status.containerID) return undefined;
  return status.containerID.replace(/^[a-z]+:\/\//, '');
}

/** Ready pods first (oldest first among them), so a session targets a stable replica. */
export function byPreference(a: V1Pod, b: V1Pod): number {
  const readyA = podState(a).ready ? 0 : 1;
  const readyB = podState(b).ready ? 0 : 1;
  if (readyA !== readyB) return readyA - readyB;
  const timeA = new Date(a.metadata?.creationTimestamp ?? 0).getTime();
  const timeB = new Date(b.metadata?.creationTimestamp ?? 0).getTime();
  return timeA - timeB;
}

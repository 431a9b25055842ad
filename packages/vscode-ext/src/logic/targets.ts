/**
 * The target quick-pick as data: the last target first, "No target (targetless)", "Switch
 * namespace…", then the namespace's targets grouped by kind, unavailable ones shown disabled.
 */
import type { ListTargets, TargetKind } from '@mirrord-ts/core/ide-protocol';

export type PickAction =
  | { readonly kind: 'target'; readonly path: string; readonly namespace: string }
  | { readonly kind: 'targetless' }
  | { readonly kind: 'switchNamespace' }
  | { readonly kind: 'unavailable'; readonly path: string };

export interface PickItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** A separator line (VS Code's QuickPickItemKind.Separator). */
  readonly separator?: boolean;
  readonly action?: PickAction;
}

export const TARGETLESS_LABEL = 'No target (targetless)';
export const SWITCH_NAMESPACE_LABEL = 'Switch namespace…';

const GROUPS: readonly { kind: TargetKind; title: string }[] = [
  { kind: 'deployment', title: 'Deployments' },
  { kind: 'rollout', title: 'Rollouts' },
  { kind: 'statefulset', title: 'StatefulSets' },
  { kind: 'pod', title: 'Pods' },
  { kind: 'replicaset', title: 'ReplicaSets' },
  { kind: 'job', title: 'Jobs' },
  { kind: 'cronjob', title: 'CronJobs' },
  { kind: 'service', title: 'Services' },
];

/** `deployment/api/container/app` → label `api`, description `container app`. */
function labelOf(path: string): { label: string; description?: string } {
  const [, name = path, , container] = path.split('/');
  return container ? { label: `${name} · ${container}` } : { label: name };
}

export function targetPickItems(listing: ListTargets.Result, lastTarget: string | undefined): PickItem[] {
  const items: PickItem[] = [];
  const last = lastTarget ? listing.targets.find((t) => t.path === lastTarget && t.available) : undefined;
  if (last) items.push({ label: `$(history) ${last.path}`, description: 'last used', action: { kind: 'target', path: last.path, namespace: last.namespace } });
  items.push({ label: `$(circle-outline) ${TARGETLESS_LABEL}`, description: 'outgoing traffic, DNS and files through the cluster; no incoming traffic', action: { kind: 'targetless' } });
  items.push({ label: `$(list-tree) ${SWITCH_NAMESPACE_LABEL}`, description: `now: ${listing.currentNamespace}`, action: { kind: 'switchNamespace' } });
  for (const group of GROUPS) {
    const targets = listing.targets.filter((t) => t.kind === group.kind);
    if (targets.length === 0) continue;
    items.push({ label: group.title, separator: true });
    for (const t of targets) {
      const { label } = labelOf(t.path);
      items.push(
        t.available
          ? { label, description: t.path, action: { kind: 'target', path: t.path, namespace: t.namespace } }
          : { label: `$(circle-slash) ${label}`, description: `${t.path} — not ready`, detail: 'No running, ready pod to target (disabled).', action: { kind: 'unavailable', path: t.path } },
      );
    }
  }
  return items;
}

/** The namespaces to offer, current first. */
export function namespacePickItems(listing: ListTargets.Result): string[] {
  return [listing.currentNamespace, ...listing.namespaces.filter((n) => n !== listing.currentNamespace)];
}

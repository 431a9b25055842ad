/**
 * `copy_target.scale_down` in the cluster: the record on the workload, scaling to 0 and back,
 * the idle copy of the workload's pod, and the restorer that brings the workload back when the
 * session's heartbeat stops (see restorer-script.ts).
 *
 * Objects of one session `S` on workload `kind/name` in namespace `ns`:
 *  - Lease `mirrord-ts-scale-S`: renewed by the CLI; owner of everything below, so deleting it
 *    removes them all (garbage collector, background propagation);
 *  - annotation `mirrord-ts/scaled-down` on the workload: JSON ScaleRecord, written in the same
 *    update that sets replicas to 0, so nothing changes before it is recorded;
 *  - Pod `<name>-mirrord-copy-S`: the workload's pod template, labels replaced (no Service and
 *    no selector matches it), every container's command replaced by the agent image's static
 *    busybox `sleep` (copied into an emptyDir by an init container: works for images without sh);
 *  - ServiceAccount, Role (resourceNames: the Lease, the workload, its HPA), RoleBinding and Pod
 *    `mirrord-ts-restore-S`: the restorer.
 */
import { hostname, userInfo } from 'node:os';
import * as k8s from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import type { TargetKind } from '../target/target-path.js';
import { SESSION_LABEL } from './agent-spawn.js';
import { clusterErrorFrom } from './api-errors.js';
import type { Cluster } from './cluster.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './pod-facts.js';
import { RESTORER_SCRIPT } from './restorer-script.js';

export const SCALED_DOWN_ANNOTATION = 'mirrord-ts/scaled-down';
export const COPY_OF_LABEL = 'mirrord-ts/copy-of';
/** On the session's Lease: the time of the CLI's last heartbeat. */
export const HEARTBEAT_ANNOTATION = 'mirrord-ts/heartbeat';
export const RESTORER_LABEL = 'mirrord-ts/restorer';
export const SCALABLE_KINDS = ['deployment', 'statefulset', 'rollout'] as const;
export type ScalableKind = (typeof SCALABLE_KINDS)[number];

export interface ScaleRecord {
  readonly replicas: number;
  readonly hpa: { readonly name: string; readonly minReplicas: number; readonly maxReplicas: number } | null;
  readonly sessionId: string;
  /** user@host of the session. */
  readonly by: string;
  /** ISO time of the scale-down. */
  readonly since: string;
  readonly lease: string;
  readonly copyPod: string;
}

export interface WorkloadRef {
  readonly kind: ScalableKind;
  readonly name: string;
  readonly namespace: string;
}

const API: Record<ScalableKind, { apiVersion: string; kind: string; path: string }> = {
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', path: '/apis/apps/v1/namespaces/%ns/deployments/%name' },
  statefulset: { apiVersion: 'apps/v1', kind: 'StatefulSet', path: '/apis/apps/v1/namespaces/%ns/statefulsets/%name' },
  rollout: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', path: '/apis/argoproj.io/v1alpha1/namespaces/%ns/rollouts/%name' },
};
const RBAC_RESOURCE: Record<ScalableKind, { group: string; resource: string }> = {
  deployment: { group: 'apps', resource: 'deployments' },
  statefulset: { group: 'apps', resource: 'statefulsets' },
  rollout: { group: 'argoproj.io', resource: 'rollouts' },
};

export function isScalable(kind: TargetKind): kind is ScalableKind {
  return (SCALABLE_KINDS as readonly string[]).includes(kind);
}

export function describeWorkload(w: { kind: string; name: string }): string {
  return `${w.kind}/${w.name}`;
}

export function whoAmI(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  return `${user}@${hostname()}`;
}

export function leaseName(sessionId: string): string {
  return `mirrord-ts-scale-${sessionId}`;
}
export function restorerName(sessionId: string): string {
  return `mirrord-ts-restore-${sessionId}`;
}
export function copyPodName(workloadName: string, sessionId: string): string {
  return `${workloadName.slice(0, 40)}-mirrord-copy-${sessionId}`;
}

/** The record on an object's annotations, or null (also for a malformed one, which is reported as such elsewhere). */
export function readRecord(annotations: Readonly<Record<string, string>> | undefined): ScaleRecord | null {
  const text = annotations?.[SCALED_DOWN_ANNOTATION];
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as ScaleRecord;
    return typeof parsed.replicas === 'number' && typeof parsed.sessionId === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** For `mirrord ls --verbose`: why a workload is unavailable while a session holds it. */
export function scaledDownReason(annotations: Readonly<Record<string, string>> | undefined): string | undefined {
  const record = readRecord(annotations);
  if (!record) return undefined;
  return `it is scaled down (${record.replicas} → 0) by mirrord session ${record.sessionId} of ${record.by} since ${record.since}; it will be restored when that session ends`;
}

export function refusalSentence(target: string, record: ScaleRecord): string {
  return `${target} is already scaled down by mirrord session ${record.sessionId} of ${record.by} since ${record.since}, so a second session cannot take it.`;
}

// ---------------------------------------------------------------- objects

type Obj = k8s.KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

function objects(cluster: Cluster): k8s.KubernetesObjectApi {
  return k8s.KubernetesObjectApi.makeApiClient(cluster.kubeConfig);
}

function isStatus(error: unknown, code: number): boolean {
  return error instanceof k8s.ApiException && error.code === code;
}

async function call<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw clusterErrorFrom(error, doing);
  }
}

async function readOptional(cluster: Cluster, doing: string, header: { apiVersion: string; kind: string; metadata: { name: string; namespace: string } }): Promise<Obj | undefined> {
  try {
    return (await objects(cluster).read(header)) as Obj;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw clusterErrorFrom(error, doing);
  }
}

export async function readWorkload(cluster: Cluster, ref: WorkloadRef): Promise<Obj | undefined> {
  const api = API[ref.kind];
  return readOptional(cluster, `reading ${describeWorkload(ref)} in namespace ${ref.namespace}`, { apiVersion: api.apiVersion, kind: api.kind, metadata: { name: ref.name, namespace: ref.namespace } });
}

/** Read, change, replace; retried when someone else updated the object in between. */
async function update(cluster: Cluster, doing: string, read: () => Promise<Obj | undefined>, change: (o: Obj) => boolean): Promise<Obj | undefined> {
  for (let attempt = 0; ; attempt++) {
    const current = await read();
    if (!current) return undefined;
    if (!change(current)) return current;
    try {
      return (await objects(cluster).replace(current)) as Obj;
    } catch (error) {
      if (isStatus(error, 409) && attempt < 10) continue;
      throw clusterErrorFrom(error, doing);
    }
  }
}

/** The HPA whose scaleTargetRef is this workload, if any. */
export async function findHpa(cluster: Cluster, ref: WorkloadRef): Promise<k8s.V2HorizontalPodAutoscaler | undefined> {
  const list = await call(`listing HorizontalPodAutoscalers in namespace ${ref.namespace}`, () => cluster.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: ref.namespace }));
  const kind = API[ref.kind].kind;
  return list.items.find((h) => h.spec?.scaleTargetRef.kind === kind && h.spec.scaleTargetRef.name === ref.name);
}

async function setHpaBounds(cluster: Cluster, namespace: string, name: string, min: number, max: number): Promise<void> {
  await update(
    cluster,
    `updating HorizontalPodAutoscaler ${name}`,
    () => readOptional(cluster, `reading HorizontalPodAutoscaler ${name}`, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace } }),
    (h) => {
      const spec = h.spec as { minReplicas?: number; maxReplicas: number };
      if (spec.minReplicas === min && spec.maxReplicas === max) return false;
      spec.minReplicas = min;
      spec.maxReplicas = max;
      return true;
    },
  );
}

/** Is the session that wrote `record` still alive (its Lease renewed within its duration + slack)? */
export async function sessionAlive(cluster: Cluster, namespace: string, record: ScaleRecord): Promise<boolean> {
  const lease = await readOptional(cluster, `reading lease ${record.lease}`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: record.lease, namespace } });
  if (!lease) return false;
  const copy = await readOptional(cluster, `reading pod ${record.copyPod}`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: record.copyPod, namespace } });
  if (!copy || copy.metadata?.deletionTimestamp) return false;
  const spec = (lease as k8s.V1Lease).spec;
  const renewed = new Date(lease.metadata?.annotations?.[HEARTBEAT_ANNOTATION] ?? 0).getTime();
  const duration = (spec?.leaseDurationSeconds ?? 30) * 1000;
  return Date.now() - renewed < duration + 10_000;
}

export interface RestoreResult {
  readonly restored: boolean;
  readonly record: ScaleRecord | null;
  /** What happened, as one sentence. */
  readonly message: string;
}

/**
 * Brings the workload back from its annotation (HPA bounds first, then replicas, removing the
 * annotation in the same update), then deletes the session's Lease and with it the copy pod and
 * the restorer. Only the record of `sessionId` is restored when one is given. Idempotent.
 */
export async function restoreWorkload(cluster: Cluster, ref: WorkloadRef, sessionId?: string): Promise<RestoreResult> {
  const target = describeWorkload(ref);
  let found: ScaleRecord | null = null;
  const done = await update(
    cluster,
    `restoring ${target} in namespace ${ref.namespace}`,
    async () => {
      const w = await readWorkload(cluster, ref);
      if (!w) return undefined;
      const record = readRecord(w.metadata?.annotations);
      if (record && (!sessionId || record.sessionId === sessionId)) {
        found = record;
        // Bounds first: with replicas > 0 an HPA pinned to our bounds would otherwise act on them.
        if (record.hpa) await setHpaBounds(cluster, ref.namespace, record.hpa.name, record.hpa.minReplicas, record.hpa.maxReplicas);
      }
      return w;
    },
    (w) => {
      const record = readRecord(w.metadata?.annotations);
      if (!record || (sessionId && record.sessionId !== sessionId)) return false;
      (w.spec as { replicas: number }).replicas = record.replicas;
      delete w.metadata!.annotations![SCALED_DOWN_ANNOTATION];
      return true;
    },
  );
  const record = found as ScaleRecord | null;
  if (record) await deleteSessionObjects(cluster, ref.namespace, record.sessionId);
  if (!done) return { restored: false, record, message: `${target} no longer exists in namespace ${ref.namespace}.` };
  if (!record) return { restored: false, record: null, message: `${target} is not scaled down by mirrord; nothing to restore.` };
  const hpa = record.hpa ? ` and HorizontalPodAutoscaler ${record.hpa.name} to ${record.hpa.minReplicas}..${record.hpa.maxReplicas}` : '';
  return { restored: true, record, message: `restored ${target} to ${record.replicas} replicas${hpa}` };
}

/** Deletes the session's Lease; the garbage collector removes the copy pod and the restorer with it. We delete those too, not to wait for it. */
export async function deleteSessionObjects(cluster: Cluster, namespace: string, sessionId: string): Promise<void> {
  const api = objects(cluster);
  const gone = (spec: k8s.KubernetesObject) => api.delete(spec, undefined, undefined, 0, undefined, 'Background').catch((error: unknown) => {
    if (!isStatus(error, 404)) throw clusterErrorFrom(error, `deleting ${spec.kind} ${spec.metadata?.name}`);
  });
  await gone({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: leaseName(sessionId), namespace } });
  const pods = await call('listing the session\'s pods', () => cluster.core.listNamespacedPod({ namespace, labelSelector: `${SESSION_LABEL}=${sessionId},${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` }));
  await Promise.all(pods.items.filter((p) => p.metadata?.labels?.[COPY_OF_LABEL] || p.metadata?.labels?.[RESTORER_LABEL]).map((p) => gone({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.metadata!.name!, namespace } })));
}

// ---------------------------------------------------------------- scaling down

export interface ScaleDownPlan {
  readonly ref: WorkloadRef;
  readonly sessionId: string;
  readonly communicationTimeoutSeconds: number;
  readonly agentImage: string;
  readonly imagePullPolicy: string;
  readonly excludeContainers: readonly string[];
  readonly excludeInitContainers: readonly string[];
}

export interface ScaleDownState {
  readonly record: ScaleRecord;
  readonly lease: k8s.V1Lease;
}

/** Refuses when a live session holds the workload; restores a stale record first. Returns what was done about a stale one. */
export async function checkHeld(cluster: Cluster, ref: WorkloadRef): Promise<RestoreResult | null> {
  const w = await readWorkload(cluster, ref);
  if (!w) throw new ClusterError('cluster.target_not_found', `${describeWorkload(ref)} was not found in namespace ${ref.namespace}.`, `Run \`mirrord ls -n ${ref.namespace}\` to see the targets there.`);
  const record = readRecord(w.metadata?.annotations);
  if (!record) return null;
  if (await sessionAlive(cluster, ref.namespace, record)) {
    throw new ClusterError('cluster.target_held', refusalSentence(describeWorkload(ref), record), `End that session first; if it is gone, \`mirrord restore ${describeWorkload(ref)} -n ${ref.namespace}\` brings the workload back.`);
  }
  return restoreWorkload(cluster, ref, record.sessionId);
}

function ownerOf(lease: k8s.V1Lease): k8s.V1OwnerReference {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: lease.metadata!.name!, uid: lease.metadata!.uid!, blockOwnerDeletion: false, controller: false };
}

function sessionLabels(sessionId: string, extra: Record<string, string>): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [SESSION_LABEL]: sessionId, ...extra };
}

export async function createLease(cluster: Cluster, plan: ScaleDownPlan): Promise<k8s.V1Lease> {
  const body: k8s.V1Lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: leaseName(plan.sessionId), namespace: plan.ref.namespace, labels: sessionLabels(plan.sessionId, {}), annotations: { [COPY_OF_LABEL]: describeWorkload(plan.ref), [HEARTBEAT_ANNOTATION]: new Date().toISOString() } },
    // The heartbeat is an annotation, not spec.renewTime: the client's serializer writes
    // MicroTime with milliseconds, which the API server rejects.
    spec: { holderIdentity: `${whoAmI()}`.slice(0, 128), leaseDurationSeconds: plan.communicationTimeoutSeconds },
  };
  return (await call(`creating lease ${body.metadata!.name}`, () => objects(cluster).create(body))) as k8s.V1Lease;
}

/** One heartbeat: bumps the Lease's renewTime. */
export async function renewLease(cluster: Cluster, namespace: string, sessionId: string): Promise<void> {
  await update(
    cluster,
    'renewing the session lease',
    () => readOptional(cluster, 'reading the session lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: leaseName(sessionId), namespace } }),
    (l) => {
      l.metadata = { ...l.metadata, annotations: { ...(l.metadata?.annotations ?? {}), [HEARTBEAT_ANNOTATION]: new Date().toISOString() } };
      return true;
    },
  );
}

/** The restorer's ServiceAccount, Role (only these objects), RoleBinding and Pod, owned by the Lease. */
export async function createRestorer(cluster: Cluster, plan: ScaleDownPlan, lease: k8s.V1Lease, hpaName: string | null): Promise<void> {
  const { ref, sessionId } = plan;
  const name = restorerName(sessionId);
  const namespace = ref.namespace;
  const labels = sessionLabels(sessionId, { [RESTORER_LABEL]: 'true' });
  const meta = { name, namespace, labels, ownerReferences: [ownerOf(lease)] };
  const rbac = RBAC_RESOURCE[ref.kind];
  const rules: k8s.V1PolicyRule[] = [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [lease.metadata!.name!], verbs: ['get', 'delete'] },
    { apiGroups: [rbac.group], resources: [rbac.resource], resourceNames: [ref.name], verbs: ['get', 'update'] },
    ...(hpaName ? [{ apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], resourceNames: [hpaName], verbs: ['get', 'update'] }] : []),
  ];
  const config = {
    namespace,
    target: describeWorkload(ref),
    sessionId,
    annotation: SCALED_DOWN_ANNOTATION,
    timeoutSeconds: plan.communicationTimeoutSeconds,
    pollMs: 1000,
    leasePath: `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${lease.metadata!.name!}`,
    workloadPath: API[ref.kind].path.replace('%ns', namespace).replace('%name', ref.name),
    hpaPath: hpaName ? `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${hpaName}` : null,
  };
  const api = objects(cluster);
  const create = (body: k8s.KubernetesObject) => call(`creating ${body.kind} ${name}`, () => api.create(body));
  await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta } as k8s.KubernetesObject);
  await create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules } as k8s.KubernetesObject);
  await create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace }] } as k8s.KubernetesObject);
  const pod: k8s.V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec: {
      serviceAccountName: name,
      restartPolicy: 'OnFailure',
      terminationGracePeriodSeconds: 1,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'restorer',
          image: plan.agentImage,
          imagePullPolicy: plan.imagePullPolicy,
          command: ['/usr/bin/node', '-e', RESTORER_SCRIPT],
          env: [{ name: 'MIRRORD_RESTORE', value: JSON.stringify(config) }],
          resources: { requests: { cpu: '1m', memory: '16Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        },
      ],
    },
  };
  await create(pod as k8s.KubernetesObject);
}

const IDLE_DIR = '/mirrord-ts-idle';
const IDLE_VOLUME = 'mirrord-ts-idle';

/** The workload's pod template. */
async function podTemplate(cluster: Cluster, ref: WorkloadRef, workload: Obj): Promise<{ metadata?: k8s.V1ObjectMeta; spec: k8s.V1PodSpec }> {
  const spec = workload.spec as { template?: { metadata?: k8s.V1ObjectMeta; spec?: k8s.V1PodSpec }; workloadRef?: { kind?: string; name?: string } };
  if (spec.template?.spec?.containers?.length) return spec.template as { metadata?: k8s.V1ObjectMeta; spec: k8s.V1PodSpec };
  if (ref.kind === 'rollout' && spec.workloadRef?.kind === 'Deployment' && spec.workloadRef.name) {
    const d = await readWorkload(cluster, { kind: 'deployment', name: spec.workloadRef.name, namespace: ref.namespace });
    const t = (d?.spec as { template?: { metadata?: k8s.V1ObjectMeta; spec?: k8s.V1PodSpec } } | undefined)?.template;
    if (t?.spec) return t as { metadata?: k8s.V1ObjectMeta; spec: k8s.V1PodSpec };
  }
  throw new ClusterError('cluster.no_template', `${describeWorkload(ref)} has no pod template to copy.`, 'Target a deployment, statefulset or rollout with a pod template.');
}

/** The idle copy of the workload's pod (see the module comment). */
export function copyPodSpec(plan: ScaleDownPlan, workload: Obj, template: { metadata?: k8s.V1ObjectMeta; spec: k8s.V1PodSpec }, lease: k8s.V1Lease): k8s.V1Pod {
  const { ref, sessionId } = plan;
  const source = structuredClone(template.spec);
  const idleMount: k8s.V1VolumeMount = { name: IDLE_VOLUME, mountPath: IDLE_DIR, readOnly: true };
  const containers = source.containers
    .filter((c) => !plan.excludeContainers.includes(c.name))
    .map((c): k8s.V1Container => {
      const copy: k8s.V1Container = { ...c, command: [`${IDLE_DIR}/busybox`, 'sleep', '2147483647'], args: [], volumeMounts: [...(c.volumeMounts ?? []), idleMount] };
      delete copy.livenessProbe;
      delete copy.readinessProbe;
      delete copy.startupProbe;
      delete copy.lifecycle;
      return copy;
    });
  const setup: k8s.V1Container = {
    name: 'mirrord-ts-idle-setup',
    image: plan.agentImage,
    imagePullPolicy: plan.imagePullPolicy,
    command: ['/bin/busybox', 'cp', '/bin/busybox', `${IDLE_DIR}/busybox`],
    volumeMounts: [{ name: IDLE_VOLUME, mountPath: IDLE_DIR }],
    resources: { requests: { cpu: '1m', memory: '8Mi' } },
  };
  const volumes: k8s.V1Volume[] = [...(source.volumes ?? []), { name: IDLE_VOLUME, emptyDir: {} }];
  // A statefulset's claims: mount those of its pod 0.
  const claims = (workload.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] }).volumeClaimTemplates ?? [];
  for (const claim of claims) {
    const claimName = claim.metadata?.name;
    if (claimName && !volumes.some((v) => v.name === claimName)) volumes.push({ name: claimName, persistentVolumeClaim: { claimName: `${claimName}-${ref.name}-0` } });
  }
  const initContainers = [setup, ...(source.initContainers ?? []).filter((c) => !plan.excludeInitContainers.includes(c.name))];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: copyPodName(ref.name, sessionId),
      namespace: ref.namespace,
      // The workload's labels are left out, so neither its selector nor a Service picks the copy.
      labels: sessionLabels(sessionId, { [COPY_OF_LABEL]: `${ref.kind}.${ref.name}`.slice(0, 63) }),
      annotations: { ...(template.metadata?.annotations ?? {}), [COPY_OF_LABEL]: describeWorkload(ref) },
      ownerReferences: [ownerOf(lease)],
    },
    spec: { ...source, containers, initContainers, volumes, restartPolicy: 'Always', terminationGracePeriodSeconds: 1 },
  };
}

export async function createCopyPod(cluster: Cluster, plan: ScaleDownPlan, lease: k8s.V1Lease, timeoutMs: number): Promise<string> {
  const workload = await readWorkload(cluster, plan.ref);
  if (!workload) throw new ClusterError('cluster.target_not_found', `${describeWorkload(plan.ref)} was not found in namespace ${plan.ref.namespace}.`, 'Check the target.');
  const body = copyPodSpec(plan, workload, await podTemplate(cluster, plan.ref, workload), lease);
  const name = body.metadata!.name!;
  await call(`creating the copy pod ${name}`, () => cluster.core.createNamespacedPod({ namespace: plan.ref.namespace, body }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = await call(`watching the copy pod ${name}`, () => cluster.core.readNamespacedPod({ name, namespace: plan.ref.namespace }));
    const statuses = pod.status?.containerStatuses ?? [];
    if (pod.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready)) return name;
    const stuck = [...(pod.status?.initContainerStatuses ?? []), ...statuses].find((s) => s.state?.waiting?.reason && /Err|BackOff|Invalid/.test(s.state.waiting.reason));
    if (stuck || pod.status?.phase === 'Failed') {
      const reason = stuck?.state?.waiting?.reason ?? pod.status?.reason ?? 'Failed';
      throw new ClusterError('cluster.copy_failed', `The copy pod ${name} could not start: ${reason} (container ${stuck?.name ?? '?'}).`, 'Check it with `kubectl describe pod`; the workload was not scaled down.');
    }
    if (Date.now() > deadline) throw new ClusterError('cluster.copy_timeout', `The copy pod ${name} did not start within ${Math.round(timeoutMs / 1000)} s.`, 'Check it with `kubectl describe pod`; the workload was not scaled down.');
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Records the replicas (and the HPA's bounds) in the annotation and sets replicas to 0 in the same update; then pins the HPA. */
export async function scaleDown(cluster: Cluster, plan: ScaleDownPlan, lease: k8s.V1Lease, copyPod: string, hpa: k8s.V2HorizontalPodAutoscaler | undefined): Promise<ScaleRecord> {
  const { ref } = plan;
  let record: ScaleRecord | undefined;
  let heldBy: ScaleRecord | null = null;
  await update(
    cluster,
    `scaling ${describeWorkload(ref)} to 0`,
    () => readWorkload(cluster, ref),
    (w) => {
      heldBy = readRecord(w.metadata?.annotations);
      if (heldBy) return false;
      const spec = w.spec as { replicas?: number };
      record = {
        replicas: spec.replicas ?? 1,
        hpa: hpa ? { name: hpa.metadata!.name!, minReplicas: hpa.spec!.minReplicas ?? 1, maxReplicas: hpa.spec!.maxReplicas } : null,
        sessionId: plan.sessionId,
        by: whoAmI(),
        since: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        lease: lease.metadata!.name!,
        copyPod,
      };
      w.metadata = { ...w.metadata, annotations: { ...(w.metadata?.annotations ?? {}), [SCALED_DOWN_ANNOTATION]: JSON.stringify(record) } };
      spec.replicas = 0;
      return true;
    },
  );
  if (heldBy) throw new ClusterError('cluster.target_held', refusalSentence(describeWorkload(ref), heldBy), 'End that session first.');
  if (!record) throw new ClusterError('cluster.target_not_found', `${describeWorkload(ref)} disappeared while it was being scaled down.`, 'Check the target.');
  const done: ScaleRecord = record;
  // The HPA controller leaves a workload at 0 replicas alone; pinning its bounds keeps it from
  // acting between the two steps of a restore (bounds first, then replicas).
  if (done.hpa) await setHpaBounds(cluster, ref.namespace, done.hpa.name, 1, 1);
  return done;
}

/** Scaled-down workloads of a namespace (deployments and statefulsets; rollouts when the CRD exists). */
export async function listScaledDown(cluster: Cluster, namespace: string): Promise<{ ref: WorkloadRef; record: ScaleRecord }[]> {
  const found: { ref: WorkloadRef; record: ScaleRecord }[] = [];
  for (const kind of SCALABLE_KINDS) {
    let items: k8s.KubernetesObject[];
    try {
      items = (await objects(cluster).list(API[kind].apiVersion, API[kind].kind, namespace)).items;
    } catch (error) {
      if (kind === 'rollout') continue;
      throw clusterErrorFrom(error, `listing ${kind}s in namespace ${namespace}`);
    }
    for (const item of items) {
      const record = readRecord(item.metadata?.annotations);
      if (record) found.push({ ref: { kind, name: item.metadata!.name!, namespace }, record });
    }
  }
  return found;
}

/**
 * A session's hold on a scaled-down workload (`feature.copy_target.scale_down`): refuse when
 * another live session holds it, restore a stale hold first, then Lease + restorer + idle copy
 * pod, then scale to 0; `release()` restores it. The Lease is renewed every few seconds; when the
 * renewals stop (the CLI was killed), the restorer in the cluster restores the workload after
 * communication_timeout.
 */
import type { MirrordConfig } from '../config/definition.js';
import type { Cluster } from '../kube/cluster.js';
import {
  checkHeld,
  createCopyPod,
  createLease,
  createRestorer,
  deleteSessionObjects,
  describeWorkload,
  findHpa,
  isScalable,
  renewLease,
  restoreWorkload,
  scaleDown,
  type ScaleDownPlan,
  type ScalableKind,
  type ScaleRecord,
  type WorkloadRef,
} from '../kube/scale-down.js';
import { inStep, type Progress } from '../progress.js';
import type { TargetPath } from '../target/target-path.js';

export interface ScaleDownHold {
  readonly ref: WorkloadRef;
  readonly record: ScaleRecord;
  /** The idle copy of the workload's pod: the session's target. */
  readonly copyPod: string;
  /** Restores the workload and removes the copy and the restorer. Idempotent, never throws. */
  release(): Promise<void>;
}

/** Whether this config asks for a scale-down of this target. */
export function wantsScaleDown(config: MirrordConfig, target: TargetPath | null): { kind: ScalableKind; name: string; container: string | null } | null {
  const copy = config.feature.copy_target;
  if (!target || target.kind === 'targetless' || !isScalable(target.kind) || !copy.enabled || !copy.scale_down) return null;
  return { kind: target.kind, name: target.name, container: target.container };
}

export async function holdScaledDown(
  cluster: Cluster,
  options: { config: MirrordConfig; progress: Progress; sessionId: string; ref: WorkloadRef; agentImage: string },
): Promise<ScaleDownHold> {
  const { config, progress, ref, sessionId } = options;
  const target = describeWorkload(ref);
  const stale = await checkHeld(cluster, ref);
  if (stale?.restored) progress.info(`${stale.message}, left scaled down by session ${stale.record!.sessionId} of ${stale.record!.by}, which is gone`);

  const plan: ScaleDownPlan = {
    ref,
    sessionId,
    communicationTimeoutSeconds: config.agent.communication_timeout,
    agentImage: options.agentImage,
    imagePullPolicy: config.agent.image_pull_policy,
    excludeContainers: config.feature.copy_target.exclude_containers,
    excludeInitContainers: config.feature.copy_target.exclude_init_containers,
  };
  const lease = await createLease(cluster, plan);
  let heartbeat: NodeJS.Timeout | undefined;
  let scaled = false;
  const cleanUp = async () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
    if (scaled) {
      const result = await restoreWorkload(cluster, ref, sessionId);
      if (result.restored) progress.info(result.message);
    }
    await deleteSessionObjects(cluster, ref.namespace, sessionId);
  };
  try {
    const everyMs = Math.max(1000, Math.min(5000, (config.agent.communication_timeout * 1000) / 4));
    heartbeat = setInterval(() => void renewLease(cluster, ref.namespace, sessionId).catch(() => undefined), everyMs);
    heartbeat.unref();
    const hpa = await findHpa(cluster, ref);
    await inStep(progress, `starting the restorer for ${target}`, () => createRestorer(cluster, plan, lease, hpa?.metadata?.name ?? null));
    const copyPod = await inStep(progress, `starting an idle copy of ${target}`, () => createCopyPod(cluster, plan, lease, config.agent.startup_timeout * 1000), (name) => `pod ${name}`);
    const record = await inStep(progress, `scaling ${target} to 0`, async () => {
      scaled = true;
      return scaleDown(cluster, plan, lease, copyPod, hpa);
    });
    const hpaText = record.hpa ? ` (HorizontalPodAutoscaler ${record.hpa.name} ${record.hpa.minReplicas}..${record.hpa.maxReplicas} recorded)` : '';
    progress.info(`scaled ${target} ${record.replicas} → 0${hpaText}; it will be restored when this session ends`);
    let released: Promise<void> | undefined;
    return {
      ref,
      record,
      copyPod,
      release: () =>
        (released ??= cleanUp().catch((error: unknown) => {
          progress.warning(`restoring ${target} failed (${error instanceof Error ? error.message : String(error)}); the restorer in the cluster retries, or run \`mirrord restore ${target} -n ${ref.namespace}\``);
        })),
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

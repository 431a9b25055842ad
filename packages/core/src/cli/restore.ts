/**
 * `mirrord restore [target]`: finishes a scale-down restore that a session could not (killed
 * together with its restorer, or the cluster was unreachable): the replicas and HPA bounds come
 * back from the workload's `mirrord-ts/scaled-down` annotation, and the session's copy pod and
 * restorer are deleted. Without a target, every scaled-down workload of the namespace whose
 * session is gone. A workload held by a live session is left alone unless `--force`.
 */
import { loadConfig } from '../config/load.js';
import { ClusterError, UsageError } from '../errors.js';
import { openCluster } from '../kube/cluster.js';
import { describeWorkload, isScalable, listScaledDown, readRecord, readWorkload, refusalSentence, restoreWorkload, sessionAlive, type WorkloadRef } from '../kube/scale-down.js';
import { parseTargetPath } from '../target/target-path.js';
import type { Output } from './output.js';

export interface RestoreOptions {
  readonly configFile?: string | undefined;
  readonly namespace?: string | undefined;
  readonly force: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export async function restoreCommand(out: Output, target: string | undefined, options: RestoreOptions): Promise<number> {
  const { config } = loadConfig({ cwd: options.cwd, configFile: options.configFile, env: options.env });
  const cluster = openCluster({ kubeconfig: config.kubeconfig, context: config.kube_context, acceptInvalidCertificates: config.accept_invalid_certificates, env: options.env });
  const namespace = options.namespace ?? config.target.namespace ?? cluster.currentNamespace;
  const say = (line: string) => out.stderr(`mirrord: ${line}\n`);

  let refs: WorkloadRef[];
  if (target) {
    const parsed = parseTargetPath(target);
    if (!parsed.ok || parsed.target.kind === 'targetless' || !isScalable(parsed.target.kind)) {
      throw new UsageError('cli.restore_target', `"${target}" is not a workload mirrord scales down.`, 'Name a deployment, statefulset or rollout, e.g. `mirrord restore deployment/orders-reader -n shop`.');
    }
    refs = [{ kind: parsed.target.kind, name: parsed.target.name, namespace }];
  } else {
    refs = (await listScaledDown(cluster, namespace)).map((f) => f.ref);
    if (refs.length === 0) say(`no workload in namespace ${namespace} is scaled down by mirrord`);
  }

  let held = 0;
  for (const ref of refs) {
    const workload = await readWorkload(cluster, ref);
    if (!workload) throw new ClusterError('cluster.target_not_found', `${describeWorkload(ref)} was not found in namespace ${namespace}.`, `Run \`mirrord ls -n ${namespace}\` to see the targets there.`);
    const record = readRecord(workload.metadata?.annotations);
    if (!record) {
      say(`${describeWorkload(ref)} is not scaled down by mirrord; nothing to restore`);
      continue;
    }
    if (!options.force && (await sessionAlive(cluster, namespace, record))) {
      say(`${refusalSentence(describeWorkload(ref), record)} Left as it is (use --force to restore it anyway).`);
      held++;
      continue;
    }
    const result = await restoreWorkload(cluster, ref, record.sessionId);
    say(result.message);
  }
  return held > 0 ? 1 : 0;
}

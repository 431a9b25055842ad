/**
 * The way into a cluster: kubeconfig, context and namespace chosen the way kubectl chooses
 * them (config key, then KUBECONFIG, then ~/.kube/config). Only this folder imports
 * @kubernetes/client-node.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import { expandHome } from '../config/discover.js';

export interface ClusterOptions {
  readonly kubeconfig?: string | null;
  readonly context?: string | null;
  readonly acceptInvalidCertificates?: boolean | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Cluster {
  readonly kubeConfig: k8s.KubeConfig;
  readonly contextName: string;
  /** The context's namespace, or `default`. */
  readonly currentNamespace: string;
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly batch: k8s.BatchV1Api;
  readonly custom: k8s.CustomObjectsApi;
  readonly autoscaling: k8s.AutoscalingV2Api;
}

export function openCluster(options: ClusterOptions = {}): Cluster {
  const env = options.env ?? process.env;
  const files = kubeconfigFiles(options.kubeconfig ?? undefined, env);
  const kubeConfig = new k8s.KubeConfig();
  try {
    if (files.length === 0 && env.KUBECONFIG) {
      throw new ClusterError('cluster.no_kubeconfig', `KUBECONFIG names ${env.KUBECONFIG}, but no such file exists.`, 'Point KUBECONFIG at your cluster\'s kubeconfig file.');
    }
    if (files.length === 0) {
      throw new ClusterError(
        'cluster.no_kubeconfig',
        'No kubeconfig was found (KUBECONFIG is unset and ~/.kube/config does not exist).',
        'Point KUBECONFIG or the "kubeconfig" config key at your cluster\'s kubeconfig file.',
      );
    }
    // KUBECONFIG may list several files; kubectl merges them, the first one's current context wins.
    kubeConfig.loadFromFile(files[0]!);
    for (const extra of files.slice(1)) {
      const other = new k8s.KubeConfig();
      other.loadFromFile(extra);
      kubeConfig.mergeConfig(other, true);
    }
  } catch (error) {
    if (error instanceof ClusterError) throw error;
    throw new ClusterError('cluster.bad_kubeconfig', `The kubeconfig ${files[0]} cannot be read (${firstLine(error)}).`, 'Check that the file is a valid kubeconfig, e.g. with `kubectl config view`.', { cause: error });
  }
  if (options.context) {
    if (!kubeConfig.getContextObject(options.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name);
      throw new ClusterError('cluster.unknown_context', `The kubeconfig has no context "${options.context}".`, `Use one of: ${known.join(', ') || '(none)'}.`);
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const contextName = kubeConfig.getCurrentContext();
  const context = kubeConfig.getContextObject(contextName);
  if (!context || !kubeConfig.getCurrentCluster()) {
    throw new ClusterError('cluster.no_context', 'The kubeconfig has no current context with a cluster.', 'Select one with `kubectl config use-context <name>` or set "kube_context".');
  }
  if (options.acceptInvalidCertificates) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster) (cluster as { skipTLSVerify: boolean }).skipTLSVerify = true;
  }
  return {
    kubeConfig,
    contextName,
    currentNamespace: context.namespace ?? 'default',
    core: kubeConfig.makeApiClient(k8s.CoreV1Api),
    apps: kubeConfig.makeApiClient(k8s.AppsV1Api),
    batch: kubeConfig.makeApiClient(k8s.BatchV1Api),
    custom: kubeConfig.makeApiClient(k8s.CustomObjectsApi),
    autoscaling: kubeConfig.makeApiClient(k8s.AutoscalingV2Api),
  };
}

function kubeconfigFiles(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): string[] {
  if (explicit) return [expandHome(explicit)];
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '' && existsSync(f));
  if (fromEnv.length > 0) return fromEnv;
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * `mirrord ls`: the targets of a namespace as JSON, in the shapes mirrord's IDE plugins read —
 * the rich object when MIRRORD_LS_RICH_OUTPUT=true, else the legacy array of paths — or our
 * own `--verbose` view that also says why a target is unavailable.
 */
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { openCluster } from '../kube/cluster.js';
import { listTargets, type TargetListing } from '../kube/targets.js';
import { TARGET_KINDS, type TargetKind } from '../target/target-path.js';
import type { Output } from './output.js';

export interface LsOptions {
  readonly configFile?: string | undefined;
  readonly namespace?: string | undefined;
  readonly types?: readonly string[] | undefined;
  readonly verbose: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Kinds from `-t` (repeatable) or MIRRORD_LS_TARGET_TYPES (a JSON list), checked. */
export function kindsToList(types: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>): TargetKind[] | undefined {
  let requested = types && types.length > 0 ? [...types] : undefined;
  const fromEnv = env.MIRRORD_LS_TARGET_TYPES;
  if (!requested && fromEnv) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromEnv);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) {
      throw new ConfigError([{ key: 'MIRRORD_LS_TARGET_TYPES', message: `MIRRORD_LS_TARGET_TYPES is ${JSON.stringify(fromEnv.slice(0, 60))}, which is not a JSON list of target kinds.`, help: 'Set it like \'["deployment","pod"]\'.' }]);
    }
    requested = parsed as string[];
  }
  if (!requested) return undefined;
  const kinds: TargetKind[] = [];
  for (const type of requested) {
    const kind = (TARGET_KINDS as readonly string[]).find((k) => k === type.toLowerCase());
    if (!kind) {
      throw new ConfigError([{ key: 'target_types', message: `"${type.slice(0, 60)}" is not a target kind.`, help: `Use some of: ${TARGET_KINDS.join(', ')}.` }]);
    }
    kinds.push(kind as TargetKind);
  }
  return kinds;
}

export function lsDocument(listing: TargetListing, form: 'rich' | 'legacy' | 'verbose'): unknown {
  switch (form) {
    case 'legacy':
      return listing.targets.filter((t) => t.available).map((t) => t.path);
    case 'rich':
      return { targets: listing.targets.map((t) => ({ path: t.path, available: t.available })), current_namespace: listing.currentNamespace, namespaces: listing.namespaces };
    case 'verbose':
      return { targets: listing.targets, current_namespace: listing.currentNamespace, namespaces: listing.namespaces };
  }
}

export async function lsCommand(out: Output, options: LsOptions): Promise<number> {
  const kinds = kindsToList(options.types, options.env);
  const { config } = loadConfig({ cwd: options.cwd, configFile: options.configFile, env: options.env });
  const cluster = openCluster({ kubeconfig: config.kubeconfig, context: config.kube_context, acceptInvalidCertificates: config.accept_invalid_certificates, env: options.env });
  const namespace = options.namespace ?? config.target.namespace ?? undefined;
  const listing = await listTargets(cluster, { namespace: namespace ?? null, ...(kinds ? { kinds } : {}) });
  const form = options.verbose ? 'verbose' : options.env.MIRRORD_LS_RICH_OUTPUT === 'true' ? 'rich' : 'legacy';
  out.stdout(`${JSON.stringify(lsDocument(listing, form))}\n`);
  return 0;
}

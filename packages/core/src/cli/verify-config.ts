/**
 * `mirrord verify-config [--ide] <path>`. With --ide it answers mirrord's IDE plugins in
 * mirrord's own verdict shape and always exits 0 (the plugins read the verdict, not the
 * code); without it, it reports for a person and exits 1 when the file is invalid.
 */
import { dirname, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { TARGET_KINDS, formatTargetPath } from '../target/target-path.js';
import type { Output } from './output.js';
import { reportError, reportWarning } from './output.js';

export type IdeVerdict =
  | {
      type: 'Success';
      config: { path: string | null; namespace: string | null };
      warnings: string[];
      compatible_target_types: string[];
    }
  | { type: 'Fail'; errors: string[] };

/** Target kinds this config can be used with (job/cronjob need copy_target), plus targetless. */
export function compatibleTargetTypes(loaded: LoadedConfig): string[] {
  const copy = loaded.config.feature.copy_target.enabled;
  return [...TARGET_KINDS.filter((k) => copy || (k !== 'job' && k !== 'cronjob')), 'targetless'];
}

export function ideVerdict(path: string, cwd: string, env: Readonly<Record<string, string | undefined>>): IdeVerdict {
  try {
    const file = resolve(cwd, path);
    const loaded = loadConfig({ cwd: dirname(file), configFile: file, env });
    const target = loaded.config.target;
    return {
      type: 'Success',
      config: { path: target.path ? formatTargetPath(target.path) : null, namespace: target.namespace },
      warnings: [...loaded.warnings],
      compatible_target_types: compatibleTargetTypes(loaded),
    };
  } catch (error) {
    if (error instanceof ConfigError) return { type: 'Fail', errors: error.problems.map((p) => p.message) };
    return { type: 'Fail', errors: [error instanceof Error ? error.message : String(error)] };
  }
}

export function verifyConfigCommand(out: Output, path: string, options: { ide: boolean; cwd: string; env: Readonly<Record<string, string | undefined>> }): number {
  if (options.ide) {
    out.stdout(`${JSON.stringify(ideVerdict(path, options.cwd, options.env))}\n`);
    return 0;
  }
  try {
    const loaded = loadConfig({ cwd: options.cwd, configFile: path, env: options.env });
    for (const warning of loaded.warnings) reportWarning(out, warning);
    const target = loaded.config.target;
    const targetText = target.path ? formatTargetPath(target.path) : 'not set (chosen when the session starts)';
    out.stdout(`${loaded.path} is valid; target: ${targetText}${target.namespace ? ` in namespace ${target.namespace}` : ''}.\n`);
    return 0;
  } catch (error) {
    return reportError(out, error);
  }
}

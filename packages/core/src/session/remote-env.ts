/**
 * Which of the target container's environment variables the local process gets, following
 * mirrord's `feature.env`: include/exclude with `*`/`?` wildcards (a few variables that would
 * break a local process are always excluded unless included by name), values replaced by
 * `mapping`, then the env file, then `override`, then `unset`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvConfig } from '../config/definition.js';
import { ConfigError } from '../errors.js';

/** mirrord's default exclusions, plus the variables that load or steer the layer itself. */
export const DEFAULT_EXCLUDED = ['PATH', 'HOME', 'HOMEPATH', 'CLASSPATH', 'JAVA_EXE', 'JAVA_HOME', 'PYTHONPATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'MIRRORD_*'] as const;

export function wildcardMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
  return (name) => regexes.some((r) => r.test(name));
}

/** Parses a .env file: `NAME=value`, optional `export `, quotes, `#` comments. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new ConfigError([{ key: 'feature.env.env_file', message: `Line ${index + 1} of the env file ${file} is not NAME=value.`, help: 'Fix or remove that line.', position: { line: index + 1, column: 1 } }]);
    }
    let value = match[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    out[match[1]!] = value;
  });
  return out;
}

export interface EnvPlan {
  /** Variables to set in the local process. */
  readonly set: Readonly<Record<string, string>>;
  /** Variables to remove from it (case-insensitive matches already expanded against `local`). */
  readonly unset: readonly string[];
}

/** Computes what to set and unset, from the remote env, the config and the local env. */
export function planEnv(remote: Readonly<Record<string, string>>, config: EnvConfig, local: Readonly<Record<string, string | undefined>>, cwd: string): EnvPlan {
  const set: Record<string, string> = {};
  if (config.enabled) {
    const included = config.include ? wildcardMatcher(config.include) : undefined;
    const excludedByUser = wildcardMatcher(config.exclude ?? []);
    const excludedByDefault = wildcardMatcher(DEFAULT_EXCLUDED);
    const namedInInclude = new Set(config.include ?? []);
    const mappings = Object.entries(config.mapping ?? {}).map(([pattern, value]) => [new RegExp(pattern), value] as const);
    for (const [name, value] of Object.entries(remote)) {
      if (included ? !included(name) : excludedByUser(name)) continue;
      if (excludedByDefault(name) && !namedInInclude.has(name)) continue;
      set[name] = mappedValue(name, value, mappings);
    }
  }
  if (config.env_file) {
    const file = resolve(cwd, config.env_file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError([{ key: 'feature.env.env_file', message: `The env file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, help: 'Fix feature.env.env_file or create the file.' }]);
    }
    Object.assign(set, parseEnvFile(text, file));
  }
  Object.assign(set, config.override);
  const unsetLower = new Set(config.unset.map((n) => n.toLowerCase()));
  const unset = [...new Set([...Object.keys(local), ...Object.keys(set)])].filter((n) => unsetLower.has(n.toLowerCase()));
  for (const name of unset) delete set[name];
  return { set, unset };
}

/** mirrord's `mapping`: a name regex → the new value, where `$1`… are the name's capture groups. */
function mappedValue(name: string, value: string, mappings: readonly (readonly [RegExp, string])[]): string {
  for (const [regex, replacement] of mappings) {
    const match = regex.exec(name);
    if (match) return replacement.replace(/\$(\d+)/g, (_, index: string) => match[Number(index)] ?? '');
  }
  return value;
}

/** The environment a child process gets: local, then the plan. */
export function applyEnvPlan(local: Readonly<Record<string, string | undefined>>, plan: EnvPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(local)) if (v !== undefined) out[k] = v;
  Object.assign(out, plan.set);
  for (const name of plan.unset) delete out[name];
  return out;
}

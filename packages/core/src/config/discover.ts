/**
 * Which config file a session uses, in mirrord's order: an explicit path (`--config-file`,
 * `-f`, an IDE's setting), then `MIRRORD_CONFIG_FILE`, then `.mirrord/mirrord.{json,yaml,yml,toml}`
 * in the working directory or the nearest folder above it.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

export const CONFIG_FILE_NAMES = ['mirrord.json', 'mirrord.yaml', 'mirrord.yml', 'mirrord.toml'] as const;

export interface DiscoverOptions {
  readonly cwd: string;
  readonly configFile?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The config file to use, or undefined when there is none (all defaults). */
export function discoverConfigFile(options: DiscoverOptions): string | undefined {
  const explicit = options.configFile ?? nonEmpty(options.env?.MIRRORD_CONFIG_FILE);
  if (explicit !== undefined) {
    const source = options.configFile !== undefined ? 'given' : 'named by MIRRORD_CONFIG_FILE';
    const path = resolve(options.cwd, expandHome(explicit));
    if (!existsSync(path)) {
      throw new ConfigError([{ key: '', message: `The config file ${path} (${source}) does not exist.`, help: 'Check the path, or leave it out to use .mirrord/mirrord.json.' }], path);
    }
    if (!statSync(path).isFile()) {
      throw new ConfigError([{ key: '', message: `The config path ${path} (${source}) is a folder, not a file.`, help: 'Name the config file itself, e.g. .mirrord/mirrord.json.' }], path);
    }
    return path;
  }
  for (let dir = resolve(options.cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, '.mirrord', name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/**
 * Loading a config: discover the file, render its templates, parse it, check it against the
 * definition, apply command-line and environment overrides. Everything that goes wrong is a
 * ConfigError naming the key path and, where known, the file position.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { TARGET_SYNTAX_HELP, parseTargetPath } from '../target/target-path.js';
import { configType, type MirrordConfig } from './definition.js';
import { discoverConfigFile } from './discover.js';
import { INVALID, ParseContext, describeValue, formatPath, valueOf } from './dsl.js';
import { formatOf, parseSource, type ConfigFormat } from './source.js';
import { renderTemplate } from './template.js';

export interface LoadedConfig {
  /** Absolute path of the file used, or null when none was found (all defaults). */
  readonly path: string | null;
  readonly config: MirrordConfig;
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  readonly cwd: string;
  readonly configFile?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** From the command line; these win over the environment, which wins over the file. */
  readonly overrides?: { readonly target?: string | undefined; readonly namespace?: string | undefined };
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const env = options.env ?? process.env;
  const path = discoverConfigFile({ cwd: options.cwd, configFile: options.configFile, env });
  const loaded = path === undefined ? { config: valueOf(configType, {}), warnings: [] } : parseConfigFile(path, options.cwd, env);
  return { path: path ?? null, config: applyOverrides(loaded.config, env, options.overrides), warnings: loaded.warnings };
}

function parseConfigFile(path: string, cwd: string, env: Readonly<Record<string, string | undefined>>) {
  const shown = displayPath(path, cwd);
  const format = formatOf(path);
  if (!format) {
    throw new ConfigError([{ key: '', message: `The config file ${shown} has an extension other than .json, .yaml, .yml or .toml.`, help: 'Rename it to one of those extensions so its format is known.' }], path);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError([{ key: '', message: `The config file ${shown} cannot be read (${reason}).`, help: 'Check that it exists and that you may read it.' }], path);
  }
  return parseConfigText(text, format, shown, { env });
}

/** Parses config text (already read) in the given format; `file` is only used in messages. */
export function parseConfigText(
  text: string,
  format: ConfigFormat,
  file: string,
  context: { env: Readonly<Record<string, string | undefined>>; key?: string },
): { config: MirrordConfig; warnings: string[] } {
  const rendered = renderTemplate(text, file, context);
  const source = parseSource(rendered, format, file);
  const ctx = new ParseContext();
  const config = configType.parse(source.data, [], ctx);
  if (config === INVALID || ctx.findings.length > 0) {
    const problems: ConfigProblem[] = ctx.findings.map((finding) => {
      const position = source.locate(finding.path, { key: true });
      const message = position ? `${finding.message.replace(/\.$/, '')} (${file}:${position.line}:${position.column}).` : finding.message;
      return { key: formatPath(finding.path), message, help: finding.help, ...(position ? { position } : {}) };
    });
    throw new ConfigError(problems, file);
  }
  return { config, warnings: ctx.warnings };
}

function applyOverrides(
  config: MirrordConfig,
  env: Readonly<Record<string, string | undefined>>,
  overrides: LoadOptions['overrides'],
): MirrordConfig {
  const targetText = overrides?.target ?? nonEmpty(env.MIRRORD_IMPERSONATED_TARGET);
  const namespace = overrides?.namespace ?? nonEmpty(env.MIRRORD_TARGET_NAMESPACE);
  if (targetText === undefined && namespace === undefined) return config;
  let path = config.target.path;
  if (targetText !== undefined) {
    const parsed = parseTargetPath(targetText);
    if (!parsed.ok) {
      const source = overrides?.target !== undefined ? 'The target' : 'MIRRORD_IMPERSONATED_TARGET';
      throw new ConfigError([{ key: 'target', message: `${source} ${describeValue(targetText)} ${parsed.reason}.`, help: TARGET_SYNTAX_HELP }]);
    }
    path = parsed.target;
  }
  return { ...config, target: { path, namespace: namespace ?? config.target.namespace } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/**
 * What the debug configuration provider decides, without VS Code: whether a launch
 * configuration is mirrored, with which config file and target, and how the session's
 * answer is merged into the configuration. Plain data in, plain data out.
 */
import * as jsonc from 'jsonc-parser';
import type { StartSession } from '@mirrord-ts/core/ide-protocol';

/** The `"mirrord"` attribute of a launch configuration. */
export type MirrordAttribute = boolean | { target?: string; configFile?: string; namespace?: string } | undefined;

/** A debug configuration as far as mirrord reads and writes it. */
export interface LaunchConfig {
  type: string;
  name: string;
  request: string;
  mirrord?: unknown;
  env?: Record<string, string | null | undefined>;
  environment?: { name: string; value: string }[];
  debugServer?: number;
  cwd?: string;
  program?: string;
  __mirrordSessionId?: string;
  [key: string]: unknown;
}

export interface MirrorDecision {
  readonly mirror: boolean;
  /** Why not, for the log. */
  readonly why: string;
  readonly target?: string;
  readonly configFile?: string;
  readonly namespace?: string;
}

/** Marks of a child session that a debugger starts for a configuration already resolved (js-debug, debugpy subprocesses). */
const CHILD_SESSION_KEYS = ['__pendingTargetId', '__parentId', '__mirrordSessionId'];

/**
 * `"mirrord": true` or an object → mirrored; `false` → never; absent → the workspace toggle.
 * A configuration already resolved by mirrord (or a child session of one) is left alone.
 */
export function decideMirroring(config: LaunchConfig, toggleOn: boolean): MirrorDecision {
  if (CHILD_SESSION_KEYS.some((key) => config[key] !== undefined) || config.env?.__MIRRORD_EXT_INJECTED === 'true') {
    return { mirror: false, why: 'already resolved by mirrord (or a child session of one)' };
  }
  const attribute = config.mirrord as MirrordAttribute;
  if (attribute === false) return { mirror: false, why: '"mirrord": false' };
  if (attribute === true) return { mirror: true, why: '"mirrord": true' };
  if (attribute !== undefined && attribute !== null && typeof attribute === 'object') {
    const target = typeof attribute.target === 'string' && attribute.target !== '' ? attribute.target : undefined;
    const configFile = typeof attribute.configFile === 'string' && attribute.configFile !== '' ? attribute.configFile : undefined;
    const namespace = typeof attribute.namespace === 'string' && attribute.namespace !== '' ? attribute.namespace : undefined;
    return { mirror: true, why: '"mirrord": {…}', ...(target ? { target } : {}), ...(configFile ? { configFile } : {}), ...(namespace ? { namespace } : {}) };
  }
  if (attribute !== undefined) return { mirror: false, why: `"mirrord" is ${JSON.stringify(attribute)}, which is neither true, false nor an object` };
  return toggleOn ? { mirror: true, why: 'the workspace toggle is on' } : { mirror: false, why: 'the workspace toggle is off' };
}

/**
 * The config file, in mirrord's order: the attribute's `configFile`, the one picked with
 * "Select Config File", `MIRRORD_CONFIG_FILE` in the configuration's env; none → the server
 * looks for `.mirrord/mirrord.{json,yaml,yml,toml}` from the cwd up.
 */
export function chooseConfigFile(decision: MirrorDecision, selected: string | undefined, config: LaunchConfig): string | undefined {
  const fromEnv = config.env?.MIRRORD_CONFIG_FILE;
  return decision.configFile ?? selected ?? (typeof fromEnv === 'string' && fromEnv !== '' ? fromEnv : undefined);
}

/**
 * Whether the config file names a target already (then no picker is shown). JSON (with
 * comments) is read exactly; YAML and TOML by their top-level `target` key.
 */
export function configNamesTarget(text: string | undefined, path: string | null): boolean {
  if (text === undefined || path === null) return false;
  if (/\.ya?ml$/i.test(path)) return /^target\s*:\s*\S/m.test(text) || /^target\s*:\s*$\n\s+(path|\w+)\s*:/m.test(text);
  if (/\.toml$/i.test(path)) return /^target\s*=/m.test(text) || /^\[target\]\s*$[^[]*^\s*path\s*=/m.test(text);
  const errors: jsonc.ParseError[] = [];
  const value = jsonc.parse(text, errors, { allowTrailingComma: true }) as { target?: unknown } | undefined;
  if (!value || typeof value !== 'object') return false;
  const target = value.target;
  if (typeof target === 'string') return target !== '';
  if (target && typeof target === 'object') {
    const t = target as Record<string, unknown>;
    return Object.keys(t).some((k) => k !== 'namespace' && t[k] !== null && t[k] !== undefined);
  }
  return false;
}

/** Debug types that take their environment as `environment: [{name, value}]` instead of `env: {}`. */
const ENVIRONMENT_ARRAY_TYPES = new Set(['cppdbg']);

/**
 * The configuration with the session's answer merged in: env (LD_PRELOAD joined with the
 * configuration's own), or `debugServer` for an adapter the server started (Go).
 */
export function mergeSession(config: LaunchConfig, result: StartSession.Result): LaunchConfig {
  const merged: LaunchConfig = { ...config, __mirrordSessionId: result.sessionId };
  const sessionEnv = { ...result.env };
  if (ENVIRONMENT_ARRAY_TYPES.has(config.type)) {
    const existing = [...(config.environment ?? [])];
    const preload = existing.find((e) => e.name === 'LD_PRELOAD');
    if (preload && sessionEnv.LD_PRELOAD) sessionEnv.LD_PRELOAD = `${sessionEnv.LD_PRELOAD}:${preload.value}`;
    const names = new Set(Object.keys(sessionEnv));
    merged.environment = [...existing.filter((e) => !names.has(e.name)), ...Object.entries(sessionEnv).map(([name, value]) => ({ name, value }))];
  } else {
    const existing = { ...(config.env ?? {}) };
    const preload = existing.LD_PRELOAD;
    if (typeof preload === 'string' && preload !== '' && sessionEnv.LD_PRELOAD) sessionEnv.LD_PRELOAD = `${sessionEnv.LD_PRELOAD}:${preload}`;
    // The session's values win over the configuration's, as in mirrord's own plugins (VS Code:
    // Object.assign({}, config.env, env)) and the JetBrains bridge; feature.env.override is
    // how a user sets a value over the target's.
    const env: Record<string, string | null | undefined> = { ...existing, ...sessionEnv };
    env.__MIRRORD_EXT_INJECTED = 'true';
    merged.env = env;
  }
  if (result.launch?.debugServer !== undefined) {
    merged.debugServer = result.launch.debugServer;
    // Delve started by the server writes the debuggee's output to its own stdout, which only the
    // server's log sees; `outputMode: "remote"` has it sent as DAP output events instead, so the
    // Debug Console shows it as when the Go extension starts dlv itself.
    if (config.type === 'go' && config.outputMode === undefined) merged.outputMode = 'remote';
    // The Go extension's resolve (which runs before this '*' provider) moved the package to build
    // into `__buildDir` and made `program` relative to it, for the dlv it would start there; this
    // dlv runs where the server started it, so it changes into that folder before it builds.
    if (config.type === 'go' && typeof config.__buildDir === 'string' && config.dlvCwd === undefined) merged.dlvCwd = config.__buildDir;
  }
  if (result.launch?.executable !== undefined) merged.program = result.launch.executable;
  return merged;
}

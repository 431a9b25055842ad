/**
 * The debug configuration provider's work, without VS Code: a launch configuration in, the
 * configuration VS Code hands to the debug adapter out (or undefined: no debug session).
 * The extension (../extension.ts) runs it in `resolveDebugConfigurationWithSubstitutedVariables`
 * with a host made of VS Code's UI and its language client; the e2e suites run the same
 * function with a client of the real IDE server and hand its result to real debug adapters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StartSession, VerifyConfig } from '@mirrord-ts/core/ide-protocol';
import { chooseConfigFile, configNamesTarget, decideMirroring, mergeSession, type LaunchConfig } from './launch.js';

/** Where the session runs: cwd, config file, target and namespace as the provider settled them. */
export interface SessionPlace {
  readonly cwd: string;
  readonly configFile: string | undefined;
  readonly target: string | undefined;
  readonly namespace: string | undefined;
}

/** What the provider needs from around it: workspace state, UI, and the IDE server. */
export interface ProviderHost {
  /** The workspace toggle (status-bar item). */
  readonly toggleOn: boolean;
  /** The config file picked with "Select Config File", if any. */
  readonly selectedConfig: string | undefined;
  /** The target picked with "Select Target", if any. */
  readonly selectedTarget: string | undefined;
  /** The workspace folder of the configuration (its cwd when it sets none). */
  readonly folder: string;
  log(line: string): void;
  /** `mirrord/verifyConfig` on the IDE server. */
  verifyConfig(params: VerifyConfig.Params): Promise<VerifyConfig.Result>;
  /** The config is invalid: tell the user (VS Code: a notification with "Open config"). No session starts. */
  configInvalid(verdict: VerifyConfig.Result): Promise<void>;
  /** The quick-pick; undefined when dismissed (then no debug session starts). */
  pickTarget(cwd: string, configFile: string | undefined): Promise<{ target: string; namespace?: string } | undefined>;
  /** `mirrord/startSession` on the IDE server (with progress); undefined when cancelled. */
  startSession(params: StartSession.Params): Promise<StartSession.Result | undefined>;
  /** A session is running for this configuration. */
  started?(result: StartSession.Result, target: string | undefined): void;
}

/** The configuration's cwd, else its workspace folder. */
export function cwdOf(config: LaunchConfig, folder: string): string {
  return typeof config.cwd === 'string' && config.cwd !== '' ? config.cwd : folder;
}

/** The `mirrord/startSession` request for a configuration (Go: the dlv the Go extension would use). */
export function startSessionParams(config: LaunchConfig, where: SessionPlace, workDoneToken?: string): StartSession.Params {
  return {
    cwd: where.cwd,
    debugType: config.type,
    ...(workDoneToken ? { workDoneToken } : {}),
    ...(where.configFile ? { configFile: where.configFile } : {}),
    ...(where.target ? { target: where.target } : {}),
    ...(where.namespace ? { namespace: where.namespace } : {}),
    ...(config.type === 'go' && typeof config.dlvToolPath === 'string' ? { executable: config.dlvToolPath } : {}),
  };
}

/**
 * Resolves one debug configuration: not mirrored → unchanged; mirrored → the config verified,
 * the target asked for when neither the attribute, the selected target nor the config file
 * names one, the session started, and its answer merged in. undefined: no debug session
 * (invalid config, picker dismissed, start cancelled). Errors of the server are thrown.
 */
export async function resolveDebugConfiguration(config: LaunchConfig, host: ProviderHost): Promise<LaunchConfig | undefined> {
  const decision = decideMirroring(config, host.toggleOn);
  if (!decision.mirror) {
    host.log(`"${config.name}" (${config.type}): not mirrored — ${decision.why}`);
    return config;
  }
  const cwd = cwdOf(config, host.folder);
  const configFile = chooseConfigFile(decision, host.selectedConfig, config);
  host.log(`"${config.name}" (${config.type}): mirrored — ${decision.why}; config ${configFile ?? '(discovered)'}`);
  const verdict = await host.verifyConfig({ cwd, ...(configFile ? { configFile } : {}) });
  if (!verdict.ok) {
    await host.configInvalid(verdict);
    return undefined;
  }
  for (const warning of verdict.warnings) host.log(`config warning: ${warning}`);
  let target = decision.target ?? host.selectedTarget;
  let namespace = decision.namespace;
  const configPath = verdict.path === null ? null : resolve(cwd, verdict.path);
  const named = configNamesTarget(configPath && existsSync(configPath) ? readFileSync(configPath, 'utf8') : undefined, configPath) || !!config.env?.MIRRORD_IMPERSONATED_TARGET;
  if (!target && !named) {
    const picked = await host.pickTarget(cwd, configFile);
    if (!picked) {
      host.log('no target picked: the debug session does not start');
      return undefined;
    }
    target = picked.target;
    namespace = picked.namespace ?? namespace;
  }
  const result = await host.startSession(startSessionParams(config, { cwd, configFile, target, namespace }));
  if (!result) return undefined;
  host.started?.(result, target);
  host.log(`session ${result.sessionId}: ${Object.keys(result.env).length} variables${result.launch?.debugServer ? `, debug adapter on port ${result.launch.debugServer}` : ''}`);
  return mergeSession(config, result);
}

// Where the native build puts the layer's pieces.
import { fileURLToPath } from "node:url";

const buildDir = fileURLToPath(new URL("../build/", import.meta.url));

export const layerPaths = {
  /** LD_PRELOAD library for dynamic executables. */
  preload: `${buildDir}libmirrord_layer.so`,
  /** `mirrord-layer-exec <socket> -- cmd args...`, for any executable. */
  launcher: `${buildDir}mirrord-layer-exec`,
  addon: `${buildDir}layer.node`,
} as const;

/** The session's unix socket path, read by the preload constructor. */
export const ENV_LAYER_SOCKET = "MIRRORD_LAYER_SOCKET";
/** Set by the layer once a filter is installed in a process lineage (value: the installer's pid). */
export const ENV_LAYER_ACTIVE = "MIRRORD_LAYER_ACTIVE";

/** Environment that puts a dynamic executable under the session at socketPath. */
export function layerEnv(socketPath: string, existingPreload?: string): Record<string, string> {
  const preload = existingPreload ? `${layerPaths.preload}:${existingPreload}` : layerPaths.preload;
  return { LD_PRELOAD: preload, [ENV_LAYER_SOCKET]: socketPath };
}

/** argv that runs a command under the launcher. */
export function launcherArgv(socketPath: string, command: string, args: readonly string[]): [string, string[]] {
  return [layerPaths.launcher, [socketPath, "--", command, ...args]];
}

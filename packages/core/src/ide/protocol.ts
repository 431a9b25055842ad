/**
 * The IDE protocol, defined once: `mirrord ide-server --stdio` (JSON-RPC 2.0 with LSP base
 * framing) and its clients — the VS Code extension imports this file; the JetBrains shim is
 * checked against a transcript recorded from the real server (ide/golden/). Each method is a
 * namespace holding its `method` name and its param/result types, as vscode-languageserver-node
 * does for LSP. This module has no imports and no runtime dependencies, so a client bundles
 * only these constants.
 */

/** Sent by the client in `initialize`'s `initializationOptions.protocolVersion`; a mismatch is refused. */
export const PROTOCOL_VERSION = 1;

export interface InitializationOptions {
  readonly protocolVersion: number;
}

/** What `initialize` answers besides LSP's capabilities (in `serverInfo` and `capabilities.experimental`). */
export interface MirrordServerCapabilities {
  readonly mirrord: { readonly protocolVersion: number };
}

// ---------------------------------------------------------------- errors

/** Whose fault it is and what the IDE offers ("Open config" for config errors with a key). */
export type ErrorKind = 'config' | 'cluster' | 'kernel' | 'bug';

/** `data` of every JSON-RPC error a mirrord method answers with; `message` is the one sentence to show. */
export interface ErrorData {
  readonly kind: ErrorKind;
  /** Dotted key path in the config file (`feature.network.incoming.mode`), for config errors. */
  readonly key?: string;
  /** The config file the key is in, when known (path expressed from the request's cwd). */
  readonly file?: string;
  /** What to do next. */
  readonly help: string;
}

/** JSON-RPC error codes of the kinds (application range, clear of JSON-RPC's and LSP's). */
export const ErrorCodes = {
  config: 1001,
  cluster: 1002,
  kernel: 1003,
  bug: 1004,
  /** `initialize` with a protocolVersion other than PROTOCOL_VERSION. */
  protocolVersionMismatch: 1010,
} as const;

// ---------------------------------------------------------------- methods

/** Checks a config file. `cwd` is absolute, or relative to the server's working directory. */
export namespace VerifyConfig {
  export const method = 'mirrord/verifyConfig' as const;
  export interface Params {
    readonly cwd: string;
    readonly configFile?: string;
  }
  export interface Problem {
    readonly key: string;
    readonly message: string;
    readonly help: string;
  }
  export interface Result {
    /** The file used, expressed from `cwd` as given (absolute cwd → absolute path); null when none was found (all defaults). */
    readonly path: string | null;
    readonly ok: boolean;
    readonly errors: Problem[];
    readonly warnings: string[];
  }
}

/** The JSON Schema of the config file (the same one shipped for editor IntelliSense). */
export namespace ConfigSchema {
  export const method = 'mirrord/configSchema' as const;
  export type Params = Record<string, never>;
  export type Result = Record<string, unknown>;
}

export type TargetKind = 'pod' | 'deployment' | 'rollout' | 'job' | 'cronjob' | 'statefulset' | 'service' | 'replicaset';

export namespace ListTargets {
  export const method = 'mirrord/listTargets' as const;
  export interface Params {
    readonly cwd: string;
    readonly configFile?: string;
    /** Namespace to list; default: the config's target namespace, then the kube context's. */
    readonly namespace?: string;
  }
  export interface Target {
    /** A mirrord target path, e.g. `deployment/api/container/app`. */
    readonly path: string;
    readonly kind: TargetKind;
    readonly namespace: string;
    readonly available: boolean;
  }
  export interface Result {
    readonly currentNamespace: string;
    readonly namespaces: string[];
    readonly targets: Target[];
  }
}

/** The debug adapter's `type` in VS Code (`node`, `pwa-node`, `debugpy`, `python`, `go`, `java`, `cppdbg`, …). */
export type DebugType = string;

export namespace StartSession {
  export const method = 'mirrord/startSession' as const;
  export interface Params {
    readonly cwd: string;
    readonly configFile?: string;
    /** A mirrord target path or `targetless`; default: the config's target (none: targetless). */
    readonly target?: string;
    /** The target's namespace when the user switched namespace in the picker (an addition to DESIGN.md's shape; optional). */
    readonly namespace?: string;
    readonly debugType: DebugType;
    /** The executable the IDE will start (for `go`: the dlv to run under the layer). */
    readonly executable?: string;
    /**
     * The executable's arguments. For `go`: dlv's arguments when the IDE speaks Delve's own
     * JSON-RPC API (GoLand: `--listen=127.0.0.1:0 --headless=true --api-version=2 exec <binary>`);
     * without them the server starts `dlv dap --listen 127.0.0.1:0` (VS Code).
     */
    readonly args?: string[];
    /** LSP work-done token the client created; without it the server creates one if the client supports work-done progress. */
    readonly workDoneToken?: string | number;
    /**
     * Absolute folders of the IDE and its debuggers that the debuggee reads (VS Code's app root
     * with js-debug's bootloader, the extensions folder with debugpy's launcher): their files and
     * their ancestors stay local whatever `feature.fs` says. Optional (an addition to DESIGN.md's shape).
     */
    readonly localPaths?: string[];
  }
  export interface Launch {
    readonly executable?: string;
    readonly args?: string[];
    /** Port on 127.0.0.1 of a debug adapter the server started under the layer (Go: `dlv dap`, or dlv's JSON-RPC server when `args` were given); VS Code's `debugServer` attribute, GoLand's "Go Remote". */
    readonly debugServer?: number;
  }
  export interface Result {
    readonly sessionId: string;
    /** Environment to merge into the debug configuration's env (LD_PRELOAD, session socket, the target's env). */
    readonly env: Record<string, string>;
    readonly launch?: Launch;
    /** The target the session runs on, as resolved (`deployment/echo`, `targetless`), for the IDE's status display. Optional (an addition to DESIGN.md's shape). */
    readonly target?: string;
  }
}

export namespace StopSession {
  export const method = 'mirrord/stopSession' as const;
  export interface Params {
    readonly sessionId: string;
  }
  export type Result = Record<string, never>;
}

export type SessionState = 'starting' | 'running' | 'stopping';

export namespace ListSessions {
  export const method = 'mirrord/listSessions' as const;
  export type Params = Record<string, never>;
  export interface Session {
    readonly sessionId: string;
    /** Target path, or `targetless`. */
    readonly target: string;
    readonly state: SessionState;
    /** ISO 8601. */
    readonly startedAt: string;
  }
  export type Result = Session[];
}

/** Why a session ended. */
export type SessionEndReason =
  /** The client asked (stopSession). */
  | 'stopped'
  /** The debuggee (every process of the session) exited. */
  | 'debuggeeExited'
  /** The agent connection ended (agent gone, port-forward closed). */
  | 'agentLost'
  /** The server is exiting (shutdown, stdin closed, SIGTERM/SIGHUP). */
  | 'serverExit';

export namespace SessionEnded {
  export const method = 'mirrord/sessionEnded' as const;
  export interface Params {
    readonly sessionId: string;
    readonly reason: SessionEndReason;
    readonly error?: { readonly message: string } & ErrorData;
  }
}

/** Titles of the work-done progress of startSession, in order. */
export const SESSION_PHASES = ['resolving config', 'finding target', 'starting agent', 'connecting', 'ready'] as const;
export type SessionPhase = (typeof SESSION_PHASES)[number];

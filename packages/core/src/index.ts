// @mirrord-ts/core: the library behind the mirrord CLI and the IDE server.
export { loadConfig, parseConfigText, type LoadedConfig, type LoadOptions } from './config/load.js';
export { configType, type MirrordConfig } from './config/definition.js';
export { valueOf } from './config/dsl.js';
export { configJsonSchema } from './config/json-schema.js';
export { parseTargetPath, formatTargetPath, TARGET_KINDS, type TargetPath, type TargetKind } from './target/target-path.js';
export { MirrordError, ConfigError, ClusterError, KernelError, UsageError, BugError, asMirrordError, type ErrorKind } from './errors.js';
export { openCluster, type Cluster } from './kube/cluster.js';
export { listTargets, resolveTarget, type TargetEntry, type TargetListing, type ResolvedTarget } from './kube/targets.js';
export { AGENT_LABEL, SESSION_LABEL } from './kube/agent-spawn.js';
export { startAgentSession, DEFAULT_AGENT_IMAGE, type AgentSession } from './session/agent-session.js';
export { startSession, type Session, type SessionOptions } from './session/session.js';
export { recordingProgress, ndjsonProgress, humanProgress, type Progress, type ProgressEvent } from './progress.js';
export { VERSION } from './version.js';

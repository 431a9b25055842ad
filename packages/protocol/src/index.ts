export { PROTOCOL_VERSION, ProtocolVersionMismatchError, checkProtocolVersion, versionMismatchSentence } from "./version.js";
export { SESSION_METADATA_KEY, agentService, loadAgentProto } from "./load.js";
export { LOAD_OPTIONS } from "./load-options.js";
export type * from "./generated/messages.js";

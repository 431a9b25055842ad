// @mirrord-ts/layer: the native interception layer and its typed API.
export { layerPaths, layerEnv, launcherArgv, ENV_LAYER_SOCKET, ENV_LAYER_ACTIVE } from "./paths.js";
export { SyscallGroup, ALL_GROUPS, DEFAULT_GROUPS, type SyscallName } from "./groups.js";
export type { LayerPolicy } from "./policy.js";
export {
  LayerSupervisor,
  type Answer,
  type AttachEvent,
  type Hello,
  type HelloKind,
  type HelloVerdict,
  type NameAnswer,
  type WatchOptions,
  type Notification,
  type SocketAddress,
  type SupervisorHandlers,
  type SupervisorStats,
} from "./supervisor.js";
export { getFd, socketInfo, connectSocket, waitConnected, readMemory, writeMemory } from "./target.js";
export { redirectFastOpen, readSendPayload } from "./fastopen.js";
export { redirectConnect, redirectSendTo, answerName } from "./redirect.js";
export { bindElsewhere, connectInbound, watchListener } from "./inbound.js";
export { sockaddr, parseSockaddr } from "./sockaddr.js";
export { checkKernel, type KernelCheck, type KernelFeature } from "./kernel.js";
export type { ErrnoError } from "./errno.js";

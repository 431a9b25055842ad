// Loads build/layer.node and describes its raw surface. Only the modules of
// this package call it; everyone else uses the typed API in index.ts.
import { createRequire } from "node:module";
import { layerPaths } from "./paths.js";

export type RawHelloKind = "preload" | "launcher" | "inherited" | "unknown";

export type RawEvent =
  | { type: "hello"; kind: RawHelloKind; pid: number; ppid: number; exe: string; argv: string[] }
  | { type: "attached"; listener: number; pid: number; kind: RawHelloKind }
  | { type: "detached"; listener: number; pid: number }
  | { type: "error"; message: string }
  | RawNotification;

export interface RawNotification {
  type: "notification";
  listener: number;
  id: bigint;
  tid: number;
  pid: number;
  syscall: string;
  nr: number;
  group: number;
  args: bigint[];
  fd?: number;
  dirfd?: number;
  addr?: { family: "inet" | "inet6" | "unix" | "other"; raw: Buffer; address?: string; port?: number; ipv4?: string };
  path?: string;
}

export interface RawPolicy {
  ignoredPorts: Buffer; // 65536-bit bitmap
  loopbackTrappedPorts: Buffer; // 65536-bit bitmap
  /** 0 pass, 1 session, 2 bind (bind and listen to the session, accept natively) */
  inboundMode: 0 | 1 | 2;
  filesToSession: boolean;
  localPrefixes: string[];
  defaultGroups: number;
}

export interface RawKernelCheck {
  release: string;
  probeError: number;
  userNotification: boolean;
  waitKillableRecv: boolean;
  addfd: boolean;
  addfdSend: boolean;
  pidfdGetfd: boolean;
}

export type RawNameRule = "pass" | "session" | Buffer;

declare const handleBrand: unique symbol;
export type RawHandle = { readonly [handleBrand]: true };

export interface LayerAddon {
  createSupervisor(socketPath: string, onEvent: (event: RawEvent) => unknown): RawHandle;
  closeSupervisor(h: RawHandle): void;
  setPolicy(h: RawHandle, policy: RawPolicy): void;
  setSkipped(h: RawHandle, tgid: number, skipped: boolean): number;
  /** inode 0 stops watching; peer/local: "pass" | "session" | sockaddr bytes; recvFrom/recvReport together or null. */
  watchSocket(
    h: RawHandle, tgid: number, fd: number, inode: bigint | number, peer: RawNameRule, local: RawNameRule,
    acceptOnBehalf: boolean, recvFrom: Buffer | null, recvReport: Buffer | null,
  ): number;
  /** Registers (forget false) or drops, if still the same (forget true), the peer of the inbound connection from client:localPort (client null: any loopback address). */
  expectPeer(h: RawHandle, localPort: number, sockaddr: Buffer, forget: boolean, client: Buffer | null): number;
  /** kind: 0 continue, 1 error, 2 value. Returns 0 or -errno. */
  respond(h: RawHandle, listener: number, id: bigint, kind: 0 | 1 | 2, error: number, value: number): number;
  idValid(h: RawHandle, listener: number, id: bigint): boolean;
  addFd(h: RawHandle, listener: number, id: bigint, srcFd: number, targetFd: number, send: boolean, cloexec: boolean): number;
  stats(h: RawHandle): {
    received: number; passedNatively: number; answeredNatively: number; sentToSession: number; vanished: number; attached: number;
    watchedSockets: number; accepted: number; recvAnswered: number; waitingAccepts: number; expectedPeers: number;
  };
  getFd(tgid: number, fd: number): number;
  socketInfo(fd: number): [number, number] | number;
  connectSocket(fd: number, ip: string, port: number): number;
  bindSocket(fd: number, ip: string, port: number): number;
  localName(fd: number): Buffer | number;
  /** sendto(fd, data, ip:port, flags | MSG_DONTWAIT): bytes sent or -errno. */
  sendToSocket(fd: number, data: Buffer, ip: string, port: number, flags: number): number;
  /** A non-blocking TCP socket bound to ip:0: [fd, port], or -errno. */
  boundStreamSocket(ip: string): [number, number] | number;
  waitConnected(fd: number, timeoutMs: number): number;
  readMemory(pid: number, addr: bigint, len: number): Buffer | number;
  writeMemory(pid: number, addr: bigint, data: Buffer): number;
  checkKernel(): RawKernelCheck;
  syscallTable(): { name: string; nr: number; group: number }[];
}

let loaded: LayerAddon | undefined;

export function addon(): LayerAddon {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    try {
      loaded = require(layerPaths.addon) as LayerAddon;
    } catch (err) {
      throw new Error(
        `the layer's native addon is not built (${layerPaths.addon}): run \`pnpm --filter @mirrord-ts/layer build\` (${(err as Error).message})`,
      );
    }
  }
  return loaded;
}

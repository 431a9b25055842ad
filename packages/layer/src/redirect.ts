// Building blocks for answering outgoing connects from the session: move the
// target's socket to a local endpoint, and keep telling it the original peer.
import { closeSync, fstatSync } from "node:fs";
import { errno } from "./errno.js";
import { readSendPayload } from "./fastopen.js";
import { addon } from "./native.js";
import { sockaddr } from "./sockaddr.js";
import type { LayerSupervisor, NameAnswer, Notification } from "./supervisor.js";
import { takeSocket } from "./take-socket.js";
import { connectSocket, readMemory, socketInfo, writeMemory } from "./target.js";

/**
 * Connects the target's socket to ip:port instead of the address it asked for,
 * and answers its connect (0, or EINPROGRESS for a non-blocking socket, which
 * then completes on its own). By default getpeername keeps reporting the
 * address the process asked for (answered natively) and getsockname the real
 * local end. A datagram socket is also watched for recvfrom: replies from
 * ip:port are reported as coming from the address the process asked for
 * (resolvers drop replies from anyone else). Returns false if the target went away.
 */
export function redirectConnect(
  supervisor: LayerSupervisor,
  n: Notification,
  ip: string,
  port: number,
  names: { peer?: NameAnswer; local?: NameAnswer } = {},
): boolean {
  if (n.fd === undefined) throw new Error(`${n.syscall} carries no socket`);
  const fd = takeSocket(supervisor, n, n.fd);
  if (fd === undefined) return false;
  try {
    let state: "connected" | "in-progress";
    try {
      state = connectSocket(fd, ip, port);
    } catch (err) {
      const code = (err as { errno?: number }).errno ?? errno.ECONNREFUSED;
      return supervisor.respond(n, { error: code });
    }
    const datagram = n.addr !== undefined && socketInfo(fd).type === "dgram";
    supervisor.watchSocket(n.pid, n.fd, fstatSync(fd, { bigint: true }).ino, {
      peer: names.peer ?? n.addr?.raw ?? "pass",
      local: names.local ?? "pass",
      ...(datagram ? { recvSource: { from: sockaddr(ip, port), report: n.addr!.raw } } : {}),
    });
    return supervisor.respond(n, state === "connected" ? { val: 0 } : { error: errno.EINPROGRESS });
  } finally {
    closeSync(fd);
  }
}

/**
 * From JavaScript (for a socket watched with "session"): answers
 * getpeername/getsockname with the given sockaddr bytes (for example
 * the address the process originally connected to), truncated to the caller's
 * buffer like the kernel does.
 */
export function answerName(supervisor: LayerSupervisor, n: Notification, sockaddr: Buffer): boolean {
  const [, addrPtr, lenPtr] = n.args;
  if (addrPtr === undefined || lenPtr === undefined || addrPtr === 0n || lenPtr === 0n) {
    return supervisor.respond(n, { error: errno.EFAULT });
  }
  try {
    const room = readMemory(n.tid, lenPtr, 4).readUInt32LE(0);
    if (!supervisor.isValid(n)) return false;
    writeMemory(n.tid, addrPtr, sockaddr.subarray(0, Math.min(room, sockaddr.length)));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(sockaddr.length);
    writeMemory(n.tid, lenPtr, len);
  } catch {
    return supervisor.respond(n, { error: errno.EFAULT });
  }
  return supervisor.respond(n, { val: 0 });
}

/**
 * A `sendto` with an address on a datagram socket (unconnected UDP: musl's
 * resolver, dnspython, most DNS clients): the session sends the payload
 * itself, from the process's socket, to ip:port, and answers with the count.
 * The socket is watched so replies from ip:port are reported by recvfrom as
 * coming from the address the process sent to. Returns false if the target went away.
 */
export function redirectSendTo(supervisor: LayerSupervisor, n: Notification, ip: string, port: number): boolean {
  if (n.syscall !== "sendto" || n.fd === undefined || n.addr === undefined) throw new Error(`${n.syscall} is not a sendto with an address`);
  const fd = takeSocket(supervisor, n, n.fd);
  if (fd === undefined) return false;
  try {
    let payload: Buffer;
    try {
      payload = readSendPayload(n);
    } catch {
      return supervisor.respond(n, { error: errno.EFAULT });
    }
    const flags = Number((n.args[3] ?? 0n) & 0xffffffffn);
    const sent = addon().sendToSocket(fd, payload, ip, port, flags);
    if (sent < 0) return supervisor.respond(n, { error: -sent });
    // Watched after the send: sendto auto-binds an unbound socket, and the inode stays.
    supervisor.watchSocket(n.pid, n.fd, fstatSync(fd, { bigint: true }).ino, {
      recvSource: { from: sockaddr(ip, port), report: n.addr.raw },
    });
    return supervisor.respond(n, { val: sent });
  } finally {
    closeSync(fd);
  }
}

// The connect hidden in a send: sendto/sendmsg with MSG_FASTOPEN on an
// unconnected TCP socket. The kernel would refuse a plain CONTINUE once the
// session has connected the socket (EISCONN), so the session sends the data
// itself and answers with the byte count.
import { closeSync, fstatSync, writeSync } from "node:fs";
import { errno } from "./errno.js";
import type { LayerSupervisor, Notification } from "./supervisor.js";
import { takeSocket } from "./take-socket.js";
import { connectSocket, readMemory, waitConnected } from "./target.js";

/** Largest payload taken in one answer; a stream send may return short, callers loop. */
const MAX_PAYLOAD = 1 << 20;

/** The bytes a trapped sendto/sendmsg wants to send (cut at MAX_PAYLOAD). */
export function readSendPayload(n: Notification): Buffer {
  const [, a1 = 0n, a2 = 0n] = n.args;
  if (n.syscall === "sendto") return readMemory(n.tid, a1, Math.min(Number(a2), MAX_PAYLOAD));
  if (n.syscall !== "sendmsg") throw new Error(`${n.syscall} sends nothing`);
  // struct msghdr (64-bit): name, namelen(+pad), iov @16, iovlen @24, ...
  const msghdr = readMemory(n.tid, a1, 56);
  const iov = msghdr.readBigUInt64LE(16);
  const iovlen = Math.min(Number(msghdr.readBigUInt64LE(24)), 1024);
  const parts: Buffer[] = [];
  let total = 0;
  if (iovlen === 0) return Buffer.alloc(0);
  const vecs = readMemory(n.tid, iov, iovlen * 16);
  for (let i = 0; i < iovlen && total < MAX_PAYLOAD; i++) {
    const base = vecs.readBigUInt64LE(i * 16);
    const len = Math.min(Number(vecs.readBigUInt64LE(i * 16 + 8)), MAX_PAYLOAD - total);
    if (len === 0) continue;
    parts.push(readMemory(n.tid, base, len));
    total += len;
  }
  return Buffer.concat(parts);
}

/**
 * Connects the target's socket to ip:port (a session-local listener), sends
 * the payload of its MSG_FASTOPEN send on it and answers with the count.
 * getpeername keeps reporting the address it asked for. False if the target went away.
 */
export function redirectFastOpen(supervisor: LayerSupervisor, n: Notification, ip: string, port: number): boolean {
  if (n.fd === undefined) throw new Error(`${n.syscall} carries no socket`);
  const fd = takeSocket(supervisor, n, n.fd);
  if (fd === undefined) return false;
  try {
    let payload: Buffer;
    try {
      if (connectSocket(fd, ip, port) === "in-progress") waitConnected(fd, 5000);
      payload = readSendPayload(n);
    } catch (err) {
      return supervisor.respond(n, { error: (err as { errno?: number }).errno ?? errno.ECONNREFUSED });
    }
    supervisor.watchSocket(n.pid, n.fd, fstatSync(fd, { bigint: true }).ino, { peer: n.addr?.raw ?? "pass" });
    if (!supervisor.isValid(n)) return false;
    let sent = 0;
    try {
      sent = payload.length > 0 ? writeSync(fd, payload) : 0;
    } catch (err) {
      // A full buffer on a fresh connection: report it as the kernel would for a non-blocking send.
      return supervisor.respond(n, { error: (err as { errno?: number }).errno ?? errno.EAGAIN });
    }
    return supervisor.respond(n, { val: sent });
  } finally {
    closeSync(fd);
  }
}

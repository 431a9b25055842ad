// Incoming connections for a local server: its listener is bound elsewhere
// when its port is taken (or the session wants it), and the connections the
// session makes to it carry the remote client's address as their peer.
import { closeSync, fstatSync } from "node:fs";
import net from "node:net";
import { check } from "./errno.js";
import { addon } from "./native.js";
import { parseSockaddr, sockaddr } from "./sockaddr.js";
import type { LayerSupervisor, Notification } from "./supervisor.js";
import { takeSocket } from "./take-socket.js";
import { getFd, socketInfo } from "./target.js";

/**
 * Answers a trapped `bind` by binding the process's socket to ip:port
 * instead of the address it asked for (port 0: any free port), and watches
 * it: getsockname keeps reporting the address it asked for, and its accepts
 * are served natively with the peers registered by expectPeer/connectInbound
 * (acceptOnBehalf, default true). Returns the port really bound, or
 * undefined if the process went away. When the bind itself fails the process
 * gets that errno and the error is thrown.
 */
export function bindElsewhere(
  supervisor: LayerSupervisor,
  n: Notification,
  ip = "127.0.0.1",
  port = 0,
  opts: { acceptOnBehalf?: boolean } = {},
): number | undefined {
  if (n.syscall !== "bind" || n.fd === undefined || n.addr === undefined) throw new Error(`${n.syscall} is not a bind with an address`);
  const fd = takeSocket(supervisor, n, n.fd);
  if (fd === undefined) return undefined;
  try {
    const r = addon().bindSocket(fd, ip, port);
    if (r < 0) {
      supervisor.respond(n, { error: -r });
      check(r, `bind(${ip}:${port}) for ${n.pid}`);
    }
    const local = socketInfo(fd);
    const bound = parseSockaddr(localName(fd))?.port ?? port;
    let asked = n.addr.raw;
    if (n.addr.port === 0) {
      // It asked for any port: it is told the one it got.
      asked = Buffer.from(asked);
      asked.writeUInt16BE(bound, 2);
    }
    supervisor.watchSocket(n.pid, n.fd, fstatSync(fd, { bigint: true }).ino, {
      local: asked,
      acceptOnBehalf: (opts.acceptOnBehalf ?? true) && local.type === "stream",
    });
    return supervisor.respond(n, { val: 0 }) ? bound : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Serves the accepts of a listener the process bound itself (its port was
 * free): from now on accept/accept4 on (pid, fd) are answered on the native
 * thread with the peers registered by connectInbound. Use it on the `listen`
 * notification (n.fd), or with any pid/fd the session learned.
 */
export function watchListener(supervisor: LayerSupervisor, pid: number, fd: number): void {
  const copy = getFd(pid, fd);
  try {
    supervisor.watchSocket(pid, fd, fstatSync(copy, { bigint: true }).ino, { acceptOnBehalf: true });
  } finally {
    closeSync(copy);
  }
}

function localName(fd: number): Buffer {
  const r = addon().localName(fd);
  if (typeof r === "number") check(r, "getsockname");
  return r as Buffer;
}

/**
 * Connects to a local listener (one watched with acceptOnBehalf) as the
 * remote client `peer`: the process's accept and getpeername report
 * peer.ip:peer.port. The registration is made before the connection exists
 * (the client socket is bound first), so no accept can miss it.
 */
export function connectInbound(
  supervisor: LayerSupervisor,
  port: number,
  peer: { ip: string; port: number },
  host = "127.0.0.1",
): net.Socket {
  const bound = addon().boundStreamSocket(host);
  if (typeof bound === "number") check(bound, `socket bound to ${host}`);
  const [fd, localPort] = bound as [number, number];
  const peerAddr = sockaddr(peer.ip, peer.port);
  // A loopback client matches by port alone (127.0.0.1 and ::ffff:127.0.0.1 alike); another
  // local address (a program listening on one interface) is named with the port.
  const client = isLoopback(host) ? undefined : host;
  try {
    supervisor.expectPeer(localPort, peerAddr, client);
    const r = addon().connectSocket(fd, host, port);
    if (r < 0 && r !== -115 /* EINPROGRESS */) check(r, `connect(${host}:${port})`);
  } catch (err) {
    closeSync(fd);
    supervisor.forgetPeer(localPort, peerAddr, client);
    throw err;
  }
  const socket = new net.Socket({ fd, readable: true, writable: true });
  // A connection the process never accepted must not lend its peer to a later one on the same port.
  socket.once("close", () => {
    try {
      supervisor.forgetPeer(localPort, peerAddr, client);
    } catch {
      // the supervisor is closed
    }
  });
  return socket;
}

function isLoopback(ip: string): boolean {
  return ip === "::1" || /^(::ffff:)?127\./i.test(ip);
}

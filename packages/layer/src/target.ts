// Primitives on a trapped process that need no supervisor: its fds and memory.
import { addon } from "./native.js";
import { check, errno } from "./errno.js";

/** Duplicates the target's fd into this process (pidfd_getfd). Close it when done. */
export function getFd(pid: number, fd: number): number {
  return check(addon().getFd(pid, fd), `pidfd_getfd(${pid}, ${fd})`);
}

/** A socket's family and type (SO_DOMAIN, SO_TYPE): tells a TCP connect from a UDP one. */
export function socketInfo(fd: number): { family: "inet" | "inet6" | "unix" | "other"; type: "stream" | "dgram" | "other" } {
  const r = addon().socketInfo(fd);
  if (typeof r === "number") check(r, `getsockopt(${fd})`);
  const [domain, type] = r as [number, number];
  // AF_INET 2, AF_INET6 10, AF_UNIX 1; SOCK_STREAM 1, SOCK_DGRAM 2 (SOCK_NONBLOCK/CLOEXEC are not in SO_TYPE).
  const family = domain === 2 ? "inet" : domain === 10 ? "inet6" : domain === 1 ? "unix" : "other";
  return { family, type: type === 1 ? "stream" : type === 2 ? "dgram" : "other" };
}

/**
 * Connects a socket (usually one taken with getFd) to ip:port; an IPv4 address
 * is mapped (::ffff:a.b.c.d) on an AF_INET6 socket. "in-progress" on a
 * non-blocking socket: the target must then be answered EINPROGRESS, and it
 * waits for the connection itself, on the same socket.
 */
export function connectSocket(fd: number, ip: string, port: number): "connected" | "in-progress" {
  const r = addon().connectSocket(fd, ip, port);
  if (r === -errno.EINPROGRESS) return "in-progress";
  check(r, `connect(${ip}:${port})`);
  return "connected";
}

/** Waits for a connect in progress on fd to finish; throws its error. */
export function waitConnected(fd: number, timeoutMs: number): void {
  check(addon().waitConnected(fd, timeoutMs), "connect");
}

export function readMemory(pid: number, addr: bigint, len: number): Buffer {
  const r = addon().readMemory(pid, addr, len);
  if (typeof r === "number") check(r, `process_vm_readv(${pid})`);
  return r as Buffer;
}

export function writeMemory(pid: number, addr: bigint, data: Buffer): number {
  return check(addon().writeMemory(pid, addr, data), `process_vm_writev(${pid})`);
}

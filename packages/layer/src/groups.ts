// Syscall groups the filter can trap (LAYER_GROUP_* in native/common/syscalls.h).
export const SyscallGroup = {
  /** connect, sendto with an address, sendmsg with MSG_FASTOPEN */
  netOut: 1,
  /** bind, listen, accept, accept4 */
  netIn: 2,
  /** getpeername, getsockname */
  netNames: 4,
  /** open, openat, openat2 and the stat family */
  files: 8,
  /** recvfrom with a source-address buffer (the filter never traps plain reads) */
  netRecv: 16,
} as const;

export const ALL_GROUPS = SyscallGroup.netOut | SyscallGroup.netIn | SyscallGroup.netNames | SyscallGroup.files | SyscallGroup.netRecv;
export const DEFAULT_GROUPS = SyscallGroup.netOut | SyscallGroup.netIn | SyscallGroup.netNames | SyscallGroup.netRecv;

export type SyscallName =
  | "connect" | "sendto" | "sendmsg" | "recvfrom" | "bind" | "listen" | "accept" | "accept4" | "getpeername" | "getsockname"
  | "open" | "openat" | "openat2" | "stat" | "lstat" | "newfstatat" | "statx" | "access" | "faccessat"
  | "faccessat2" | "readlink" | "readlinkat";

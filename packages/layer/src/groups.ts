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
  /**
   * recvmsg, every call (BPF cannot look inside the msghdr): opt-in, for programs that read
   * redirected UDP with recvmsg (libuv/Node dgram). Calls on sockets nobody watches pass natively.
   */
  netRecvMsg: 32,
} as const;

export const ALL_GROUPS =
  SyscallGroup.netOut | SyscallGroup.netIn | SyscallGroup.netNames | SyscallGroup.files | SyscallGroup.netRecv | SyscallGroup.netRecvMsg;
export const DEFAULT_GROUPS = SyscallGroup.netOut | SyscallGroup.netIn | SyscallGroup.netNames | SyscallGroup.netRecv;

export type SyscallName =
  | "connect" | "sendto" | "sendmsg" | "recvfrom" | "recvmsg" | "bind" | "listen" | "accept" | "accept4" | "getpeername" | "getsockname"
  | "open" | "openat" | "openat2" | "stat" | "lstat" | "newfstatat" | "statx" | "access" | "faccessat"
  | "faccessat2" | "readlink" | "readlinkat";

#include "syscalls.h"

#include <sys/syscall.h>

const struct layer_syscall layer_syscalls[] = {
	{ "connect", SYS_connect, LAYER_GROUP_NET_OUT, LAYER_ARGS_FD_SOCKADDR, LAYER_TRAP_ALWAYS },
	{ "sendto", SYS_sendto, LAYER_GROUP_NET_OUT, LAYER_ARGS_SENDTO, LAYER_TRAP_SENDTO_WITH_ADDR },
	{ "sendmsg", SYS_sendmsg, LAYER_GROUP_NET_OUT, LAYER_ARGS_SENDMSG, LAYER_TRAP_SENDMSG_FASTOPEN },
	{ "recvfrom", SYS_recvfrom, LAYER_GROUP_NET_RECV, LAYER_ARGS_RECVFROM, LAYER_TRAP_RECVFROM_WITH_ADDR },
	{ "recvmsg", SYS_recvmsg, LAYER_GROUP_NET_RECVMSG, LAYER_ARGS_RECVMSG, LAYER_TRAP_ALWAYS },
	{ "bind", SYS_bind, LAYER_GROUP_NET_IN, LAYER_ARGS_FD_SOCKADDR, LAYER_TRAP_ALWAYS },
	{ "listen", SYS_listen, LAYER_GROUP_NET_IN, LAYER_ARGS_FD, LAYER_TRAP_ALWAYS },
#ifdef SYS_accept
	{ "accept", SYS_accept, LAYER_GROUP_NET_IN, LAYER_ARGS_FD_NAME_OUT, LAYER_TRAP_ALWAYS },
#endif
	{ "accept4", SYS_accept4, LAYER_GROUP_NET_IN, LAYER_ARGS_FD_NAME_OUT, LAYER_TRAP_ALWAYS },
	{ "getpeername", SYS_getpeername, LAYER_GROUP_NET_NAMES, LAYER_ARGS_FD_NAME_OUT, LAYER_TRAP_ALWAYS },
	{ "getsockname", SYS_getsockname, LAYER_GROUP_NET_NAMES, LAYER_ARGS_FD_NAME_OUT, LAYER_TRAP_ALWAYS },
	/* Files: opens, plus the stat family a remote file system must answer
	 * consistently with its opens (exists/size/mode/readable). */
#ifdef SYS_open
	{ "open", SYS_open, LAYER_GROUP_FILES, LAYER_ARGS_PATH0, LAYER_TRAP_ALWAYS },
#endif
	{ "openat", SYS_openat, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
#ifdef SYS_openat2
	{ "openat2", SYS_openat2, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
#endif
#ifdef SYS_stat
	{ "stat", SYS_stat, LAYER_GROUP_FILES, LAYER_ARGS_PATH0, LAYER_TRAP_ALWAYS },
#endif
#ifdef SYS_lstat
	{ "lstat", SYS_lstat, LAYER_GROUP_FILES, LAYER_ARGS_PATH0, LAYER_TRAP_ALWAYS },
#endif
#ifdef SYS_newfstatat
	{ "newfstatat", SYS_newfstatat, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
#endif
	{ "statx", SYS_statx, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
#ifdef SYS_access
	{ "access", SYS_access, LAYER_GROUP_FILES, LAYER_ARGS_PATH0, LAYER_TRAP_ALWAYS },
#endif
	{ "faccessat", SYS_faccessat, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
#ifdef SYS_faccessat2
	{ "faccessat2", SYS_faccessat2, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
#endif
#ifdef SYS_readlink
	{ "readlink", SYS_readlink, LAYER_GROUP_FILES, LAYER_ARGS_PATH0, LAYER_TRAP_ALWAYS },
#endif
	{ "readlinkat", SYS_readlinkat, LAYER_GROUP_FILES, LAYER_ARGS_DIRFD_PATH1, LAYER_TRAP_ALWAYS },
};

const size_t layer_syscall_count = sizeof(layer_syscalls) / sizeof(layer_syscalls[0]);

const struct layer_syscall *layer_syscall_by_nr(int nr)
{
	for (size_t i = 0; i < layer_syscall_count; i++)
		if (layer_syscalls[i].nr == nr)
			return &layer_syscalls[i];
	return NULL;
}

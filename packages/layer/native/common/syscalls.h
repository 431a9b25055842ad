/* The one list of syscalls the filter traps. The BPF program (layer side) and
 * the decoder (supervisor side) both read it, so they cannot drift apart. */
#ifndef MIRRORD_LAYER_SYSCALLS_H
#define MIRRORD_LAYER_SYSCALLS_H

#include <stddef.h>

/* Groups the session can switch on per process in its hello answer. */
#define LAYER_GROUP_NET_OUT   (1u << 0) /* connect, sendto with address, sendmsg MSG_FASTOPEN */
#define LAYER_GROUP_NET_IN    (1u << 1) /* bind, listen, accept, accept4 */
#define LAYER_GROUP_NET_NAMES (1u << 2) /* getpeername, getsockname */
#define LAYER_GROUP_FILES     (1u << 3) /* open family and stat family */
#define LAYER_GROUP_NET_RECV  (1u << 4) /* recvfrom with a source-address buffer */
#define LAYER_GROUP_NET_RECVMSG (1u << 5) /* recvmsg: every call (BPF cannot see msg_name); opt-in */
#define LAYER_GROUP_ALL       (LAYER_GROUP_NET_OUT | LAYER_GROUP_NET_IN | LAYER_GROUP_NET_NAMES | LAYER_GROUP_FILES \
	| LAYER_GROUP_NET_RECV | LAYER_GROUP_NET_RECVMSG)
#define LAYER_GROUP_DEFAULT   (LAYER_GROUP_NET_OUT | LAYER_GROUP_NET_IN | LAYER_GROUP_NET_NAMES | LAYER_GROUP_NET_RECV)

/* Where a trapped syscall keeps the arguments the supervisor decodes. */
enum layer_args {
	LAYER_ARGS_FD_SOCKADDR,  /* (fd, const sockaddr *, len): connect, bind */
	LAYER_ARGS_SENDTO,       /* (fd, buf, len, flags, const sockaddr *, alen) */
	LAYER_ARGS_SENDMSG,      /* (fd, const msghdr *, flags) */
	LAYER_ARGS_FD,           /* (fd, ...): listen */
	LAYER_ARGS_FD_NAME_OUT,  /* (fd, sockaddr *out, socklen_t *inout): accept*, get*name */
	LAYER_ARGS_PATH0,        /* (const char *path, ...): open, stat, lstat, access */
	LAYER_ARGS_DIRFD_PATH1,  /* (dirfd, const char *path, ...): openat, newfstatat, statx, ... */
	LAYER_ARGS_RECVFROM,     /* (fd, buf, len, flags, sockaddr *src, socklen_t *inout) */
	LAYER_ARGS_RECVMSG,      /* (fd, msghdr *, flags) */
};

/* When the BPF program hands the call to the supervisor. */
enum layer_trap {
	LAYER_TRAP_ALWAYS,
	LAYER_TRAP_SENDTO_WITH_ADDR, /* dest_addr != NULL or MSG_FASTOPEN */
	LAYER_TRAP_SENDMSG_FASTOPEN, /* MSG_FASTOPEN: a connect hidden in a send */
	LAYER_TRAP_RECVFROM_WITH_ADDR, /* src_addr != NULL: plain reads are never trapped */
};

struct layer_syscall {
	const char *name;
	int nr;
	unsigned group;
	enum layer_args args;
	enum layer_trap trap;
};

extern const struct layer_syscall layer_syscalls[];
extern const size_t layer_syscall_count;

/* NULL when nr is not in the table. */
const struct layer_syscall *layer_syscall_by_nr(int nr);

#endif

/* Handshake between a process that installs the filter (preload constructor or
 * launcher) and the session's supervisor, over a unix stream socket.
 *
 *   layer -> session  hello    frame(struct layer_hello + strings)
 *   session -> layer  verdict  frame(struct layer_verdict)
 *   if verdict is INSTALL and the hello kind is not INHERITED:
 *   layer -> session  notify fd: frame(struct layer_fd_msg) with SCM_RIGHTS(fd)
 *   session -> layer  ack      frame(struct layer_ack)
 *
 * frame = u32 payload length (host order: both ends are on one machine) + payload.
 * Every payload starts with LAYER_WIRE_MAGIC. The strings after the hello are
 * NUL-terminated: the executable path, then each argv item; at most
 * LAYER_HELLO_STRINGS_MAX bytes (the rest is cut off). */
#ifndef MIRRORD_LAYER_WIRE_H
#define MIRRORD_LAYER_WIRE_H

#include <stdint.h>

#define LAYER_WIRE_MAGIC 0x4d4c5952u /* "MLYR" */
#define LAYER_WIRE_VERSION 1
#define LAYER_HELLO_STRINGS_MAX 4096
#define LAYER_FRAME_MAX (sizeof(struct layer_hello) + LAYER_HELLO_STRINGS_MAX)

/* Environment the layer reads and writes. */
#define LAYER_ENV_SOCKET "MIRRORD_LAYER_SOCKET" /* session's unix socket path */
#define LAYER_ENV_ACTIVE "MIRRORD_LAYER_ACTIVE" /* set once a filter is installed in this lineage (value: installer's pid) */

enum layer_hello_kind {
	LAYER_HELLO_PRELOAD = 1,   /* preload constructor, about to install a filter */
	LAYER_HELLO_LAUNCHER = 2,  /* launcher, about to install a filter and exec */
	LAYER_HELLO_INHERITED = 3, /* preload in a process that already runs under an inherited filter: only announces itself */
};

enum layer_verdict_kind {
	LAYER_VERDICT_INSTALL = 0,
	LAYER_VERDICT_SKIP = 1,
};

struct layer_hello {
	uint32_t magic;
	uint16_t version;
	uint16_t kind;
	uint32_t pid;
	uint32_t ppid;
	/* then the strings */
};

struct layer_verdict {
	uint32_t magic;
	uint32_t verdict; /* enum layer_verdict_kind */
	uint32_t groups;  /* LAYER_GROUP_* to trap when installing */
};

struct layer_fd_msg {
	uint32_t magic;
};

struct layer_ack {
	uint32_t magic;
	uint32_t status; /* 0: the supervisor listens on the fd */
};

#endif

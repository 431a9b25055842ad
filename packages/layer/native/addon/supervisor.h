/* The supervisor: a unix socket where processes attach, and one native thread
 * (epoll) that runs their handshakes and receives their seccomp notifications.
 * Pass-through cases are answered on that thread from the policy; the rest
 * become events for the session (JavaScript), which answers later from its
 * own thread through sup_respond/sup_addfd. No N-API in here. */
#ifndef MIRRORD_ADDON_SUPERVISOR_H
#define MIRRORD_ADDON_SUPERVISOR_H

#include "../common/syscalls.h"
#include "policy.h"
#include "sockaddr.h"

#include <stdint.h>
#include <sys/types.h>

struct supervisor;
struct sup_conn;

enum sup_event_type {
	SUP_EV_HELLO,        /* a process says hello; the receiver owns `conn` and must answer it */
	SUP_EV_ATTACHED,     /* its notify fd is now served as `listener` */
	SUP_EV_NOTIFICATION, /* a trapped syscall the policy did not pass */
	SUP_EV_DETACHED,     /* every process under `listener` has exited */
	SUP_EV_ERROR,        /* something the session should log */
};

struct sup_event {
	enum sup_event_type type;
	/* HELLO, ATTACHED */
	struct sup_conn *conn;
	uint16_t hello_kind;
	pid_t pid, ppid;
	char *strings; /* exe\0argv0\0argv1\0... */
	size_t strings_len;
	/* ATTACHED, NOTIFICATION, DETACHED */
	uint32_t listener;
	/* NOTIFICATION */
	uint64_t id;
	pid_t tid, tgid;
	const struct layer_syscall *syscall;
	uint64_t args[6];
	int has_addr;
	uint32_t addr_len;
	unsigned char addr[SOCKADDR_RAW_MAX];
	char *path;
	/* ERROR */
	char message[256];
};

void sup_event_free(struct sup_event *ev);

/* Called on the supervisor thread; takes ownership of ev. Returns 0, or
 * -1 when the event could not be queued (the supervisor then frees it). */
typedef int (*sup_emit_fn)(void *ctx, struct sup_event *ev);

struct sup_stats {
	uint64_t received;        /* notifications read */
	uint64_t passed_natively; /* answered CONTINUE on the native thread */
	uint64_t answered_natively; /* answered with a stored value on the native thread */
	uint64_t sent_to_session; /* handed to JavaScript */
	uint64_t vanished;        /* target gone before it could be answered */
	uint64_t attached;        /* notify fds received */
	uint64_t accepted;        /* connections accepted on behalf of a process */
	uint64_t recv_answered;   /* recvfrom answered natively (source rewritten) */
	uint64_t waiting_accepts; /* blocking accepts parked now */
};

/* Returns NULL and sets *err (-errno) on failure. */
struct supervisor *sup_start(const char *socket_path, sup_emit_fn emit, void *ctx, int *err);
/* Stops the thread, closes the socket and every notify fd (trapped calls then
 * fail with ENOSYS). Connections held by the receiver are closed when answered. */
void sup_stop(struct supervisor *s);
void sup_free(struct supervisor *s);
int sup_stopped(struct supervisor *s);
struct policy *sup_policy(struct supervisor *s);
void sup_get_stats(struct supervisor *s, struct sup_stats *out);

/* Consumes conn. skip: the process runs without a filter (or, for an inherited
 * hello, all its calls pass natively). groups: LAYER_GROUP_* to trap. */
int sup_answer_hello(struct supervisor *s, struct sup_conn *conn, int skip, unsigned groups);
void sup_drop_conn(struct sup_conn *conn);

enum sup_answer { SUP_CONTINUE, SUP_ERROR, SUP_VALUE };
/* 0, -ENOENT when the target is gone or the id was answered, -errno otherwise. */
int sup_respond(struct supervisor *s, uint32_t listener, uint64_t id, enum sup_answer kind, int error, int64_t val);
/* 1 valid, 0 not, -errno. */
int sup_id_valid(struct supervisor *s, uint32_t listener, uint64_t id);
/* Installs src_fd in the target; returns the target's fd number or -errno.
 * target_fd < 0: lowest free. send: also answers the notification with it. */
int sup_addfd(struct supervisor *s, uint32_t listener, uint64_t id, int src_fd, int target_fd, int send, int cloexec);

#endif

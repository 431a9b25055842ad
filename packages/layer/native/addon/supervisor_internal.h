/* What the supervisor's modules share: its state and their entry points.
 * supervisor.c (life cycle, thread), handshake_server.c (attaching processes),
 * listeners.c (notify fds and answers to them), notifications.c (decisions). */
#ifndef MIRRORD_ADDON_SUPERVISOR_INTERNAL_H
#define MIRRORD_ADDON_SUPERVISOR_INTERNAL_H

#include "supervisor.h"
#include "../common/wire.h"

#include <linux/seccomp.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

enum handle_kind { H_WAKE, H_LISTEN, H_CONN, H_NOTIFY, H_ACCEPT_SOCK, H_ACCEPT_PID, H_ACCEPT_TIMER };

struct handle {
	enum handle_kind kind;
};

enum conn_state { CONN_READ_HELLO, CONN_AWAIT_VERDICT, CONN_READ_FD };

struct sup_conn {
	struct handle h;
	struct supervisor *sup;
	int fd;
	enum conn_state state;
	uint16_t kind;
	pid_t pid;
	size_t have;
	unsigned char buf[sizeof(uint32_t) + LAYER_FRAME_MAX];
	struct sup_conn *prev, *next; /* list of conns the thread owns */
};

struct listener {
	struct handle h;
	uint32_t id;
	int fd;
	pid_t pid;
};

/* A blocking accept on a listener the session serves, with nothing pending:
 * the notification stays unanswered (the caller waits, killably) until the
 * listener is readable. Owned by the supervisor thread (inbound.c). */
struct accept_waiter {
	struct handle sock_h, pid_h;
	uint32_t listener;
	uint64_t id;
	pid_t tid, tgid;
	int nr;
	uint64_t args[6];
	int dupfd; /* our copy of the listening socket, in epoll */
	int pidfd; /* the caller's process, in epoll: its death drops the waiter */
	int dead;
	struct watched_socket w;
	struct accept_waiter *next;
};

struct supervisor {
	char path[108];
	int listen_fd, epoll_fd, wake_fd;
	struct handle listen_h, wake_h;
	pthread_t thread;
	int running, stopped;
	sup_emit_fn emit;
	void *emit_ctx;
	struct policy policy;
	struct sup_stats stats;
	size_t notif_size;

	pthread_mutex_t lock; /* listeners and conns */
	struct listener **listeners;
	size_t listener_count, listener_cap;
	uint32_t next_listener_id;
	struct sup_conn *conns;

	/* supervisor thread only */
	struct accept_waiter *waiters, *graveyard;
	int waiter_timer; /* timerfd: parked accepts look for pending signals (-1: none yet) */
	struct handle timer_h;
	unsigned char *recv_buf; /* LAYER_RECV_MAX bytes */
};

#define LAYER_RECV_MAX 65536

#define STAT_ADD(s, field) __atomic_add_fetch(&(s)->stats.field, 1, __ATOMIC_RELAXED)

/* supervisor.c */
void sup_emit(struct supervisor *s, struct sup_event *ev);
void sup_emit_error(struct supervisor *s, const char *fmt, const char *what, int err);

/* handshake_server.c */
void conn_accept_all(struct supervisor *s);
void conn_event(struct sup_conn *c, uint32_t events);
void conn_close(struct sup_conn *c);

/* listeners.c; listener_find needs s->lock held. */
int listener_add(struct supervisor *s, int fd, pid_t pid, uint32_t *id_out);
struct listener *listener_find(struct supervisor *s, uint32_t id);
void listener_remove(struct supervisor *s, struct listener *l, int announce);
int listener_id_valid(struct listener *l, uint64_t id);

/* notifications.c */
void notification_receive(struct supervisor *s, struct listener *l);
/* Answers a notification on the native thread: error (errno > 0) or val. */
void answer_native(struct supervisor *s, struct listener *l, uint64_t id, int error, int64_t val);

/* inbound.c: accept on behalf of a process. Returns 2 (answered or waiting),
 * 1 to pass, -1 when the target is gone. */
int inbound_accept(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct layer_syscall *sc, const struct watched_socket *w);
void inbound_waiter_event(struct supervisor *s, struct handle *h);
/* The timer: parked accepts whose thread has a signal to handle are answered ERESTARTSYS. */
void inbound_timer_event(struct supervisor *s);
void inbound_drop_listener(struct supervisor *s, uint32_t listener);
void inbound_drop_all(struct supervisor *s);
/* Frees waiters dropped during the last epoll batch. */
void inbound_reap(struct supervisor *s);

/* datagrams.c: recvfrom on a watched datagram socket. 2 answered, 1 pass, -1 gone. */
int datagram_recvfrom(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct watched_socket *w);
/* recvmsg with msg_name on a watched datagram socket: the same, scattered over its iovecs. */
int datagram_recvmsg(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct watched_socket *w);

#endif

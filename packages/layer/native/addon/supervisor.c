#define _GNU_SOURCE
#include "supervisor.h"
#include "../common/wire.h"
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

enum handle_kind { H_WAKE, H_LISTEN, H_CONN, H_NOTIFY };

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
	size_t notif_size, resp_size;

	pthread_mutex_t lock; /* listeners and conns */
	struct listener **listeners;
	size_t listener_count, listener_cap;
	uint32_t next_listener_id;
	struct sup_conn *conns;
};

#define STAT_ADD(s, field) __atomic_add_fetch(&(s)->stats.field, 1, __ATOMIC_RELAXED)

void sup_event_free(struct sup_event *ev)
{
	if (!ev)
		return;
	free(ev->strings);
	free(ev->path);
	free(ev);
}

static void emit(struct supervisor *s, struct sup_event *ev)
{
	if (s->emit(s->emit_ctx, ev) != 0) {
		if (ev->conn)
			sup_drop_conn(ev->conn);
		sup_event_free(ev);
	}
}

static void emit_error(struct supervisor *s, const char *fmt, const char *what, int err)
{
	struct sup_event *ev = calloc(1, sizeof *ev);
	if (!ev)
		return;
	ev->type = SUP_EV_ERROR;
	snprintf(ev->message, sizeof ev->message, fmt, what, strerror(err));
	emit(s, ev);
}

/* ---- connections: the handshake ---- */

static void conn_unlink(struct sup_conn *c)
{
	struct supervisor *s = c->sup;
	pthread_mutex_lock(&s->lock);
	if (c->prev)
		c->prev->next = c->next;
	else if (s->conns == c)
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	pthread_mutex_unlock(&s->lock);
}

static void conn_link(struct sup_conn *c)
{
	struct supervisor *s = c->sup;
	pthread_mutex_lock(&s->lock);
	c->next = s->conns;
	c->prev = NULL;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	pthread_mutex_unlock(&s->lock);
}

void sup_drop_conn(struct sup_conn *c)
{
	close(c->fd);
	free(c);
}

static void conn_close(struct sup_conn *c)
{
	epoll_ctl(c->sup->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	conn_unlink(c);
	sup_drop_conn(c);
}

static int write_frame(int fd, const void *payload, uint32_t len)
{
	unsigned char frame[64];
	memcpy(frame, &len, sizeof len);
	memcpy(frame + sizeof len, payload, len);
	/* A fresh unix socket always has room for a few bytes: one write. */
	ssize_t n = send(fd, frame, sizeof len + len, MSG_NOSIGNAL);
	return n == (ssize_t)(sizeof len + len) ? 0 : -EPIPE;
}

static void conn_accept_all(struct supervisor *s)
{
	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		struct sup_conn *c = calloc(1, sizeof *c);
		if (!c) {
			close(fd);
			continue;
		}
		c->h.kind = H_CONN;
		c->sup = s;
		c->fd = fd;
		c->state = CONN_READ_HELLO;
		conn_link(c);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
			conn_close(c);
	}
}

static void conn_hello_complete(struct sup_conn *c, uint32_t payload_len)
{
	struct supervisor *s = c->sup;
	struct layer_hello hello;
	memcpy(&hello, c->buf + sizeof(uint32_t), sizeof hello);
	if (payload_len < sizeof hello || hello.magic != LAYER_WIRE_MAGIC || hello.version != LAYER_WIRE_VERSION) {
		emit_error(s, "layer hello rejected: %s (%s)", "bad magic or version", EPROTO);
		conn_close(c);
		return;
	}
	struct sup_event *ev = calloc(1, sizeof *ev);
	size_t strings_len = payload_len - sizeof hello;
	char *strings = malloc(strings_len + 1);
	if (!ev || !strings) {
		free(ev);
		free(strings);
		conn_close(c);
		return;
	}
	memcpy(strings, c->buf + sizeof(uint32_t) + sizeof hello, strings_len);
	strings[strings_len] = '\0';
	c->kind = hello.kind;
	c->pid = (pid_t)hello.pid;
	c->state = CONN_AWAIT_VERDICT;
	/* The session owns the conn until it answers. */
	epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	conn_unlink(c);
	ev->type = SUP_EV_HELLO;
	ev->conn = c;
	ev->hello_kind = hello.kind;
	ev->pid = (pid_t)hello.pid;
	ev->ppid = (pid_t)hello.ppid;
	ev->strings = strings;
	ev->strings_len = strings_len;
	emit(s, ev);
}

static void conn_read_hello(struct sup_conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf + c->have, sizeof c->buf - c->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->have += (size_t)n;
		if (c->have < sizeof(uint32_t))
			continue;
		uint32_t len;
		memcpy(&len, c->buf, sizeof len);
		if (len > LAYER_FRAME_MAX) {
			conn_close(c);
			return;
		}
		if (c->have >= sizeof len + len) {
			conn_hello_complete(c, len);
			return;
		}
	}
}

static int listener_add(struct supervisor *s, int fd, pid_t pid, uint32_t *id_out);

static void conn_read_fd(struct sup_conn *c)
{
	struct supervisor *s = c->sup;
	struct {
		uint32_t len;
		struct layer_fd_msg msg;
	} frame;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { &frame, sizeof frame };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
	ssize_t n;
	do
		n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	int notify_fd = -1;
	struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&notify_fd, CMSG_DATA(cm), sizeof notify_fd);
	if (n != (ssize_t)sizeof frame || frame.len != sizeof frame.msg || frame.msg.magic != LAYER_WIRE_MAGIC || notify_fd < 0) {
		if (notify_fd >= 0)
			close(notify_fd);
		emit_error(s, "layer handshake of a process failed: %s (%s)", "no notify fd", EPROTO);
		conn_close(c);
		return;
	}
	uint32_t id = 0;
	int err = listener_add(s, notify_fd, c->pid, &id);
	struct layer_ack ack = { LAYER_WIRE_MAGIC, err ? 1u : 0u };
	write_frame(c->fd, &ack, sizeof ack);
	if (err) {
		close(notify_fd);
		emit_error(s, "cannot serve a notify fd: %s (%s)", "epoll", -err);
		conn_close(c);
		return;
	}
	STAT_ADD(s, attached);
	struct sup_event *ev = calloc(1, sizeof *ev);
	if (ev) {
		ev->type = SUP_EV_ATTACHED;
		ev->listener = id;
		ev->pid = c->pid;
		ev->hello_kind = c->kind;
		emit(s, ev);
	}
	conn_close(c);
}

int sup_answer_hello(struct supervisor *s, struct sup_conn *c, int skip, unsigned groups)
{
	if (s->stopped) {
		sup_drop_conn(c);
		return -ESHUTDOWN;
	}
	struct layer_verdict v = { LAYER_WIRE_MAGIC, skip ? LAYER_VERDICT_SKIP : LAYER_VERDICT_INSTALL, groups };
	int err = write_frame(c->fd, &v, sizeof v);
	if (c->kind == LAYER_HELLO_INHERITED && skip)
		policy_set_skipped(&s->policy, c->pid, 1);
	if (err || skip || c->kind == LAYER_HELLO_INHERITED) {
		sup_drop_conn(c);
		return err;
	}
	c->state = CONN_READ_FD;
	c->sup = s;
	conn_link(c);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		err = -errno;
		conn_unlink(c);
		sup_drop_conn(c);
	}
	return err;
}

static void conn_event(struct sup_conn *c, uint32_t events)
{
	if (c->state == CONN_READ_HELLO)
		conn_read_hello(c);
	else if (c->state == CONN_READ_FD)
		conn_read_fd(c);
	else if (events & (EPOLLHUP | EPOLLERR))
		conn_close(c);
}

/* ---- listeners: one notify fd per attached process tree ---- */

static int listener_add(struct supervisor *s, int fd, pid_t pid, uint32_t *id_out)
{
	struct listener *l = calloc(1, sizeof *l);
	if (!l)
		return -ENOMEM;
	l->h.kind = H_NOTIFY;
	l->fd = fd;
	/* 6.6+: the trapped thread hands its CPU straight to this thread and back,
	 * which roughly halves the cost of a pass-through. Older kernels: no-op. */
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
	l->pid = pid;
	pthread_mutex_lock(&s->lock);
	if (s->listener_count == s->listener_cap) {
		size_t cap = s->listener_cap ? s->listener_cap * 2 : 8;
		struct listener **grown = realloc(s->listeners, cap * sizeof *grown);
		if (!grown) {
			pthread_mutex_unlock(&s->lock);
			free(l);
			return -ENOMEM;
		}
		s->listeners = grown;
		s->listener_cap = cap;
	}
	l->id = ++s->next_listener_id;
	s->listeners[s->listener_count++] = l;
	pthread_mutex_unlock(&s->lock);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = l };
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		int err = -errno;
		pthread_mutex_lock(&s->lock);
		s->listener_count--;
		pthread_mutex_unlock(&s->lock);
		free(l);
		return err;
	}
	*id_out = l->id;
	return 0;
}

/* Caller holds s->lock. */
static struct listener *listener_find(struct supervisor *s, uint32_t id)
{
	for (size_t i = 0; i < s->listener_count; i++)
		if (s->listeners[i]->id == id)
			return s->listeners[i];
	return NULL;
}

static void listener_remove(struct supervisor *s, struct listener *l, int announce)
{
	epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, l->fd, NULL);
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->listener_count; i++)
		if (s->listeners[i] == l) {
			s->listeners[i] = s->listeners[--s->listener_count];
			break;
		}
	close(l->fd);
	pthread_mutex_unlock(&s->lock);
	if (announce) {
		struct sup_event *ev = calloc(1, sizeof *ev);
		if (ev) {
			ev->type = SUP_EV_DETACHED;
			ev->listener = l->id;
			ev->pid = l->pid;
			emit(s, ev);
		}
	}
	free(l);
}

/* ---- notifications ---- */

static void answer_continue(struct supervisor *s, struct listener *l, uint64_t id)
{
	struct seccomp_notif_resp resp = { .id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
	if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
		STAT_ADD(s, passed_natively);
	else
		STAT_ADD(s, vanished);
}

static int still_valid(struct listener *l, uint64_t id)
{
	uint64_t copy = id;
	return ioctl(l->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &copy) == 0;
}

/* Reads the sockaddr a syscall passes. 0 or -errno. */
static int read_sockaddr(const struct seccomp_notif *req, const struct layer_syscall *sc, struct sup_event *ev)
{
	uint64_t ptr, len;
	if (sc->args == LAYER_ARGS_FD_SOCKADDR) {
		ptr = req->data.args[1];
		len = req->data.args[2];
	} else if (sc->args == LAYER_ARGS_SENDTO) {
		ptr = req->data.args[4];
		len = req->data.args[5];
	} else {
		struct msghdr mh;
		int err = target_read(req->pid, req->data.args[1], &mh, sizeof mh);
		if (err)
			return err;
		ptr = (uint64_t)(uintptr_t)mh.msg_name;
		len = mh.msg_namelen;
	}
	if (!ptr || len == 0)
		return -EDESTADDRREQ;
	if (len > SOCKADDR_RAW_MAX)
		len = SOCKADDR_RAW_MAX;
	int err = target_read(req->pid, ptr, ev->addr, (size_t)len);
	if (err)
		return err;
	ev->has_addr = 1;
	ev->addr_len = (uint32_t)len;
	return 0;
}

/* Writes a stored sockaddr as the kernel would (truncated to the caller's
 * buffer, full length reported) and answers 0. Returns 2 (answered), 1 to
 * pass when the caller's pointers are bad, -1 when the target went away. */
static int answer_name(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, const struct name_rule *rule)
{
	uint32_t room;
	uint64_t addr = req->data.args[1], lenp = req->data.args[2];
	if (!addr || !lenp || target_read(req->pid, lenp, &room, sizeof room) != 0)
		return 1;
	if (!still_valid(l, req->id))
		return -1;
	uint32_t n = rule->len < room ? rule->len : room;
	if (target_write(req->pid, addr, rule->bytes, n) != (ssize_t)n
		|| target_write(req->pid, lenp, &rule->len, sizeof rule->len) != (ssize_t)sizeof rule->len)
		return 1;
	struct seccomp_notif_resp resp = { .id = req->id };
	if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
		STAT_ADD(s, answered_natively);
	else
		STAT_ADD(s, vanished);
	return 2;
}

static int is_outgoing(const struct layer_syscall *sc)
{
	return sc->group == LAYER_GROUP_NET_OUT;
}

/* Decides on the native thread. Returns 1 to pass (CONTINUE), 0 to hand the
 * filled event to the session, 2 when already answered natively, -1 when the
 * notification is no longer valid. */
static int decide(struct supervisor *s, struct listener *l, const struct seccomp_notif *req,
	const struct layer_syscall *sc, struct sup_event *ev)
{
	struct policy *p = &s->policy;
	ev->tgid = 0;
	if (policy_has_skipped(p)) {
		ev->tgid = target_tgid(req->pid);
		if (ev->tgid > 0 && policy_is_skipped(p, ev->tgid))
			return 1;
	}
	switch (sc->args) {
	case LAYER_ARGS_FD_SOCKADDR:
	case LAYER_ARGS_SENDTO:
	case LAYER_ARGS_SENDMSG: {
		if (!is_outgoing(sc) && !policy_inbound_to_session(p))
			return 1;
		if (read_sockaddr(req, sc, ev) != 0)
			return 1; /* the kernel reports EFAULT/EDESTADDRREQ itself */
		if (!still_valid(l, req->id))
			return -1;
		struct decoded_addr a;
		sockaddr_decode(ev->addr, ev->addr_len, &a);
		if (!a.is_inet)
			return 1; /* AF_UNIX, netlink, AF_UNSPEC disconnect: local by nature */
		if (is_outgoing(sc) && (a.is_local || policy_port_ignored(p, a.port)))
			return 1;
		return 0;
	}
	case LAYER_ARGS_FD:
		return policy_inbound_to_session(p) ? 0 : 1;
	case LAYER_ARGS_FD_NAME_OUT: {
		if (sc->group == LAYER_GROUP_NET_IN)
			return policy_inbound_to_session(p) ? 0 : 1;
		/* get*name: only sockets the session redirected have a story to tell. */
		if (!policy_has_watched(p))
			return 1;
		if (ev->tgid <= 0)
			ev->tgid = target_tgid(req->pid);
		int fd = (int)req->data.args[0];
		struct watched_socket w;
		if (policy_watched_get(p, ev->tgid, fd, &w) != 0 || w.inode != target_fd_inode(ev->tgid, fd))
			return 1;
		const struct name_rule *rule = sc->nr == SYS_getpeername ? &w.peer : &w.local;
		if (rule->answer == NAME_PASS)
			return 1;
		if (rule->answer == NAME_SESSION)
			return 0;
		return answer_name(s, l, req, rule);
	}
	case LAYER_ARGS_PATH0:
	case LAYER_ARGS_DIRFD_PATH1: {
		if (!policy_files_to_session(p))
			return 1;
		ev->path = malloc(4096);
		if (!ev->path)
			return 1;
		uint64_t ptr = req->data.args[sc->args == LAYER_ARGS_PATH0 ? 0 : 1];
		if (target_read_string(req->pid, ptr, ev->path, 4096) != 0)
			return 1;
		if (!still_valid(l, req->id))
			return -1;
		if (ev->path[0] == '/' && policy_path_is_local(p, ev->path))
			return 1;
		return 0;
	}
	}
	return 1;
}

static void notification_receive(struct supervisor *s, struct listener *l)
{
	unsigned char req_buf[512] __attribute__((aligned(8)));
	struct seccomp_notif *req = (struct seccomp_notif *)req_buf;
	memset(req_buf, 0, s->notif_size);
	if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_RECV, req) != 0)
		return; /* ENOENT: the target died or was interrupted before we read it */
	STAT_ADD(s, received);
	const struct layer_syscall *sc = layer_syscall_by_nr(req->data.nr);
	if (!sc) {
		answer_continue(s, l, req->id);
		return;
	}
	struct sup_event *ev = calloc(1, sizeof *ev);
	if (!ev) {
		answer_continue(s, l, req->id);
		return;
	}
	int verdict = decide(s, l, req, sc, ev);
	if (verdict != 0) {
		if (verdict == 1)
			answer_continue(s, l, req->id);
		else if (verdict < 0)
			STAT_ADD(s, vanished);
		sup_event_free(ev);
		return;
	}
	if (ev->tgid <= 0)
		ev->tgid = target_tgid(req->pid);
	ev->type = SUP_EV_NOTIFICATION;
	ev->listener = l->id;
	ev->id = req->id;
	ev->tid = (pid_t)req->pid;
	ev->syscall = sc;
	memcpy(ev->args, req->data.args, sizeof ev->args);
	STAT_ADD(s, sent_to_session);
	emit(s, ev);
}

/* ---- the thread ---- */

static void *supervisor_thread(void *arg)
{
	struct supervisor *s = arg;
	struct epoll_event events[32];
	for (;;) {
		int n = epoll_wait(s->epoll_fd, events, 32, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			emit_error(s, "supervisor %s failed: %s", "epoll_wait", errno);
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			struct handle *h = events[i].data.ptr;
			uint32_t e = events[i].events;
			switch (h->kind) {
			case H_WAKE:
				return NULL;
			case H_LISTEN:
				conn_accept_all(s);
				break;
			case H_CONN:
				conn_event((struct sup_conn *)h, e);
				break;
			case H_NOTIFY: {
				struct listener *l = (struct listener *)h;
				if (e & EPOLLIN)
					notification_receive(s, l);
				else if (e & (EPOLLHUP | EPOLLERR))
					listener_remove(s, l, 1);
				break;
			}
			}
		}
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof addr.sun_path)
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path); /* a previous session's leftover */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 128) != 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct supervisor *sup_start(const char *socket_path, sup_emit_fn emit_fn, void *ctx, int *err)
{
	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) {
		*err = -errno;
		return NULL;
	}
	struct supervisor *s = calloc(1, sizeof *s);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	s->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif : sizeof(struct seccomp_notif);
	if (s->notif_size > 512) {
		free(s);
		*err = -EOVERFLOW;
		return NULL;
	}
	snprintf(s->path, sizeof s->path, "%s", socket_path);
	s->emit = emit_fn;
	s->emit_ctx = ctx;
	s->listen_h.kind = H_LISTEN;
	s->wake_h.kind = H_WAKE;
	s->listen_fd = s->epoll_fd = s->wake_fd = -1;
	policy_init(&s->policy);
	pthread_mutex_init(&s->lock, NULL);

	s->listen_fd = listen_on(socket_path);
	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	*err = s->listen_fd < 0 ? s->listen_fd : (s->epoll_fd < 0 || s->wake_fd < 0) ? -errno : 0;
	if (!*err) {
		struct epoll_event le = { .events = EPOLLIN, .data.ptr = &s->listen_h };
		struct epoll_event we = { .events = EPOLLIN, .data.ptr = &s->wake_h };
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->listen_fd, &le) != 0
			|| epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->wake_fd, &we) != 0)
			*err = -errno;
	}
	if (!*err) {
		*err = -pthread_create(&s->thread, NULL, supervisor_thread, s);
		s->running = *err == 0;
	}
	if (*err) {
		s->stopped = 1;
		sup_stop(s);
		sup_free(s);
		return NULL;
	}
	return s;
}

void sup_stop(struct supervisor *s)
{
	if (s->running) {
		uint64_t one = 1;
		if (write(s->wake_fd, &one, sizeof one) < 0) {
			/* the eventfd cannot be full after one write; nothing to do */
		}
		pthread_join(s->thread, NULL);
		s->running = 0;
	}
	s->stopped = 1;
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->path);
		s->listen_fd = -1;
	}
	while (s->conns)
		conn_close(s->conns);
	while (s->listener_count)
		listener_remove(s, s->listeners[0], 0);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	s->epoll_fd = s->wake_fd = -1;
}

void sup_free(struct supervisor *s)
{
	policy_destroy(&s->policy);
	pthread_mutex_destroy(&s->lock);
	free(s->listeners);
	free(s);
}

int sup_stopped(struct supervisor *s) { return s->stopped; }
struct policy *sup_policy(struct supervisor *s) { return &s->policy; }

void sup_get_stats(struct supervisor *s, struct sup_stats *out)
{
	out->received = __atomic_load_n(&s->stats.received, __ATOMIC_RELAXED);
	out->passed_natively = __atomic_load_n(&s->stats.passed_natively, __ATOMIC_RELAXED);
	out->sent_to_session = __atomic_load_n(&s->stats.sent_to_session, __ATOMIC_RELAXED);
	out->vanished = __atomic_load_n(&s->stats.vanished, __ATOMIC_RELAXED);
	out->answered_natively = __atomic_load_n(&s->stats.answered_natively, __ATOMIC_RELAXED);
	out->attached = __atomic_load_n(&s->stats.attached, __ATOMIC_RELAXED);
}

/* ---- answers from the session's thread ---- */

int sup_respond(struct supervisor *s, uint32_t listener, uint64_t id, enum sup_answer kind, int error, int64_t val)
{
	struct seccomp_notif_resp resp = { .id = id };
	if (kind == SUP_CONTINUE)
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (kind == SUP_ERROR)
		resp.error = -error;
	else
		resp.val = val;
	int err = -ENOENT;
	pthread_mutex_lock(&s->lock);
	struct listener *l = listener_find(s, listener);
	if (l)
		err = ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0 ? 0 : -errno;
	pthread_mutex_unlock(&s->lock);
	return err;
}

int sup_id_valid(struct supervisor *s, uint32_t listener, uint64_t id)
{
	int valid = 0;
	pthread_mutex_lock(&s->lock);
	struct listener *l = listener_find(s, listener);
	if (l)
		valid = still_valid(l, id);
	pthread_mutex_unlock(&s->lock);
	return valid;
}

int sup_addfd(struct supervisor *s, uint32_t listener, uint64_t id, int src_fd, int target_fd, int send, int cloexec)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.flags = (target_fd >= 0 ? SECCOMP_ADDFD_FLAG_SETFD : 0) | (send ? SECCOMP_ADDFD_FLAG_SEND : 0),
		.srcfd = (uint32_t)src_fd,
		.newfd = target_fd >= 0 ? (uint32_t)target_fd : 0,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int r = -ENOENT;
	pthread_mutex_lock(&s->lock);
	struct listener *l = listener_find(s, listener);
	if (l) {
		r = ioctl(l->fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
		if (r < 0)
			r = -errno;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

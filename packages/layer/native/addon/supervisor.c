/* The supervisor's life cycle and its thread: epoll over the listening
 * socket, the handshake connections and every notify fd. */
#define _GNU_SOURCE
#include "supervisor_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

void sup_event_free(struct sup_event *ev)
{
	if (!ev)
		return;
	free(ev->strings);
	free(ev->path);
	free(ev);
}

void sup_emit(struct supervisor *s, struct sup_event *ev)
{
	if (s->emit(s->emit_ctx, ev) != 0) {
		if (ev->conn)
			sup_drop_conn(ev->conn);
		sup_event_free(ev);
	}
}

void sup_emit_error(struct supervisor *s, const char *fmt, const char *what, int err)
{
	struct sup_event *ev = calloc(1, sizeof *ev);
	if (!ev)
		return;
	ev->type = SUP_EV_ERROR;
	snprintf(ev->message, sizeof ev->message, fmt, what, strerror(err));
	sup_emit(s, ev);
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
			sup_emit_error(s, "supervisor %s failed: %s", "epoll_wait", errno);
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
			case H_ACCEPT_SOCK:
			case H_ACCEPT_PID:
				inbound_waiter_event(s, h);
				break;
			case H_ACCEPT_TIMER:
				inbound_timer_event(s);
				break;
			}
		}
		inbound_reap(s);
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
	s->recv_buf = malloc(LAYER_RECV_MAX);
	if (!s->recv_buf) {
		free(s);
		*err = -ENOMEM;
		return NULL;
	}
	s->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif : sizeof(struct seccomp_notif);
	if (s->notif_size > 512) {
		free(s->recv_buf);
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
	s->waiter_timer = -1;
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
	inbound_drop_all(s);
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
	free(s->recv_buf);
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
	out->accepted = __atomic_load_n(&s->stats.accepted, __ATOMIC_RELAXED);
	out->recv_answered = __atomic_load_n(&s->stats.recv_answered, __ATOMIC_RELAXED);
	out->waiting_accepts = __atomic_load_n(&s->stats.waiting_accepts, __ATOMIC_RELAXED);
}


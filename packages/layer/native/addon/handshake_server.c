/* The session's side of the handshake (wire.h): read a hello, hand it to the
 * session, send its verdict, receive the notify fd, ack. */
#define _GNU_SOURCE
#include "supervisor_internal.h"
#include "target.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

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

void conn_close(struct sup_conn *c)
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

void conn_accept_all(struct supervisor *s)
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
		sup_emit_error(s, "layer hello rejected: %s (%s)", "bad magic or version", EPROTO);
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
	sup_emit(s, ev);
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
		sup_emit_error(s, "layer handshake of a process failed: %s (%s)", "no notify fd", EPROTO);
		conn_close(c);
		return;
	}
	uint32_t id = 0;
	int err = listener_add(s, notify_fd, c->pid, &id);
	struct layer_ack ack = { LAYER_WIRE_MAGIC, err ? 1u : 0u };
	write_frame(c->fd, &ack, sizeof ack);
	if (err) {
		close(notify_fd);
		sup_emit_error(s, "cannot serve a notify fd: %s (%s)", "epoll", -err);
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
		sup_emit(s, ev);
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
		policy_set_skipped(&s->policy, c->pid, target_start_time(c->pid), 1);
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

void conn_event(struct sup_conn *c, uint32_t events)
{
	if (c->state == CONN_READ_HELLO)
		conn_read_hello(c);
	else if (c->state == CONN_READ_FD)
		conn_read_fd(c);
	else if (events & (EPOLLHUP | EPOLLERR))
		conn_close(c);
}

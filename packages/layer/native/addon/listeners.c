/* Notify fds (one per attached process tree) and the session's answers to
 * their notifications, which arrive from the JavaScript thread. */
#define _GNU_SOURCE
#include "supervisor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

int listener_id_valid(struct listener *l, uint64_t id)
{
	uint64_t copy = id;
	return ioctl(l->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &copy) == 0;
}

int listener_add(struct supervisor *s, int fd, pid_t pid, uint32_t *id_out)
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
struct listener *listener_find(struct supervisor *s, uint32_t id)
{
	for (size_t i = 0; i < s->listener_count; i++)
		if (s->listeners[i]->id == id)
			return s->listeners[i];
	return NULL;
}

void listener_remove(struct supervisor *s, struct listener *l, int announce)
{
	inbound_drop_listener(s, l->id);
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
			sup_emit(s, ev);
		}
	}
	free(l);
}


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
		valid = listener_id_valid(l, id);
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

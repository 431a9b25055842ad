/* Receives a notification, decodes what the policy needs from the target's
 * memory, and either answers it here or hands it to the session. */
#define _GNU_SOURCE
#include "supervisor_internal.h"
#include "target.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static void answer_continue(struct supervisor *s, struct listener *l, uint64_t id)
{
	struct seccomp_notif_resp resp = { .id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
	if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
		STAT_ADD(s, passed_natively);
	else
		STAT_ADD(s, vanished);
}

void answer_native(struct supervisor *s, struct listener *l, uint64_t id, int error, int64_t val)
{
	struct seccomp_notif_resp resp = { .id = id, .error = -error, .val = error ? 0 : val };
	if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
		STAT_ADD(s, answered_natively);
	else
		STAT_ADD(s, vanished);
}

/* The session's entry for the socket argument, if it watches it and the fd
 * still names that socket. 0 when found. */
static int watched_arg(struct supervisor *s, const struct seccomp_notif *req, struct sup_event *ev, struct watched_socket *w, int need)
{
	struct policy *p = &s->policy;
	/* No entry with this fd number: no need to resolve the caller's tgid (a /proc read). */
	if (!policy_watched_fd_maybe(p, (int)req->data.args[0], need))
		return -1;
	if (ev->tgid <= 0)
		ev->tgid = target_tgid(req->pid);
	int fd = (int)req->data.args[0];
	if (policy_watched_get(p, ev->tgid, fd, w) != 0)
		return -1;
	if (w->inode != target_fd_inode(ev->tgid, fd)) {
		policy_set_watched(p, ev->tgid, fd, NULL); /* the fd number was reused */
		return -1;
	}
	return 0;
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
	if (!listener_id_valid(l, req->id))
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
		uint64_t start_time = ev->tgid > 0 ? policy_skipped_start_time(p, ev->tgid) : 0;
		if (start_time && start_time == target_start_time(ev->tgid))
			return 1;
		if (start_time)
			policy_set_skipped(p, ev->tgid, 0, 0); /* the skipped process is gone, its pid reused */
	}
	switch (sc->args) {
	case LAYER_ARGS_FD_SOCKADDR:
	case LAYER_ARGS_SENDTO:
	case LAYER_ARGS_SENDMSG: {
		if (!is_outgoing(sc) && !policy_inbound_to_session(p))
			return 1;
		if (read_sockaddr(req, sc, ev) != 0)
			return 1; /* the kernel reports EFAULT/EDESTADDRREQ itself */
		if (!listener_id_valid(l, req->id))
			return -1;
		struct decoded_addr a;
		sockaddr_decode(ev->addr, ev->addr_len, &a);
		if (!a.is_inet)
			return 1; /* AF_UNIX, netlink, AF_UNSPEC disconnect: local by nature */
		if (is_outgoing(sc) && ((a.is_local && !policy_loopback_trapped(p, a.port)) || policy_port_ignored(p, a.port)))
			return 1;
		return 0;
	}
	case LAYER_ARGS_FD:
		return policy_inbound_to_session(p) ? 0 : 1;
	case LAYER_ARGS_RECVFROM: {
		struct watched_socket w;
		if (watched_arg(s, req, ev, &w, WATCH_NEED_RECV) != 0 || !w.recv_source)
			return 1;
		return datagram_recvfrom(s, l, req, ev->tgid, &w);
	}
	case LAYER_ARGS_RECVMSG: {
		struct watched_socket w;
		if (watched_arg(s, req, ev, &w, WATCH_NEED_RECV) != 0 || !w.recv_source)
			return 1;
		return datagram_recvmsg(s, l, req, ev->tgid, &w);
	}
	case LAYER_ARGS_FD_NAME_OUT: {
		struct watched_socket w;
		if (sc->group == LAYER_GROUP_NET_IN) {
			/* accept*: served here for listeners the session serves. */
			if (watched_arg(s, req, ev, &w, WATCH_NEED_ACCEPT) == 0 && w.accept_on_behalf)
				return inbound_accept(s, l, req, ev->tgid, sc, &w);
			return policy_inbound_to_session(p) == INBOUND_SESSION ? 0 : 1;
		}
		/* get*name: only sockets the session redirected have a story to tell. */
		if (watched_arg(s, req, ev, &w, WATCH_NEED_ANY) != 0)
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
		if (!listener_id_valid(l, req->id))
			return -1;
		if (ev->path[0] == '/' && policy_path_is_local(p, ev->path))
			return 1;
		return 0;
	}
	}
	return 1;
}

void notification_receive(struct supervisor *s, struct listener *l)
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
	/* Decide on the stack: pass-throughs, the common case, allocate nothing
	 * but a path buffer when files go to the session. */
	struct sup_event local;
	memset(&local, 0, sizeof local);
	int verdict = decide(s, l, req, sc, &local);
	struct sup_event *ev = verdict == 0 ? malloc(sizeof *ev) : NULL;
	if (verdict != 0 || !ev) {
		if (verdict == 1 || (verdict == 0 && !ev))
			answer_continue(s, l, req->id);
		else if (verdict < 0)
			STAT_ADD(s, vanished);
		free(local.path);
		return;
	}
	*ev = local;
	if (ev->tgid <= 0)
		ev->tgid = target_tgid(req->pid);
	ev->type = SUP_EV_NOTIFICATION;
	ev->listener = l->id;
	ev->id = req->id;
	ev->tid = (pid_t)req->pid;
	ev->syscall = sc;
	memcpy(ev->args, req->data.args, sizeof ev->args);
	STAT_ADD(s, sent_to_session);
	sup_emit(s, ev);
}

/* recvfrom on a datagram socket the session redirected: the reply comes from
 * the local address the session sent it to, but the process (a resolver)
 * checks that it comes from the address it asked for. The supervisor
 * receives on its copy of the socket, writes the data into the caller's
 * buffer and reports the original address as the source. Nothing pending:
 * CONTINUE, and the kernel blocks (or fails with EAGAIN) as usual. */
#define _GNU_SOURCE
#include "supervisor_internal.h"
#include "target.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int datagram_recvfrom(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct watched_socket *w)
{
	const __u64 *args = req->data.args;
	pid_t tid = (pid_t)req->pid;
	int flags = (int)args[3];
	uint64_t buf = args[1], want = args[2], addr = args[4], lenp = args[5];
	if (flags & (MSG_ERRQUEUE | MSG_OOB))
		return 1;
	int32_t room;
	if (!lenp || target_read(tid, lenp, &room, sizeof room) != 0 || room < 0)
		return 1; /* the kernel reports EFAULT/EINVAL itself */
	int dupfd = target_getfd(tgid, (int)args[0]);
	if (dupfd < 0)
		return 1;
	size_t len = want < LAYER_RECV_MAX ? (size_t)want : LAYER_RECV_MAX;
	struct sockaddr_storage src;
	socklen_t src_len = sizeof src;
	ssize_t n = recvfrom(dupfd, s->recv_buf, len, flags | MSG_DONTWAIT, (struct sockaddr *)&src, &src_len);
	int err = errno;
	close(dupfd);
	if (n < 0) {
		if (err == EAGAIN || err == EWOULDBLOCK)
			return 1;
		answer_native(s, l, req->id, err, 0); /* ECONNREFUSED and the like, taken from the socket */
		return 2;
	}
	if (!listener_id_valid(l, req->id))
		return -1; /* the datagram is lost with the caller, as natively */
	size_t copy = (size_t)n < len ? (size_t)n : len;
	if (copy && target_write(tid, buf, s->recv_buf, copy) != (ssize_t)copy) {
		answer_native(s, l, req->id, EFAULT, 0);
		return 2;
	}
	const void *from = &src;
	uint32_t from_len = src_len;
	if (sockaddr_same(&src, src_len, w->recv_from.bytes, w->recv_from.len)) {
		from = w->recv_report.bytes;
		from_len = w->recv_report.len;
	}
	uint32_t k = from_len < (uint32_t)room ? from_len : (uint32_t)room;
	if ((k && target_write(tid, addr, from, k) != (ssize_t)k)
		|| target_write(tid, lenp, &from_len, sizeof from_len) != (ssize_t)sizeof from_len) {
		answer_native(s, l, req->id, EFAULT, 0);
		return 2;
	}
	STAT_ADD(s, recv_answered);
	answer_native(s, l, req->id, 0, n);
	return 2;
}

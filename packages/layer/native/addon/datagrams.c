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
#include <stddef.h>
#include <sys/uio.h>
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

#define RECVMSG_MAX_IOV 64
#define RECVMSG_MAX_CONTROL 4096

int datagram_recvmsg(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct watched_socket *w)
{
	pid_t tid = (pid_t)req->pid;
	uint64_t mh_addr = req->data.args[1];
	int flags = (int)req->data.args[2];
	struct msghdr mh;
	if (flags & (MSG_ERRQUEUE | MSG_OOB) || target_read(tid, mh_addr, &mh, sizeof mh) != 0)
		return 1;
	if (!mh.msg_name || mh.msg_iovlen > RECVMSG_MAX_IOV || mh.msg_controllen > RECVMSG_MAX_CONTROL)
		return 1; /* no source asked for, or more than we carry: the kernel's answer */
	struct iovec iov[RECVMSG_MAX_IOV];
	if (mh.msg_iovlen && target_read(tid, (uint64_t)(uintptr_t)mh.msg_iov, iov, mh.msg_iovlen * sizeof *iov) != 0)
		return 1;
	size_t want = 0;
	for (size_t i = 0; i < mh.msg_iovlen; i++)
		want += iov[i].iov_len;
	size_t len = want < LAYER_RECV_MAX ? want : LAYER_RECV_MAX;
	int dupfd = target_getfd(tgid, (int)req->data.args[0]);
	if (dupfd < 0)
		return 1;
	unsigned char control[RECVMSG_MAX_CONTROL] __attribute__((aligned(8)));
	struct sockaddr_storage src;
	struct iovec mine = { s->recv_buf, len };
	struct msghdr got = {
		.msg_name = &src, .msg_namelen = sizeof src, .msg_iov = &mine, .msg_iovlen = 1,
		.msg_control = mh.msg_controllen ? control : NULL, .msg_controllen = mh.msg_controllen,
	};
	ssize_t n = recvmsg(dupfd, &got, flags | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	int err = errno;
	close(dupfd);
	if (n < 0) {
		if (err == EAGAIN || err == EWOULDBLOCK)
			return 1;
		answer_native(s, l, req->id, err, 0);
		return 2;
	}
	if (!listener_id_valid(l, req->id))
		return -1;
	/* The data, scattered over the caller's iovecs in one call. */
	size_t copy = (size_t)n < len ? (size_t)n : len, left = copy, k = 0;
	for (; k < mh.msg_iovlen && left; k++) {
		if (iov[k].iov_len > left)
			iov[k].iov_len = left;
		left -= iov[k].iov_len;
	}
	struct iovec local = { s->recv_buf, copy };
	if (copy && process_vm_writev(tid, &local, 1, iov, k, 0) != (ssize_t)copy) {
		answer_native(s, l, req->id, EFAULT, 0);
		return 2;
	}
	const void *from = &src;
	uint32_t from_len = got.msg_namelen;
	if (sockaddr_same(&src, got.msg_namelen, w->recv_from.bytes, w->recv_from.len)) {
		from = w->recv_report.bytes;
		from_len = w->recv_report.len;
	}
	uint32_t room = mh.msg_namelen, name_copy = from_len < room ? from_len : room;
	int flags_out = got.msg_flags;
	uint64_t controllen = got.msg_controllen;
	if ((name_copy && target_write(tid, (uint64_t)(uintptr_t)mh.msg_name, from, name_copy) != (ssize_t)name_copy)
		|| target_write(tid, mh_addr + offsetof(struct msghdr, msg_namelen), &from_len, sizeof from_len) != (ssize_t)sizeof from_len
		|| (controllen && target_write(tid, (uint64_t)(uintptr_t)mh.msg_control, control, controllen) != (ssize_t)controllen)
		|| target_write(tid, mh_addr + offsetof(struct msghdr, msg_controllen), &controllen, sizeof controllen) != (ssize_t)sizeof controllen
		|| target_write(tid, mh_addr + offsetof(struct msghdr, msg_flags), &flags_out, sizeof flags_out) != (ssize_t)sizeof flags_out) {
		answer_native(s, l, req->id, EFAULT, 0);
		return 2;
	}
	STAT_ADD(s, recv_answered);
	answer_native(s, l, req->id, 0, n);
	return 2;
}

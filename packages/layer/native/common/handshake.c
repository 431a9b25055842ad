#define _GNU_SOURCE
#include "handshake.h"
#include "filter.h"
#include "syscalls.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads one frame whose payload must be exactly `len` bytes. */
static int read_frame(int fd, void *payload, uint32_t len)
{
	uint32_t got;
	int err = read_all(fd, &got, sizeof got);
	if (err)
		return err;
	if (got != len)
		return -EPROTO;
	err = read_all(fd, payload, len);
	if (err)
		return err;
	return *(uint32_t *)payload == LAYER_WIRE_MAGIC ? 0 : -EPROTO;
}

int layer_session_connect(const char *socket_path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(socket_path) >= sizeof addr.sun_path)
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, socket_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int r;
	do
		r = connect(fd, (struct sockaddr *)&addr, sizeof addr);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int layer_send_hello(int sock, enum layer_hello_kind kind, const char *exe, int argc, char *const argv[])
{
	static char frame[sizeof(uint32_t) + LAYER_FRAME_MAX];
	struct layer_hello hello = {
		.magic = LAYER_WIRE_MAGIC, .version = LAYER_WIRE_VERSION, .kind = (uint16_t)kind,
		.pid = (uint32_t)getpid(), .ppid = (uint32_t)getppid(),
	};
	size_t off = sizeof(uint32_t);
	memcpy(frame + off, &hello, sizeof hello);
	off += sizeof hello;
	size_t room = LAYER_HELLO_STRINGS_MAX;
	for (int i = -1; i < argc && room > 0; i++) {
		const char *s = i < 0 ? exe : argv[i];
		if (!s)
			break;
		size_t n = strnlen(s, room - 1);
		memcpy(frame + off, s, n);
		frame[off + n] = '\0';
		off += n + 1;
		room -= n + 1;
	}
	uint32_t payload = (uint32_t)(off - sizeof(uint32_t));
	memcpy(frame, &payload, sizeof payload);
	return write_all(sock, frame, off);
}

int layer_recv_verdict(int sock, struct layer_verdict *out)
{
	return read_frame(sock, out, sizeof *out);
}

int layer_send_notify_fd(int sock, int notify_fd)
{
	struct {
		uint32_t len;
		struct layer_fd_msg msg;
	} frame = { sizeof(struct layer_fd_msg), { LAYER_WIRE_MAGIC } };
	struct iovec iov = { &frame, sizeof frame };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof control);
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &notify_fd, sizeof(int));
	/* flags 0: the filter traps sendmsg only with MSG_FASTOPEN. */
	ssize_t n;
	do
		n = sendmsg(sock, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == sizeof frame ? 0 : -EPROTO;
}

int layer_recv_ack(int sock)
{
	struct layer_ack ack;
	int err = read_frame(sock, &ack, sizeof ack);
	if (err)
		return err;
	return ack.status == 0 ? 0 : -EPROTO;
}

int layer_attach(const char *socket_path, enum layer_hello_kind kind, const char *exe, int argc, char *const argv[])
{
	int sock = layer_session_connect(socket_path);
	if (sock < 0)
		return sock;
	struct layer_verdict verdict;
	int err = layer_send_hello(sock, kind, exe, argc, argv);
	if (!err)
		err = layer_recv_verdict(sock, &verdict);
	if (err || verdict.verdict == LAYER_VERDICT_SKIP) {
		close(sock);
		return err ? err : 0;
	}
	int notify_fd = layer_install_filter(verdict.groups & LAYER_GROUP_ALL);
	if (notify_fd < 0) {
		close(sock);
		return notify_fd;
	}
	err = layer_send_notify_fd(sock, notify_fd);
	if (!err)
		err = layer_recv_ack(sock);
	/* The supervisor holds its own copy; ours would leak into the program. */
	close(notify_fd);
	close(sock);
	return err ? -ENOTCONN : 1;
}

int layer_announce(const char *socket_path, const char *exe, int argc, char *const argv[])
{
	int sock = layer_session_connect(socket_path);
	if (sock < 0)
		return sock;
	struct layer_verdict verdict;
	int err = layer_send_hello(sock, LAYER_HELLO_INHERITED, exe, argc, argv);
	if (!err)
		err = layer_recv_verdict(sock, &verdict);
	close(sock);
	return err ? err : (int)verdict.verdict;
}

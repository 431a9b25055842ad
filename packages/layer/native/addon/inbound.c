/* Accept on behalf of a process: for a listener the session watches with
 * accept_on_behalf, accept/accept4 are served here, on the native thread.
 * The supervisor accepts on its copy of the listening socket, installs the
 * connection in the process (ADDFD), writes the peer the session registered
 * for that connection (keyed by the connecting end's port, and address when
 * the registration names one) into the caller's addr/addrlen, and watches the
 * new socket so getpeername says the same. A blocking accept with nothing
 * pending parks: the notification stays unanswered (the caller waits,
 * killably) until the listener is readable, a signal is pending for the
 * caller (ERESTARTSYS), or the caller is gone. */
#define _GNU_SOURCE
#include "supervisor_internal.h"
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* The kernel's "restart the syscall if the handler allows it" (SA_RESTART), as
 * a blocking accept interrupted by a signal returns; see inbound_timer_event. */
#define LAYER_ERESTARTSYS 512
#define SIGNAL_POLL_NS 100000000L

#define ACCEPT_FLAGS (SOCK_NONBLOCK | SOCK_CLOEXEC)

static int is_loopback(const struct inet_key *k)
{
	static const unsigned char v6_loopback[16] = { [15] = 1 };
	return k->v4 ? k->addr[0] == 127 : memcmp(k->addr, v6_loopback, 16) == 0;
}

/* A registration for the connecting end `real`: same port, and the client
 * address it named (or, naming none, a loopback address). */
static int peer_matches(const struct expected_peer *e, const void *ctx)
{
	const struct inet_key *real = ctx;
	if (e->port != real->port)
		return 0;
	if (e->client_len == 0)
		return is_loopback(real);
	struct inet_key c;
	return sockaddr_key(e->client, e->client_len, &c) == 0 && c.v4 == real->v4 && memcmp(c.addr, real->addr, c.v4 ? 4 : 16) == 0;
}

/* The peer the process should see for a connection whose real peer is
 * `real`: the registered one, in the listener's family; else the real one. */
static void reported_peer(struct supervisor *s, const struct sockaddr_storage *real, socklen_t real_len,
	int family, struct name_rule *out)
{
	memset(out, 0, sizeof *out);
	out->answer = NAME_PASS;
	struct inet_key k;
	struct expected_peer e;
	if (sockaddr_key(real, real_len, &k) != 0 || policy_take_peer(&s->policy, peer_matches, &k, &e) != 0)
		return;
	uint32_t n = sockaddr_as_family(e.bytes, e.len, family, out->bytes);
	if (n == 0) { /* an IPv6 peer for an IPv4 listener: as registered */
		n = e.len;
		memcpy(out->bytes, e.bytes, n);
	}
	out->len = n;
	out->answer = NAME_BYTES;
}

/* Writes sockaddr bytes like the kernel: truncated to *lenp, full length
 * reported. 0 or -EFAULT/-EINVAL. */
static int write_sockaddr(pid_t tid, uint64_t addr, uint64_t lenp, const void *bytes, uint32_t len)
{
	if (!addr)
		return 0;
	int32_t room;
	if (!lenp || target_read(tid, lenp, &room, sizeof room) != 0)
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	uint32_t n = len < (uint32_t)room ? len : (uint32_t)room;
	if ((n && target_write(tid, addr, bytes, n) != (ssize_t)n)
		|| target_write(tid, lenp, &len, sizeof len) != (ssize_t)sizeof len)
		return -EFAULT;
	return 0;
}

/* One attempt. Returns 1 when the notification is answered (or gone), 0
 * when nothing is pending. */
static int serve_accept(struct supervisor *s, struct listener *l, uint64_t id, pid_t tid, pid_t tgid, int nr,
	const uint64_t *args, const struct watched_socket *w, int dupfd)
{
	int flags = 0;
#ifdef SYS_accept
	if (nr != SYS_accept)
#endif
		flags = (int)args[3];
	if (flags & ~ACCEPT_FLAGS) {
		answer_native(s, l, id, EINVAL, 0);
		return 1;
	}
	/* Our copy shares the file (and its O_NONBLOCK) with the process: ask
	 * first, so a blocking listener never blocks this thread. */
	struct pollfd pfd = { .fd = dupfd, .events = POLLIN };
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	struct sockaddr_storage real;
	socklen_t real_len = sizeof real;
	int nfd = accept4(dupfd, (struct sockaddr *)&real, &real_len, SOCK_CLOEXEC | (flags & SOCK_NONBLOCK));
	if (nfd < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0; /* someone else took it */
		answer_native(s, l, id, errno, 0);
		return 1;
	}
	if (!listener_id_valid(l, id)) {
		close(nfd); /* the caller is gone: the connection goes with it, as natively */
		STAT_ADD(s, vanished);
		return 1;
	}
	struct watched_socket conn = { .tgid = tgid };
	reported_peer(s, &real, real_len, real.ss_family, &conn.peer);
	const void *peer = conn.peer.answer == NAME_BYTES ? (const void *)conn.peer.bytes : (const void *)&real;
	uint32_t peer_len = conn.peer.answer == NAME_BYTES ? conn.peer.len : real_len;
	int err = write_sockaddr(tid, args[1], args[2], peer, peer_len);
	if (err) {
		close(nfd);
		answer_native(s, l, id, -err, 0);
		return 1;
	}
	/* The connection's local end: the real address with the port the
	 * listener asked for, when the session tells it another one. */
	struct inet_key asked;
	if (w->local.answer == NAME_BYTES && sockaddr_key(w->local.bytes, w->local.len, &asked) == 0) {
		socklen_t ll = sizeof conn.local.bytes;
		if (getsockname(nfd, (struct sockaddr *)conn.local.bytes, &ll) == 0 && ll <= sizeof conn.local.bytes) {
			sockaddr_set_port(conn.local.bytes, ll, asked.port);
			conn.local.len = ll;
			conn.local.answer = NAME_BYTES;
		}
	}
	/* Installed first and answered second, so the socket is watched before
	 * the process can ask for its peer. */
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.srcfd = (uint32_t)nfd,
		.newfd_flags = (flags & SOCK_CLOEXEC) ? O_CLOEXEC : 0,
	};
	int tfd = ioctl(l->fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	if (tfd < 0) {
		int e = errno;
		close(nfd);
		if (e == ENOENT)
			STAT_ADD(s, vanished);
		else
			answer_native(s, l, id, e, 0); /* EMFILE: as the kernel would say */
		return 1;
	}
	if (conn.peer.answer != NAME_PASS || conn.local.answer != NAME_PASS) {
		struct stat st;
		conn.fd = tfd;
		if (fstat(nfd, &st) == 0) {
			conn.inode = (uint64_t)st.st_ino;
			policy_set_watched(&s->policy, tgid, tfd, &conn);
		}
	}
	close(nfd);
	STAT_ADD(s, accepted);
	answer_native(s, l, id, 0, tfd);
	return 1;
}

static void waiter_drop(struct supervisor *s, struct accept_waiter *wt)
{
	if (wt->dead)
		return;
	wt->dead = 1;
	epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, wt->dupfd, NULL);
	epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, wt->pidfd, NULL);
	close(wt->dupfd);
	close(wt->pidfd);
	for (struct accept_waiter **pp = &s->waiters; *pp; pp = &(*pp)->next)
		if (*pp == wt) {
			*pp = wt->next;
			break;
		}
	wt->next = s->graveyard;
	s->graveyard = wt;
	__atomic_sub_fetch(&s->stats.waiting_accepts, 1, __ATOMIC_RELAXED);
}

static void arm_timer(struct supervisor *s, int on)
{
	if (s->waiter_timer < 0) {
		if (!on)
			return;
		s->waiter_timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (s->waiter_timer < 0)
			return;
		s->timer_h.kind = H_ACCEPT_TIMER;
		struct epoll_event te = { .events = EPOLLIN, .data.ptr = &s->timer_h };
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->waiter_timer, &te) != 0) {
			close(s->waiter_timer);
			s->waiter_timer = -1;
			return;
		}
	}
	struct itimerspec t = { { 0, on ? SIGNAL_POLL_NS : 0 }, { 0, on ? SIGNAL_POLL_NS : 0 } };
	timerfd_settime(s->waiter_timer, 0, &t, NULL);
}

/* Whether the parked thread has a signal to handle that the kernel has
 * flagged on *it*: directed at the thread, or at a process of one thread,
 * and not blocked. Only then is ERESTARTSYS safe (it must never reach the
 * program as errno 512). */
static int signal_pending_for(pid_t tgid, pid_t tid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)tgid, (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	unsigned long long thread = 0, shared = 0, blocked = 0;
	long threads = 0;
	const char *p;
	if ((p = strstr(buf, "\nThreads:")))
		threads = strtol(p + 9, NULL, 10);
	if ((p = strstr(buf, "\nSigPnd:")))
		thread = strtoull(p + 8, NULL, 16);
	if ((p = strstr(buf, "\nShdPnd:")))
		shared = strtoull(p + 8, NULL, 16);
	if ((p = strstr(buf, "\nSigBlk:")))
		blocked = strtoull(p + 8, NULL, 16);
	unsigned long long pending = thread | (threads == 1 ? shared : 0);
	return (pending & ~blocked) != 0;
}

void inbound_timer_event(struct supervisor *s)
{
	uint64_t ticks;
	if (read(s->waiter_timer, &ticks, sizeof ticks) < 0) {
		/* spurious wake-up */
	}
	if (!s->waiters) {
		arm_timer(s, 0);
		return;
	}
	for (struct accept_waiter *wt = s->waiters, *next; wt; wt = next) {
		next = wt->next;
		pthread_mutex_lock(&s->lock);
		struct listener *l = listener_find(s, wt->listener);
		pthread_mutex_unlock(&s->lock);
		/* The thread may be gone while its process lives on (another thread
		 * exec'd): its copy of the listener must not outlive it. */
		if (!l || !listener_id_valid(l, wt->id)) {
			waiter_drop(s, wt);
			continue;
		}
		if (!signal_pending_for(wt->tgid, wt->tid))
			continue;
		answer_native(s, l, wt->id, LAYER_ERESTARTSYS, 0);
		waiter_drop(s, wt);
	}
}

static int park(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct watched_socket *w, int dupfd)
{
	struct accept_waiter *wt = calloc(1, sizeof *wt);
	int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (!wt || pidfd < 0) {
		free(wt);
		if (pidfd >= 0)
			close(pidfd);
		return -ENOMEM;
	}
	wt->sock_h.kind = H_ACCEPT_SOCK;
	wt->pid_h.kind = H_ACCEPT_PID;
	wt->listener = l->id;
	wt->id = req->id;
	wt->tid = (pid_t)req->pid;
	wt->tgid = tgid;
	wt->nr = req->data.nr;
	memcpy(wt->args, req->data.args, sizeof wt->args);
	wt->dupfd = dupfd;
	wt->pidfd = pidfd;
	wt->w = *w;
	struct epoll_event se = { .events = EPOLLIN, .data.ptr = &wt->sock_h };
	struct epoll_event pe = { .events = EPOLLIN, .data.ptr = &wt->pid_h };
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, dupfd, &se) != 0) {
		close(pidfd);
		free(wt);
		return -errno;
	}
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, pidfd, &pe) != 0) {
		epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, dupfd, NULL);
		close(pidfd);
		free(wt);
		return -errno;
	}
	wt->next = s->waiters;
	s->waiters = wt;
	__atomic_add_fetch(&s->stats.waiting_accepts, 1, __ATOMIC_RELAXED);
	arm_timer(s, 1);
	return 0;
}

int inbound_accept(struct supervisor *s, struct listener *l, const struct seccomp_notif *req, pid_t tgid,
	const struct layer_syscall *sc, const struct watched_socket *w)
{
	(void)sc;
	int dupfd = target_getfd(tgid, (int)req->data.args[0]);
	if (dupfd < 0)
		return 1; /* the kernel reports EBADF itself */
	if (serve_accept(s, l, req->id, (pid_t)req->pid, tgid, req->data.nr, (const uint64_t *)req->data.args, w, dupfd)) {
		close(dupfd);
		return 2;
	}
	int fl = fcntl(dupfd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK)) {
		close(dupfd);
		answer_native(s, l, req->id, EAGAIN, 0);
		return 2;
	}
	if (park(s, l, req, tgid, w, dupfd) != 0) {
		close(dupfd);
		return 1; /* out of resources: the kernel accepts, with the real peer */
	}
	return 2;
}

void inbound_waiter_event(struct supervisor *s, struct handle *h)
{
	struct accept_waiter *wt = h->kind == H_ACCEPT_SOCK
		? (struct accept_waiter *)((char *)h - offsetof(struct accept_waiter, sock_h))
		: (struct accept_waiter *)((char *)h - offsetof(struct accept_waiter, pid_h));
	if (wt->dead)
		return;
	pthread_mutex_lock(&s->lock);
	struct listener *l = listener_find(s, wt->listener);
	pthread_mutex_unlock(&s->lock); /* listeners are removed only by this thread */
	if (!l || h->kind == H_ACCEPT_PID || !listener_id_valid(l, wt->id)) {
		waiter_drop(s, wt);
		return;
	}
	if (serve_accept(s, l, wt->id, wt->tid, wt->tgid, wt->nr, wt->args, &wt->w, wt->dupfd))
		waiter_drop(s, wt);
}

void inbound_drop_listener(struct supervisor *s, uint32_t listener)
{
	for (struct accept_waiter *wt = s->waiters, *next; wt; wt = next) {
		next = wt->next;
		if (wt->listener == listener)
			waiter_drop(s, wt);
	}
}

void inbound_drop_all(struct supervisor *s)
{
	while (s->waiters)
		waiter_drop(s, s->waiters);
	inbound_reap(s);
	if (s->waiter_timer >= 0) {
		epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, s->waiter_timer, NULL);
		close(s->waiter_timer);
		s->waiter_timer = -1;
	}
}

void inbound_reap(struct supervisor *s)
{
	while (s->graveyard) {
		struct accept_waiter *wt = s->graveyard;
		s->graveyard = wt->next;
		free(wt);
	}
}

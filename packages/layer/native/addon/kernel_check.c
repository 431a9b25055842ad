#define _GNU_SOURCE
#include "kernel_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

static int install_listener(unsigned long flags)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER | flags, &prog);
}

/* ADDFD for a notification id that does not exist: ENOENT means the ioctl
 * and its flags were understood. */
static int addfd_known(int listener, unsigned flags)
{
	struct seccomp_notif_addfd addfd = { .id = 0, .flags = flags, .srcfd = 0 };
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 && errno == ENOENT;
}

/* Runs in the forked child: raw syscalls only, then _exit. */
static void probe(struct kernel_features *f)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return;
	int listener = install_listener(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	if (listener >= 0) {
		f->user_notif = f->wait_killable_recv = 1;
	} else {
		listener = install_listener(0);
		f->user_notif = listener >= 0;
	}
	if (listener >= 0) {
		f->addfd = addfd_known(listener, 0);
		f->addfd_send = addfd_known(listener, SECCOMP_ADDFD_FLAG_SEND);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	f->pidfd_getfd = pidfd >= 0 && syscall(SYS_pidfd_getfd, pidfd, 0, 0) >= 0;
}

int kernel_check(struct kernel_features *out)
{
	memset(out, 0, sizeof *out);
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(out->release, sizeof out->release, "%.64s", u.release);
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -errno;
	pid_t child = fork();
	if (child < 0) {
		int err = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	if (child == 0) {
		struct kernel_features f = { 0 };
		probe(&f);
		ssize_t n = write(pipefd[1], &f, sizeof f);
		_exit(n == (ssize_t)sizeof f ? 0 : 1);
	}
	close(pipefd[1]);
	struct kernel_features f;
	ssize_t n;
	do
		n = read(pipefd[0], &f, sizeof f);
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof f)
		return -EPROTO;
	memcpy(out, &f, offsetof(struct kernel_features, release));
	return 0;
}

#define _GNU_SOURCE
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096u

int target_tgid(pid_t tid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	const char *line = strstr(buf, "\nTgid:");
	return line ? atoi(line + 6) : -ESRCH;
}

uint64_t target_start_time(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields count from the last ')'. */
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

static ssize_t read_some(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	return n < 0 ? -errno : n;
}

int target_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		/* One page at a time: a read that crosses into an unmapped page fails whole. */
		size_t chunk = PAGE - ((addr + done) % PAGE);
		if (chunk > len - done)
			chunk = len - done;
		ssize_t n = read_some(pid, addr + done, (char *)buf + done, chunk);
		if (n <= 0)
			return n < 0 ? (int)n : -EFAULT;
		done += (size_t)n;
	}
	return 0;
}

int target_read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t done = 0;
	while (done < size - 1) {
		size_t chunk = PAGE - ((addr + done) % PAGE);
		if (chunk > size - 1 - done)
			chunk = size - 1 - done;
		ssize_t n = read_some(pid, addr + done, buf + done, chunk);
		if (n <= 0)
			return n < 0 ? (int)n : -EFAULT;
		char *nul = memchr(buf + done, '\0', (size_t)n);
		if (nul)
			return 0;
		done += (size_t)n;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}

ssize_t target_write(pid_t pid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(pid, &local, 1, &remote, 1, 0);
	return n < 0 ? -errno : n;
}

int target_getfd(pid_t tgid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd < 0)
		return -errno;
	int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	int err = errno;
	close(pidfd);
	return copy < 0 ? -err : copy;
}

uint64_t target_fd_inode(pid_t tgid, int fd)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tgid, fd);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

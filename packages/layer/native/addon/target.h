/* Access to a trapped process: its thread group, its memory, its fds. */
#ifndef MIRRORD_ADDON_TARGET_H
#define MIRRORD_ADDON_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Thread group of a thread id (`Tgid:` in /proc/<tid>/status), or -errno. */
int target_tgid(pid_t tid);
/* Start time of a process (field 22 of /proc/<pid>/stat): with the pid, an
 * identity that survives pid reuse. 0 when unknown. */
uint64_t target_start_time(pid_t pid);
/* Reads exactly len bytes (page by page), 0 or -errno. */
int target_read(pid_t pid, uint64_t addr, void *buf, size_t len);
/* Reads a NUL-terminated string of at most size-1 bytes; 0, -ENAMETOOLONG or -errno. */
int target_read_string(pid_t pid, uint64_t addr, char *buf, size_t size);
/* Bytes written or -errno. */
ssize_t target_write(pid_t pid, uint64_t addr, const void *buf, size_t len);
/* Duplicates the target's fd into this process (pidfd_getfd), or -errno. */
int target_getfd(pid_t tgid, int fd);
/* Inode of the target's fd (a socket's identity: fd numbers get reused), or 0. */
uint64_t target_fd_inode(pid_t tgid, int fd);

#endif

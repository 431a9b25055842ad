/* Builds and installs the seccomp user-notification filter. */
#ifndef MIRRORD_LAYER_FILTER_H
#define MIRRORD_LAYER_FILTER_H

/* Installs a filter trapping the syscalls of `groups` (LAYER_GROUP_*) and
 * failing io_uring_setup with ENOSYS, for every thread of the process.
 * Returns the notify fd, or -errno. Sets no_new_privs first. */
int layer_install_filter(unsigned groups);

#endif

/* Probes the kernel features the layer needs, in a throwaway child (a filter
 * can only be tried by installing it). */
#ifndef MIRRORD_ADDON_KERNEL_CHECK_H
#define MIRRORD_ADDON_KERNEL_CHECK_H

struct kernel_features {
	int user_notif;         /* SECCOMP_RET_USER_NOTIF + NEW_LISTENER (5.0) */
	int wait_killable_recv; /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19) */
	int addfd;              /* SECCOMP_IOCTL_NOTIF_ADDFD (5.9) */
	int addfd_send;         /* SECCOMP_ADDFD_FLAG_SEND (5.14) */
	int pidfd_getfd;        /* pidfd_open + pidfd_getfd (5.6) */
	char release[65];       /* uname -r */
};

/* 0 or -errno (the probe itself failed). */
int kernel_check(struct kernel_features *out);

#endif

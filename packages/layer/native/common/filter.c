#define _GNU_SOURCE
#include "filter.h"
#include "syscalls.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

#if defined(__x86_64__)
#define LAYER_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define LAYER_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "the layer supports x86_64 and aarch64"
#endif

/* Tiny assembler: classic BPF only jumps forward, by 8-bit offsets, so jumps
 * name a label and are resolved once every instruction is placed. */
enum label { L_NEXT = 0, L_ALLOW, L_NOTIFY, L_ENOSYS, L_SENDTO, L_SENDMSG, L_RECVFROM, L_COUNT };
#define MAX_INSNS 128

struct program {
	struct sock_filter insn[MAX_INSNS];
	enum label jt[MAX_INSNS], jf[MAX_INSNS];
	int at[L_COUNT];
	int len;
};

static void emit(struct program *p, unsigned short code, unsigned k, enum label jt, enum label jf)
{
	if (p->len >= MAX_INSNS)
		return;
	p->insn[p->len] = (struct sock_filter){ code, 0, 0, k };
	p->jt[p->len] = jt;
	p->jf[p->len] = jf;
	p->len++;
}

static void place(struct program *p, enum label l) { p->at[l] = p->len; }

static int resolve(struct program *p)
{
	for (int i = 0; i < p->len; i++) {
		if (BPF_CLASS(p->insn[i].code) != BPF_JMP)
			continue;
		if (BPF_OP(p->insn[i].code) == BPF_JA) {
			p->insn[i].k = (unsigned)(p->at[p->jt[i]] - i - 1);
			continue;
		}
		int t = p->jt[i] == L_NEXT ? i + 1 : p->at[p->jt[i]];
		int f = p->jf[i] == L_NEXT ? i + 1 : p->at[p->jf[i]];
		if (t <= i || f <= i || t - i - 1 > 255 || f - i - 1 > 255)
			return -EINVAL;
		p->insn[i].jt = (unsigned char)(t - i - 1);
		p->insn[i].jf = (unsigned char)(f - i - 1);
	}
	return p->len >= MAX_INSNS ? -E2BIG : 0;
}

#define ARG_LO(n) (unsigned)offsetof(struct seccomp_data, args[n])
#define ARG_HI(n) (unsigned)(offsetof(struct seccomp_data, args[n]) + 4)

static void build(struct program *p, unsigned groups)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, LAYER_AUDIT_ARCH, L_NEXT, L_ALLOW);
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), L_NEXT, L_NEXT);
#ifdef __x86_64__
	/* x32 numbers are another ABI the table does not describe. */
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, L_ALLOW, L_NEXT);
#endif
	/* io_uring performs connects and opens that never pass through here;
	 * programs fall back to plain syscalls when it is missing. */
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, L_ENOSYS, L_NEXT);
	for (size_t i = 0; i < layer_syscall_count; i++) {
		const struct layer_syscall *s = &layer_syscalls[i];
		if (!(s->group & groups))
			continue;
		enum label to = s->trap == LAYER_TRAP_SENDTO_WITH_ADDR ? L_SENDTO
			: s->trap == LAYER_TRAP_SENDMSG_FASTOPEN ? L_SENDMSG
			: s->trap == LAYER_TRAP_RECVFROM_WITH_ADDR ? L_RECVFROM : L_NOTIFY;
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)s->nr, to, L_NEXT);
	}
	emit(p, BPF_JMP | BPF_JA, 0, L_ALLOW, L_ALLOW);

	/* sendto: only with a destination address or MSG_FASTOPEN. The layer's own
	 * handshake uses sendmsg without flags, so it is never trapped. */
	place(p, L_SENDTO);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(4), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, L_NEXT, L_NOTIFY);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_HI(4), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, L_NEXT, L_NOTIFY);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(3), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JSET | BPF_K, MSG_FASTOPEN, L_NOTIFY, L_ALLOW);

	place(p, L_SENDMSG);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(2), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JSET | BPF_K, MSG_FASTOPEN, L_NOTIFY, L_ALLOW);

	/* recvfrom: only with a source-address buffer (what a resolver checks);
	 * read/recv/recvfrom(..., NULL, NULL) never leave the kernel. */
	place(p, L_RECVFROM);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(4), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, L_NEXT, L_NOTIFY);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_HI(4), L_NEXT, L_NEXT);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, L_ALLOW, L_NOTIFY);

	place(p, L_ALLOW);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, L_NEXT, L_NEXT);
	place(p, L_NOTIFY);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF, L_NEXT, L_NEXT);
	place(p, L_ENOSYS);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA), L_NEXT, L_NEXT);
}

int layer_install_filter(unsigned groups)
{
	static struct program p;
	p.len = 0;
	build(&p, groups);
	int err = resolve(&p);
	if (err)
		return err;
	struct sock_fprog prog = { .len = (unsigned short)p.len, .filter = p.insn };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	/* WAIT_KILLABLE_RECV: once the supervisor has a notification, signals
	 * (Go's SIGURG preemption) must not restart the syscall under it. TSYNC:
	 * threads a preloaded library may already have started get it too. */
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
		| SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	return fd < 0 ? -errno : (int)fd;
}

/* libmirrord_layer.so: LD_PRELOAD constructor that puts a dynamic executable
 * under the session's seccomp filter before main() runs, and a connect()
 * wrapper whose only job is to say so when the session has gone away. */
#define _GNU_SOURCE
#include "../common/handshake.h"
#include "../common/lineage.h"
#include "../common/wire.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Set once this process runs under a filter the session serves. */
static int under_filter;
static char session_socket[108];

static void self_exe(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* glibc passes argc/argv/envp to constructors in .init_array. */
__attribute__((constructor)) static void mirrord_layer_init(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *socket_path = getenv(LAYER_ENV_SOCKET);
	if (!socket_path || !*socket_path)
		return;
	char exe[PATH_MAX];
	self_exe(exe, sizeof exe);

	if (layer_filter_inherited()) {
		/* Exec'd by an intercepted process: the filter (and its notify fd in
		 * the session) came along. Stacking a second one would trap every call
		 * twice; announce ourselves so the session can apply skip_processes. */
		under_filter = 1;
		snprintf(session_socket, sizeof session_socket, "%s", socket_path);
		int r = layer_announce(socket_path, exe, argc, argv);
		if (r < 0)
			fprintf(stderr, "mirrord layer: could not announce %s to the session at %s: %s\n", exe, socket_path, strerror(-r));
		return;
	}

	int r = layer_attach(socket_path, LAYER_HELLO_PRELOAD, exe, argc, argv);
	under_filter = r == 1 || r == -ENOTCONN;
	snprintf(session_socket, sizeof session_socket, "%s", socket_path);
	if (r == 1) {
		layer_mark_lineage();
	} else if (r == -ENOTCONN) {
		layer_mark_lineage();
		fprintf(stderr, "mirrord layer: the session at %s went away while %s attached; its network and file calls will fail with ENOSYS\n", socket_path, exe);
	} else if (r < 0) {
		fprintf(stderr, "mirrord layer: not intercepting %s: cannot reach the session at %s: %s\n", exe, socket_path, strerror(-r));
	}
}

/* With no supervisor left, the kernel fails every trapped syscall with ENOSYS,
 * which connect() never returns otherwise: a reliable sign to tell the user
 * once. (Static programs do not load this library; they only see ENOSYS.) */
static void warn_session_gone(void)
{
	static int warned;
	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	char line[256];
	int n = snprintf(line, sizeof line,
		"mirrord layer: the session (%s) is gone; this process's network calls now fail with ENOSYS\n", session_socket);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0) {
		/* nowhere left to report to */
	}
}

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

__attribute__((visibility("default"))) int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	static connect_fn next;
	if (!next)
		next = (connect_fn)dlsym(RTLD_NEXT, "connect");
	int r = next ? next(fd, addr, len) : (int)syscall(SYS_connect, fd, addr, len);
	if (r < 0 && errno == ENOSYS && under_filter) {
		int saved = errno;
		warn_session_gone();
		errno = saved;
	}
	return r;
}

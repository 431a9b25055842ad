/* libmirrord_layer.so: LD_PRELOAD constructor that puts a dynamic executable
 * under the session's seccomp filter before main() runs. */
#define _GNU_SOURCE
#include "../common/handshake.h"
#include "../common/lineage.h"
#include "../common/wire.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		int r = layer_announce(socket_path, exe, argc, argv);
		if (r < 0)
			fprintf(stderr, "mirrord layer: could not announce %s to the session at %s: %s\n", exe, socket_path, strerror(-r));
		return;
	}

	int r = layer_attach(socket_path, LAYER_HELLO_PRELOAD, exe, argc, argv);
	if (r == 1) {
		layer_mark_lineage();
	} else if (r == -ENOTCONN) {
		layer_mark_lineage();
		fprintf(stderr, "mirrord layer: the session at %s went away while %s attached; its network and file calls will fail with ENOSYS\n", socket_path, exe);
	} else if (r < 0) {
		fprintf(stderr, "mirrord layer: not intercepting %s: cannot reach the session at %s: %s\n", exe, socket_path, strerror(-r));
	}
}

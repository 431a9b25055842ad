/* mirrord-layer-exec <socket> -- cmd args...
 * Puts any executable (static Go included) under the session's filter: attach
 * first (after the filter our own connect would be trapped), then exec. */
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

/* execvp's PATH search, done up front so the hello names the real program. */
static int resolve(const char *cmd, char *out, size_t size)
{
	if (strchr(cmd, '/')) {
		snprintf(out, size, "%s", cmd);
		return access(out, X_OK) == 0 ? 0 : -errno;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchrnul(path, ':');
		int dir_len = (int)(end - path);
		snprintf(out, size, "%.*s/%s", dir_len ? dir_len : 1, dir_len ? path : ".", cmd);
		if (access(out, X_OK) == 0)
			return 0;
		path = *end ? end + 1 : end;
	}
	return -ENOENT;
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: mirrord-layer-exec <session socket> -- <command> [args...]\n");
		return 2;
	}
	const char *socket_path = argv[1];
	char **cmd = argv + 3;
	int cmd_argc = argc - 3;
	char exe[PATH_MAX];
	int err = resolve(cmd[0], exe, sizeof exe);
	if (err) {
		fprintf(stderr, "mirrord-layer-exec: %s: %s\n", cmd[0], strerror(-err));
		return 127;
	}

	if (!layer_filter_inherited()) {
		int r = layer_attach(socket_path, LAYER_HELLO_LAUNCHER, exe, cmd_argc, cmd);
		if (r == -ENOTCONN) {
			fprintf(stderr, "mirrord-layer-exec: the session at %s went away during the handshake; not starting %s\n", socket_path, cmd[0]);
			return 126;
		}
		if (r < 0) {
			fprintf(stderr, "mirrord-layer-exec: cannot reach the session at %s: %s\n", socket_path, strerror(-r));
			return 126;
		}
		if (r == 1)
			layer_mark_lineage();
	}
	/* Dynamic children that also preload the library find the marker. */
	setenv(LAYER_ENV_SOCKET, socket_path, 1);
	execv(exe, cmd);
	fprintf(stderr, "mirrord-layer-exec: cannot run %s: %s\n", exe, strerror(errno));
	return 127;
}

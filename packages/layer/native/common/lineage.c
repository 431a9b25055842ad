#define _GNU_SOURCE
#include "lineage.h"
#include "wire.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int seccomp_filter_count(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *line = strstr(buf, "\nSeccomp_filters:");
	if (line)
		return atoi(line + strlen("\nSeccomp_filters:"));
	line = strstr(buf, "\nSeccomp:");
	return line && atoi(line + strlen("\nSeccomp:")) == 2 ? 1 : 0;
}

int layer_filter_inherited(void)
{
	const char *marker = getenv(LAYER_ENV_ACTIVE);
	return marker && *marker && seccomp_filter_count() > 0;
}

void layer_mark_lineage(void)
{
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv(LAYER_ENV_ACTIVE, pid, 1);
}

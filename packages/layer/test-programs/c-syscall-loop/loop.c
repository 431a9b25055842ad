/* loop getsockname <count> | loop connect <port> <count>
 * Times one syscall kind in a tight loop and prints nanoseconds per call,
 * for the layer benchmark (the pass-through cost of one trapped syscall). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int connect_mode = strcmp(argv[1], "connect") == 0;
	long count = atol(argv[connect_mode ? 3 : 2]);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect_mode)
		addr.sin_port = htons((unsigned short)atoi(argv[2]));
	int probe = socket(AF_INET, SOCK_STREAM, 0);
	double start = now_ns();
	for (long i = 0; i < count; i++) {
		if (connect_mode) {
			int s = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) {
				perror("connect");
				return 1;
			}
			close(s);
		} else {
			struct sockaddr_in out;
			socklen_t len = sizeof out;
			getsockname(probe, (struct sockaddr *)&out, &len);
		}
	}
	printf("%.0f\n", (now_ns() - start) / count);
	return 0;
}

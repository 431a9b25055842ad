/* loop getsockname <count> | loop connect <port> <count>
 *   | loop udp <count> | loop udp-noaddr <count> | loop udp-redirected <port> <count>
 * Times one syscall kind in a tight loop and prints nanoseconds per call,
 * for the layer benchmark (the pass-through cost of one trapped syscall).
 * udp: send one datagram on a connected socket and recvfrom it with a source
 * buffer (trapped, passed natively); udp-noaddr: the same with recvfrom(NULL)
 * (never trapped); udp-redirected: the receiving socket first connects to
 * 203.0.113.10:53, which the session redirects to 127.0.0.1:<port> where
 * the sender is bound, so every recvfrom is answered natively with the
 * source rewritten (checked).
 * accept: connect to an own loopback listener and accept, per round. */
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

static int udp_loop(const char *mode, int port, long count)
{
	int redirected = strcmp(mode, "udp-redirected") == 0;
	int with_addr = strcmp(mode, "udp-noaddr") != 0;
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in rx_addr, tx_addr = any, remote = { .sin_family = AF_INET, .sin_port = htons(53) };
	socklen_t len = sizeof rx_addr;
	inet_pton(AF_INET, "203.0.113.10", &remote.sin_addr);
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (redirected)
		tx_addr.sin_port = htons((unsigned short)port);
	if (bind(rx, (struct sockaddr *)&any, sizeof any) != 0 || bind(tx, (struct sockaddr *)&tx_addr, sizeof tx_addr) != 0
		|| (redirected && connect(rx, (struct sockaddr *)&remote, sizeof remote) != 0)
		|| getsockname(rx, (struct sockaddr *)&rx_addr, &len) != 0
		|| connect(tx, (struct sockaddr *)&rx_addr, sizeof rx_addr) != 0) {
		perror("udp setup");
		return 1;
	}
	char buf[64];
	double start = now_ns();
	for (long i = 0; i < count; i++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		if (send(tx, "x", 1, 0) != 1) {
			perror("send");
			return 1;
		}
		ssize_t n = with_addr ? recvfrom(rx, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) : recvfrom(rx, buf, sizeof buf, 0, NULL, NULL);
		if (n != 1 || (redirected && (from.sin_addr.s_addr != remote.sin_addr.s_addr || from.sin_port != remote.sin_port))) {
			fprintf(stderr, "recvfrom: %zd, source not rewritten\n", n);
			return 1;
		}
	}
	printf("%.0f\n", (now_ns() - start) / count);
	return 0;
}

static int accept_loop(long count)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof addr;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(ls, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(ls, 16) != 0
		|| getsockname(ls, (struct sockaddr *)&addr, &len) != 0) {
		perror("listen");
		return 1;
	}
	double start = now_ns();
	for (long i = 0; i < count; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in peer;
		socklen_t pl = sizeof peer;
		if (connect(c, (struct sockaddr *)&addr, sizeof addr) != 0) {
			perror("connect");
			return 1;
		}
		int a = accept(ls, (struct sockaddr *)&peer, &pl);
		if (a < 0) {
			perror("accept");
			return 1;
		}
		close(a);
		close(c);
	}
	printf("%.0f\n", (now_ns() - start) / count);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "accept") == 0)
		return accept_loop(atol(argv[2]));
	if (strncmp(argv[1], "udp", 3) == 0) {
		int port = strcmp(argv[1], "udp-redirected") == 0 ? atoi(argv[2]) : 0;
		return udp_loop(argv[1], port, atol(argv[port ? 3 : 2]));
	}
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

/* Decoding of socket addresses read from a trapped process. */
#ifndef MIRRORD_ADDON_SOCKADDR_H
#define MIRRORD_ADDON_SOCKADDR_H

#include <netinet/in.h>
#include <stdint.h>

#define SOCKADDR_RAW_MAX 128

struct decoded_addr {
	int family;             /* AF_* as read */
	int is_inet;            /* AF_INET, or AF_INET6 long enough to hold an address */
	int is_local;           /* loopback or unspecified: never leaves the machine */
	int has_ipv4;           /* AF_INET, or AF_INET6 holding ::ffff:a.b.c.d */
	uint16_t port;          /* host order */
	char address[INET6_ADDRSTRLEN];
	char ipv4[INET_ADDRSTRLEN];
};

void sockaddr_decode(const unsigned char *raw, uint32_t len, struct decoded_addr *out);

/* An IPv4 or IPv6 address and port, IPv4-mapped IPv6 folded to IPv4. */
struct inet_key {
	int v4;
	unsigned char addr[16];
	uint16_t port; /* host order */
};
/* 0, or -1 when raw is not AF_INET/AF_INET6. */
int sockaddr_key(const void *raw, uint32_t len, struct inet_key *out);
/* Same address and port (an IPv4 address equals its mapped IPv6 form). */
int sockaddr_same(const void *a, uint32_t alen, const void *b, uint32_t blen);
/* Writes raw in `family` (AF_INET or AF_INET6: IPv4 is mapped to ::ffff:a.b.c.d
 * and back) into out (>= 28 bytes); returns its length, 0 when it cannot. */
uint32_t sockaddr_as_family(const void *raw, uint32_t len, int family, unsigned char *out);
/* Replaces the port of an AF_INET/AF_INET6 sockaddr in place. */
void sockaddr_set_port(void *raw, uint32_t len, uint16_t port);

#endif

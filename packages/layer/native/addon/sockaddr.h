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

#endif

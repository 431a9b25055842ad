#include "sockaddr.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

static int ipv4_is_local(const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);
	return (h >> 24) == 127 || h == 0;
}

void sockaddr_decode(const unsigned char *raw, uint32_t len, struct decoded_addr *out)
{
	memset(out, 0, sizeof *out);
	if (len < sizeof(sa_family_t))
		return;
	sa_family_t family;
	memcpy(&family, raw, sizeof family);
	out->family = family;
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;
		memcpy(&sin, raw, sizeof sin);
		out->is_inet = out->has_ipv4 = 1;
		out->port = ntohs(sin.sin_port);
		out->is_local = ipv4_is_local(&sin.sin_addr);
		inet_ntop(AF_INET, &sin.sin_addr, out->address, sizeof out->address);
		memcpy(out->ipv4, out->address, sizeof out->ipv4);
	} else if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, raw, sizeof sin6);
		out->is_inet = 1;
		out->port = ntohs(sin6.sin6_port);
		inet_ntop(AF_INET6, &sin6.sin6_addr, out->address, sizeof out->address);
		if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
			/* ::ffff:a.b.c.d reaches the IPv4 address: judge it as such. */
			struct in_addr v4;
			memcpy(&v4, &sin6.sin6_addr.s6_addr[12], sizeof v4);
			out->has_ipv4 = 1;
			out->is_local = ipv4_is_local(&v4);
			inet_ntop(AF_INET, &v4, out->ipv4, sizeof out->ipv4);
		} else {
			out->is_local = IN6_IS_ADDR_LOOPBACK(&sin6.sin6_addr) || IN6_IS_ADDR_UNSPECIFIED(&sin6.sin6_addr);
		}
	}
}

int sockaddr_key(const void *raw, uint32_t len, struct inet_key *out)
{
	memset(out, 0, sizeof *out);
	sa_family_t family;
	if (len < sizeof family)
		return -1;
	memcpy(&family, raw, sizeof family);
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;
		memcpy(&sin, raw, sizeof sin);
		out->v4 = 1;
		memcpy(out->addr, &sin.sin_addr, 4);
		out->port = ntohs(sin.sin_port);
		return 0;
	}
	if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, raw, sizeof sin6);
		out->port = ntohs(sin6.sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
			out->v4 = 1;
			memcpy(out->addr, &sin6.sin6_addr.s6_addr[12], 4);
		} else {
			memcpy(out->addr, &sin6.sin6_addr, 16);
		}
		return 0;
	}
	return -1;
}

int sockaddr_same(const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	struct inet_key ka, kb;
	if (sockaddr_key(a, alen, &ka) != 0 || sockaddr_key(b, blen, &kb) != 0)
		return 0;
	return ka.v4 == kb.v4 && ka.port == kb.port && memcmp(ka.addr, kb.addr, ka.v4 ? 4 : 16) == 0;
}

uint32_t sockaddr_as_family(const void *raw, uint32_t len, int family, unsigned char *out)
{
	struct inet_key k;
	if (sockaddr_key(raw, len, &k) != 0)
		return 0;
	if (family == AF_INET) {
		if (!k.v4)
			return 0;
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(k.port) };
		memcpy(&sin.sin_addr, k.addr, 4);
		memcpy(out, &sin, sizeof sin);
		return sizeof sin;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(k.port) };
		if (k.v4) {
			sin6.sin6_addr.s6_addr[10] = sin6.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6.sin6_addr.s6_addr[12], k.addr, 4);
		} else {
			memcpy(&sin6.sin6_addr, k.addr, 16);
		}
		memcpy(out, &sin6, sizeof sin6);
		return sizeof sin6;
	}
	return 0;
}

void sockaddr_set_port(void *raw, uint32_t len, uint16_t port)
{
	sa_family_t family;
	if (len < sizeof family)
		return;
	memcpy(&family, raw, sizeof family);
	uint16_t net = htons(port);
	if (family == AF_INET && len >= sizeof(struct sockaddr_in))
		memcpy((char *)raw + offsetof(struct sockaddr_in, sin_port), &net, sizeof net);
	else if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		memcpy((char *)raw + offsetof(struct sockaddr_in6, sin6_port), &net, sizeof net);
}

#include "sockaddr.h"

#include <arpa/inet.h>
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

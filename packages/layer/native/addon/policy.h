/* The pass-through policy the session pushes down: everything it matches is
 * answered CONTINUE on the native thread without waking JavaScript. */
#ifndef MIRRORD_ADDON_POLICY_H
#define MIRRORD_ADDON_POLICY_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How getpeername/getsockname on a watched socket are answered. */
enum name_answer {
	NAME_PASS = 0,    /* CONTINUE: the kernel's own answer */
	NAME_SESSION = 1, /* hand to JS */
	NAME_BYTES = 2,   /* write the stored sockaddr natively */
};

struct name_rule {
	enum name_answer answer;
	uint32_t len;
	unsigned char bytes[128];
};

/* A socket the session redirected: (tgid, fd) while the fd still names inode. */
struct watched_socket {
	pid_t tgid;
	int fd;
	uint64_t inode;
	struct name_rule peer, local;
	/* A listener: accept/accept4 are served on the native thread (inbound.c),
	 * with the peer the session registered for each connection. */
	int accept_on_behalf;
	/* A datagram socket: recvfrom is answered on the native thread, and a
	 * datagram whose source is recv_from is reported as from recv_report. */
	int recv_source;
	struct name_rule recv_from, recv_report;
};

/* "The connection from local port `port` (of address `client`, any loopback
 * address when client_len is 0) is remote client `bytes`." */
struct expected_peer {
	uint16_t port;
	uint32_t len;
	unsigned char bytes[128];
	uint32_t client_len;
	unsigned char client[28];
};

/* A process by pid and start time: a reused pid is another process. */
struct skipped_process {
	pid_t tgid;
	uint64_t start_time;
};

#define INBOUND_PASS 0    /* bind, listen, accept pass natively */
#define INBOUND_SESSION 1 /* all three go to JS */
#define INBOUND_BIND 2    /* bind and listen go to JS, accept passes (or is served, if watched) */

struct policy {
	pthread_mutex_t lock;
	uint8_t ignored_ports[65536 / 8]; /* outgoing to these remote ports passes */
	uint8_t loopback_trapped[65536 / 8]; /* outgoing to loopback on these ports goes to JS */
	int inbound_to_session;           /* INBOUND_*: which of bind/listen/accept go to JS */
	int files_to_session;             /* opens and stats go to JS unless local */
	char **local_prefixes;            /* absolute path prefixes that stay local */
	size_t local_prefix_count;
	unsigned default_groups;          /* hello verdict groups when JS names none */
	struct skipped_process *skipped;  /* thread groups whose calls all pass */
	size_t skipped_count, skipped_cap;
	struct watched_socket *watched;   /* redirected sockets and their get*name answers */
	size_t watched_count, watched_cap;
	struct expected_peer *peers;      /* registered peers of inbound connections */
	size_t peer_count, peer_cap;
};

void policy_init(struct policy *p);
void policy_destroy(struct policy *p);

/* Setters take the lock. Prefixes are copied. */
void policy_set_ports(struct policy *p, const uint8_t *bitmap);
void policy_set_loopback_ports(struct policy *p, const uint8_t *bitmap);
/* Registers (replaces) the peer for (port, client); forget: removes it if it is still `bytes`. 0 or -errno. */
int policy_expect_peer(struct policy *p, uint16_t port, const unsigned char *bytes, uint32_t len,
	const unsigned char *client, uint32_t client_len, int forget);
/* Copies and removes the first entry for which match() is true; 0 when found, -ENOENT otherwise. */
int policy_take_peer(struct policy *p, int (*match)(const struct expected_peer *e, const void *ctx), const void *ctx,
	struct expected_peer *out);
size_t policy_peer_count(struct policy *p);
void policy_set_flags(struct policy *p, int inbound_to_session, int files_to_session, unsigned default_groups);
int policy_set_local_prefixes(struct policy *p, char *const *prefixes, size_t count);
int policy_set_skipped(struct policy *p, pid_t tgid, uint64_t start_time, int skipped);
/* entry NULL: stop watching (tgid, fd). */
int policy_set_watched(struct policy *p, pid_t tgid, int fd, const struct watched_socket *entry);

/* Readers take the lock themselves. */
int policy_port_ignored(struct policy *p, uint16_t port);
int policy_loopback_trapped(struct policy *p, uint16_t port);
int policy_inbound_to_session(struct policy *p);
int policy_files_to_session(struct policy *p);
int policy_path_is_local(struct policy *p, const char *path);
unsigned policy_default_groups(struct policy *p);
int policy_has_skipped(struct policy *p);
/* The recorded start time of a skipped tgid, 0 when not skipped. */
uint64_t policy_skipped_start_time(struct policy *p, pid_t tgid);
/* Copies the entry for (tgid, fd); 0 when found, -ENOENT otherwise. */
int policy_watched_get(struct policy *p, pid_t tgid, int fd, struct watched_socket *out);
int policy_has_watched(struct policy *p);
/* Whether some watched entry (of any process) has this fd number and the
 * flags asked for: a cheap test before resolving the caller's thread group. */
#define WATCH_NEED_ANY 0
#define WATCH_NEED_ACCEPT 1
#define WATCH_NEED_RECV 2
int policy_watched_fd_maybe(struct policy *p, int fd, int need);
size_t policy_watched_count(struct policy *p);
/* Drops entries for which still_there() is false (closed fds, exited
 * processes); returns how many. Holds the lock throughout. */
size_t policy_prune_watched(struct policy *p, int (*still_there)(const struct watched_socket *w));

#endif

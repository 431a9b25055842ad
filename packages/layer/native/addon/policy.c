#define _GNU_SOURCE
#include "policy.h"
#include "../common/syscalls.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	p->default_groups = LAYER_GROUP_DEFAULT;
}

static void free_prefixes(struct policy *p)
{
	for (size_t i = 0; i < p->local_prefix_count; i++)
		free(p->local_prefixes[i]);
	free(p->local_prefixes);
	p->local_prefixes = NULL;
	p->local_prefix_count = 0;
}

void policy_destroy(struct policy *p)
{
	free_prefixes(p);
	free(p->skipped);
	free(p->watched);
	free(p->peers);
	pthread_mutex_destroy(&p->lock);
}

void policy_set_ports(struct policy *p, const uint8_t *bitmap)
{
	pthread_mutex_lock(&p->lock);
	memcpy(p->ignored_ports, bitmap, sizeof p->ignored_ports);
	pthread_mutex_unlock(&p->lock);
}

void policy_set_loopback_ports(struct policy *p, const uint8_t *bitmap)
{
	pthread_mutex_lock(&p->lock);
	memcpy(p->loopback_trapped, bitmap, sizeof p->loopback_trapped);
	pthread_mutex_unlock(&p->lock);
}

void policy_set_flags(struct policy *p, int inbound_to_session, int files_to_session, unsigned default_groups)
{
	pthread_mutex_lock(&p->lock);
	p->inbound_to_session = inbound_to_session;
	p->files_to_session = files_to_session;
	p->default_groups = default_groups;
	pthread_mutex_unlock(&p->lock);
}

int policy_set_local_prefixes(struct policy *p, char *const *prefixes, size_t count)
{
	char **copy = calloc(count ? count : 1, sizeof *copy);
	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		copy[i] = strdup(prefixes[i]);
		if (!copy[i]) {
			while (i--)
				free(copy[i]);
			free(copy);
			return -ENOMEM;
		}
	}
	pthread_mutex_lock(&p->lock);
	free_prefixes(p);
	p->local_prefixes = copy;
	p->local_prefix_count = count;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* Grows an array by one slot; 0 or -ENOMEM. */
static int reserve(void **items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return 0;
	size_t next = *cap ? *cap * 2 : 16;
	void *grown = realloc(*items, next * size);
	if (!grown)
		return -ENOMEM;
	*items = grown;
	*cap = next;
	return 0;
}

int policy_set_skipped(struct policy *p, pid_t tgid, uint64_t start_time, int skipped)
{
	int err = 0;
	pthread_mutex_lock(&p->lock);
	size_t i = 0;
	while (i < p->skipped_count && p->skipped[i].tgid != tgid)
		i++;
	if (skipped) {
		if (i == p->skipped_count) {
			err = reserve((void **)&p->skipped, &p->skipped_cap, p->skipped_count, sizeof *p->skipped);
			if (!err)
				p->skipped_count++;
		}
		if (!err)
			p->skipped[i] = (struct skipped_process){ tgid, start_time };
	} else if (!skipped && i < p->skipped_count) {
		p->skipped[i] = p->skipped[--p->skipped_count];
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int policy_set_watched(struct policy *p, pid_t tgid, int fd, const struct watched_socket *entry)
{
	int err = 0;
	pthread_mutex_lock(&p->lock);
	size_t i = 0;
	while (i < p->watched_count && !(p->watched[i].tgid == tgid && p->watched[i].fd == fd))
		i++;
	if (entry) {
		if (i == p->watched_count) {
			err = reserve((void **)&p->watched, &p->watched_cap, p->watched_count, sizeof *p->watched);
			if (!err)
				p->watched_count++;
		}
		if (!err)
			p->watched[i] = *entry;
	} else if (i < p->watched_count) {
		p->watched[i] = p->watched[--p->watched_count];
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int policy_expect_peer(struct policy *p, uint16_t port, const unsigned char *bytes, uint32_t len,
	const unsigned char *client, uint32_t client_len, int forget)
{
	if (len == 0 || len > sizeof p->peers->bytes || client_len > sizeof p->peers->client)
		return -EINVAL;
	int err = 0;
	pthread_mutex_lock(&p->lock);
	size_t i = 0;
	while (i < p->peer_count && !(p->peers[i].port == port && p->peers[i].client_len == client_len
		&& memcmp(p->peers[i].client, client, client_len) == 0))
		i++;
	if (!forget) {
		if (i == p->peer_count) {
			err = reserve((void **)&p->peers, &p->peer_cap, p->peer_count, sizeof *p->peers);
			if (!err)
				p->peer_count++;
		}
		if (!err) {
			struct expected_peer *e = &p->peers[i];
			memset(e, 0, sizeof *e);
			e->port = port;
			e->len = len;
			memcpy(e->bytes, bytes, len);
			e->client_len = client_len;
			memcpy(e->client, client, client_len);
		}
	} else if (i < p->peer_count && p->peers[i].len == len && memcmp(p->peers[i].bytes, bytes, len) == 0) {
		p->peers[i] = p->peers[--p->peer_count];
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int policy_take_peer(struct policy *p, int (*match)(const struct expected_peer *e, const void *ctx), const void *ctx,
	struct expected_peer *out)
{
	int err = -ENOENT;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->peer_count; i++)
		if (match(&p->peers[i], ctx)) {
			*out = p->peers[i];
			p->peers[i] = p->peers[--p->peer_count];
			err = 0;
			break;
		}
	pthread_mutex_unlock(&p->lock);
	return err;
}

size_t policy_peer_count(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->peer_count;
	pthread_mutex_unlock(&p->lock);
	return n;
}

int policy_loopback_trapped(struct policy *p, uint16_t port)
{
	pthread_mutex_lock(&p->lock);
	int trapped = (p->loopback_trapped[port / 8] >> (port % 8)) & 1;
	pthread_mutex_unlock(&p->lock);
	return trapped;
}

int policy_port_ignored(struct policy *p, uint16_t port)
{
	pthread_mutex_lock(&p->lock);
	int ignored = (p->ignored_ports[port / 8] >> (port % 8)) & 1;
	pthread_mutex_unlock(&p->lock);
	return ignored;
}

int policy_inbound_to_session(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	int v = p->inbound_to_session;
	pthread_mutex_unlock(&p->lock);
	return v;
}

int policy_files_to_session(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	int v = p->files_to_session;
	pthread_mutex_unlock(&p->lock);
	return v;
}

int policy_path_is_local(struct policy *p, const char *path)
{
	int local = 0;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->local_prefix_count && !local; i++) {
		const char *prefix = p->local_prefixes[i];
		size_t n = strlen(prefix);
		/* "/usr" matches "/usr" and "/usr/lib", not "/usrx". */
		local = strncmp(path, prefix, n) == 0
			&& (path[n] == '\0' || path[n] == '/' || (n > 0 && prefix[n - 1] == '/'));
	}
	pthread_mutex_unlock(&p->lock);
	return local;
}

unsigned policy_default_groups(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned v = p->default_groups;
	pthread_mutex_unlock(&p->lock);
	return v;
}

int policy_has_skipped(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	int v = p->skipped_count > 0;
	pthread_mutex_unlock(&p->lock);
	return v;
}

uint64_t policy_skipped_start_time(struct policy *p, pid_t tgid)
{
	uint64_t start_time = 0;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->skipped_count && !start_time; i++)
		if (p->skipped[i].tgid == tgid)
			start_time = p->skipped[i].start_time;
	pthread_mutex_unlock(&p->lock);
	return start_time;
}

int policy_watched_get(struct policy *p, pid_t tgid, int fd, struct watched_socket *out)
{
	int err = -ENOENT;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->watched_count && err; i++)
		if (p->watched[i].tgid == tgid && p->watched[i].fd == fd) {
			*out = p->watched[i];
			err = 0;
		}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int policy_has_watched(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	int v = p->watched_count > 0;
	pthread_mutex_unlock(&p->lock);
	return v;
}

int policy_watched_fd_maybe(struct policy *p, int fd, int need)
{
	int found = 0;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->watched_count && !found; i++) {
		const struct watched_socket *w = &p->watched[i];
		found = w->fd == fd && (need == WATCH_NEED_ANY || (need == WATCH_NEED_ACCEPT && w->accept_on_behalf)
			|| (need == WATCH_NEED_RECV && w->recv_source));
	}
	pthread_mutex_unlock(&p->lock);
	return found;
}

size_t policy_watched_count(struct policy *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->watched_count;
	pthread_mutex_unlock(&p->lock);
	return n;
}

size_t policy_prune_watched(struct policy *p, int (*still_there)(const struct watched_socket *w))
{
	size_t removed = 0;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->watched_count;) {
		if (still_there(&p->watched[i])) {
			i++;
		} else {
			p->watched[i] = p->watched[--p->watched_count];
			removed++;
		}
	}
	pthread_mutex_unlock(&p->lock);
	return removed;
}

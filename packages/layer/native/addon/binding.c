/* layer.node: the N-API face of the supervisor. Raw and small on purpose: the
 * typed API lives in src/index.ts, which is this module's only caller. Calls
 * that can fail return -errno; the TypeScript side turns that into errors. */
#define _GNU_SOURCE
#include "js_events.h"
#include "napi_util.h"
#include "../common/syscalls.h"
#include "kernel_check.h"
#include "supervisor.h"
#include "target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static struct addon_sup *get_sup(napi_env env, napi_value v)
{
	void *p = NULL;
	if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
		napi_throw_type_error(env, NULL, "expected a supervisor handle");
		return NULL;
	}
	struct addon_sup *a = p;
	if (a->closed) {
		napi_throw_error(env, "ESHUTDOWN", "the supervisor is closed");
		return NULL;
	}
	return a;
}

/* ---- exported functions ---- */

#define ARGS(n) \
	size_t argc = n; \
	napi_value argv[n]; \
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL)); \
	if (argc < n) { \
		napi_throw_type_error(env, NULL, "missing arguments"); \
		return NULL; \
	}

/* createSupervisor(socketPath, onEvent) -> handle */
static napi_value create_supervisor(napi_env env, napi_callback_info info)
{
	ARGS(2);
	char path[108];
	size_t len;
	CHECK(napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len));
	if (len >= sizeof path - 1) {
		napi_throw_range_error(env, "ENAMETOOLONG", "socket path too long for a unix socket");
		return NULL;
	}
	struct addon_sup *a = calloc(1, sizeof *a);
	if (!a) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	napi_value name = str(env, "mirrord-layer-supervisor");
	if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, tsfn_finalize, a, call_js, &a->tsfn) != napi_ok) {
		free(a);
		throw_last(env, "napi_create_threadsafe_function");
		return NULL;
	}
	a->refs = 2;
	int err = 0;
	a->sup = sup_start(path, emit_to_js, a, &err);
	napi_value handle;
	CHECK(napi_create_external(env, a, external_finalize, NULL, &handle));
	if (!a->sup) {
		addon_sup_close(a);
		char msg[160];
		snprintf(msg, sizeof msg, "cannot listen on %s: %s", path, strerror(-err));
		napi_throw_error(env, NULL, msg);
		return NULL;
	}
	return handle;
}

static napi_value close_supervisor(napi_env env, napi_callback_info info)
{
	ARGS(1);
	void *p = NULL;
	CHECK(napi_get_value_external(env, argv[0], &p));
	addon_sup_close(p);
	return NULL;
}

/* setPolicy(h, { ignoredPorts: Buffer(8192), loopbackTrappedPorts: Buffer(8192), inboundMode (0 pass, 1 session, 2 bind), filesToSession, localPrefixes: string[], defaultGroups }) */
static napi_value set_policy(napi_env env, napi_callback_info info)
{
	ARGS(2);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	struct policy *p = sup_policy(a->sup);
	napi_value v;
	void *ports;
	size_t ports_len;
	CHECK(napi_get_named_property(env, argv[1], "ignoredPorts", &v));
	CHECK(napi_get_buffer_info(env, v, &ports, &ports_len));
	if (ports_len != 65536 / 8) {
		napi_throw_range_error(env, NULL, "ignoredPorts must be an 8192-byte bitmap");
		return NULL;
	}
	void *loopback;
	size_t loopback_len;
	CHECK(napi_get_named_property(env, argv[1], "loopbackTrappedPorts", &v));
	CHECK(napi_get_buffer_info(env, v, &loopback, &loopback_len));
	if (loopback_len != 65536 / 8) {
		napi_throw_range_error(env, NULL, "loopbackTrappedPorts must be an 8192-byte bitmap");
		return NULL;
	}
	bool files;
	uint32_t groups, inbound;
	CHECK(napi_get_named_property(env, argv[1], "inboundMode", &v));
	CHECK(napi_get_value_uint32(env, v, &inbound));
	if (inbound > INBOUND_BIND) {
		napi_throw_range_error(env, NULL, "inboundMode must be 0, 1 or 2");
		return NULL;
	}
	CHECK(napi_get_named_property(env, argv[1], "filesToSession", &v));
	CHECK(napi_get_value_bool(env, v, &files));
	CHECK(napi_get_named_property(env, argv[1], "defaultGroups", &v));
	CHECK(napi_get_value_uint32(env, v, &groups));
	napi_value prefixes;
	uint32_t count;
	CHECK(napi_get_named_property(env, argv[1], "localPrefixes", &prefixes));
	CHECK(napi_get_array_length(env, prefixes, &count));
	char **list = calloc(count ? count : 1, sizeof *list);
	int err = list ? 0 : -ENOMEM;
	for (uint32_t i = 0; i < count && !err; i++) {
		size_t n;
		napi_value item;
		list[i] = malloc(4096);
		if (!list[i] || napi_get_element(env, prefixes, i, &item) != napi_ok
			|| napi_get_value_string_utf8(env, item, list[i], 4096, &n) != napi_ok)
			err = -EINVAL;
	}
	if (!err) {
		policy_set_ports(p, ports);
		policy_set_loopback_ports(p, loopback);
		policy_set_flags(p, (int)inbound, files, groups & LAYER_GROUP_ALL);
		err = policy_set_local_prefixes(p, list, count);
	}
	for (uint32_t i = 0; list && i < count; i++)
		free(list[i]);
	free(list);
	if (err)
		napi_throw_error(env, NULL, "invalid policy");
	return NULL;
}

/* setSkipped(h, tgid, skipped) */
static napi_value set_skipped(napi_env env, napi_callback_info info)
{
	ARGS(3);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	int32_t tgid;
	bool skipped;
	CHECK(napi_get_value_int32(env, argv[1], &tgid));
	CHECK(napi_get_value_bool(env, argv[2], &skipped));
	uint64_t start_time = skipped ? target_start_time(tgid) : 0;
	if (skipped && !start_time)
		return num(env, -ESRCH);
	return num(env, policy_set_skipped(sup_policy(a->sup), tgid, start_time, skipped));
}

/* Reads a get*name rule: undefined/"pass", "session", or a Buffer of sockaddr bytes. */
static int get_name_rule(napi_env env, napi_value v, struct name_rule *out)
{
	memset(out, 0, sizeof *out);
	napi_valuetype t;
	napi_typeof(env, v, &t);
	if (t == napi_undefined || t == napi_null)
		return 0;
	bool is_buffer = false;
	napi_is_buffer(env, v, &is_buffer);
	if (is_buffer) {
		void *data;
		size_t len;
		napi_get_buffer_info(env, v, &data, &len);
		if (len == 0 || len > sizeof out->bytes)
			return -1;
		memcpy(out->bytes, data, len);
		out->len = (uint32_t)len;
		out->answer = NAME_BYTES;
		return 0;
	}
	char word[16];
	size_t n;
	if (napi_get_value_string_utf8(env, v, word, sizeof word, &n) != napi_ok)
		return -1;
	if (strcmp(word, "session") == 0)
		out->answer = NAME_SESSION;
	else if (strcmp(word, "pass") != 0)
		return -1;
	return 0;
}

/* A watched socket still exists while its fd names the same inode. */
static int watched_still_there(const struct watched_socket *w)
{
	return target_fd_inode(w->tgid, w->fd) == w->inode;
}

/* Reads an optional Buffer of sockaddr bytes into a rule (NAME_BYTES when present). */
static int get_sockaddr_rule(napi_env env, napi_value v, struct name_rule *out)
{
	memset(out, 0, sizeof *out);
	napi_valuetype t;
	napi_typeof(env, v, &t);
	if (t == napi_undefined || t == napi_null)
		return 0;
	bool is_buffer = false;
	napi_is_buffer(env, v, &is_buffer);
	if (!is_buffer)
		return -1;
	void *data;
	size_t len;
	napi_get_buffer_info(env, v, &data, &len);
	if (len == 0 || len > sizeof out->bytes)
		return -1;
	memcpy(out->bytes, data, len);
	out->len = (uint32_t)len;
	out->answer = NAME_BYTES;
	return 0;
}

/* watchSocket(h, tgid, fd, inode, peer, local, acceptOnBehalf, recvFrom, recvReport):
 * inode 0 stops watching; recvFrom/recvReport Buffers (or null) together. */
static napi_value watch_socket(napi_env env, napi_callback_info info)
{
	ARGS(9);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	struct watched_socket w = { 0 };
	int32_t tgid, fd;
	bool accept = false;
	if (get_i32(env, argv[1], &tgid) || get_i32(env, argv[2], &fd) || get_u64(env, argv[3], &w.inode)
		|| get_name_rule(env, argv[4], &w.peer) || get_name_rule(env, argv[5], &w.local)
		|| napi_get_value_bool(env, argv[6], &accept) != napi_ok
		|| get_sockaddr_rule(env, argv[7], &w.recv_from) || get_sockaddr_rule(env, argv[8], &w.recv_report)
		|| (w.recv_from.answer != w.recv_report.answer)) {
		napi_throw_type_error(env, NULL, "watchSocket(h, tgid, fd, inode, peer, local, accept, recvFrom, recvReport)");
		return NULL;
	}
	w.accept_on_behalf = accept;
	w.recv_source = w.recv_from.answer == NAME_BYTES;
	w.tgid = tgid;
	w.fd = fd;
	struct policy *p = sup_policy(a->sup);
	int err = policy_set_watched(p, tgid, fd, w.inode ? &w : NULL);
	/* Programs close sockets without telling anyone: prune closed ones when
	 * the table has doubled, so lookups stay short over a long session. */
	size_t count = policy_watched_count(p);
	if (count >= a->prune_watched_at) {
		policy_prune_watched(p, watched_still_there);
		a->prune_watched_at = 2 * policy_watched_count(p) + 64;
	}
	return num(env, err);
}

/* expectPeer(h, localPort, sockaddr Buffer, forget, client sockaddr Buffer | null) -> 0 | -errno:
 * the inbound connection from client:localPort (any loopback address when client
 * is null) is reported as coming from sockaddr; forget: drop that registration
 * if it is still there. */
static napi_value expect_peer(napi_env env, napi_callback_info info)
{
	ARGS(5);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	int32_t port;
	bool forget;
	struct name_rule r, client;
	if (get_i32(env, argv[1], &port) || port <= 0 || port > 65535 || get_sockaddr_rule(env, argv[2], &r)
		|| r.answer != NAME_BYTES || napi_get_value_bool(env, argv[3], &forget) != napi_ok
		|| get_sockaddr_rule(env, argv[4], &client)) {
		napi_throw_type_error(env, NULL, "expectPeer(h, localPort, sockaddr, forget, client)");
		return NULL;
	}
	return num(env, policy_expect_peer(sup_policy(a->sup), (uint16_t)port, r.bytes, r.len, client.bytes, client.len, forget));
}

/* respond(h, listener, id, kind 0 continue | 1 error | 2 value, error, value) -> 0 | -errno */
static napi_value respond(napi_env env, napi_callback_info info)
{
	ARGS(6);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	uint64_t id;
	int32_t listener, kind, error;
	double value;
	if (get_i32(env, argv[1], &listener) || get_u64(env, argv[2], &id) || get_i32(env, argv[3], &kind)
		|| get_i32(env, argv[4], &error) || napi_get_value_double(env, argv[5], &value) != napi_ok) {
		napi_throw_type_error(env, NULL, "respond(h, listener, id, kind, error, value)");
		return NULL;
	}
	return num(env, sup_respond(a->sup, (uint32_t)listener, id, (enum sup_answer)kind, error, (int64_t)value));
}

/* idValid(h, listener, id) -> boolean */
static napi_value id_valid(napi_env env, napi_callback_info info)
{
	ARGS(3);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	int32_t listener;
	uint64_t id;
	if (get_i32(env, argv[1], &listener) || get_u64(env, argv[2], &id)) {
		napi_throw_type_error(env, NULL, "idValid(h, listener, id)");
		return NULL;
	}
	napi_value out;
	napi_get_boolean(env, sup_id_valid(a->sup, (uint32_t)listener, id) == 1, &out);
	return out;
}

/* addFd(h, listener, id, srcFd, targetFd (-1: lowest free), send, cloexec) -> target fd | -errno */
static napi_value add_fd(napi_env env, napi_callback_info info)
{
	ARGS(7);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	int32_t listener, src, target;
	uint64_t id;
	bool send, cloexec;
	if (get_i32(env, argv[1], &listener) || get_u64(env, argv[2], &id) || get_i32(env, argv[3], &src)
		|| get_i32(env, argv[4], &target) || napi_get_value_bool(env, argv[5], &send) != napi_ok
		|| napi_get_value_bool(env, argv[6], &cloexec) != napi_ok) {
		napi_throw_type_error(env, NULL, "addFd(h, listener, id, srcFd, targetFd, send, cloexec)");
		return NULL;
	}
	return num(env, sup_addfd(a->sup, (uint32_t)listener, id, src, target, send, cloexec));
}

static napi_value stats(napi_env env, napi_callback_info info)
{
	ARGS(1);
	struct addon_sup *a = get_sup(env, argv[0]);
	if (!a)
		return NULL;
	struct sup_stats s;
	sup_get_stats(a->sup, &s);
	napi_value obj;
	napi_create_object(env, &obj);
	set(env, obj, "received", num(env, (double)s.received));
	set(env, obj, "passedNatively", num(env, (double)s.passed_natively));
	set(env, obj, "sentToSession", num(env, (double)s.sent_to_session));
	set(env, obj, "answeredNatively", num(env, (double)s.answered_natively));
	set(env, obj, "vanished", num(env, (double)s.vanished));
	set(env, obj, "attached", num(env, (double)s.attached));
	set(env, obj, "watchedSockets", num(env, (double)policy_watched_count(sup_policy(a->sup))));
	set(env, obj, "accepted", num(env, (double)s.accepted));
	set(env, obj, "recvAnswered", num(env, (double)s.recv_answered));
	set(env, obj, "waitingAccepts", num(env, (double)s.waiting_accepts));
	set(env, obj, "expectedPeers", num(env, (double)policy_peer_count(sup_policy(a->sup))));
	return obj;
}

/* getFd(tgid, fd) -> session fd | -errno */
static napi_value get_fd(napi_env env, napi_callback_info info)
{
	ARGS(2);
	int32_t tgid, fd;
	if (get_i32(env, argv[0], &tgid) || get_i32(env, argv[1], &fd)) {
		napi_throw_type_error(env, NULL, "getFd(tgid, fd)");
		return NULL;
	}
	return num(env, target_getfd(tgid, fd));
}

/* socketInfo(fd) -> [domain, type] (SO_DOMAIN, SO_TYPE) | -errno: the session tells a TCP
 * connect from a UDP one before it picks how to carry it. */
static napi_value socket_info(napi_env env, napi_callback_info info)
{
	ARGS(1);
	int32_t fd;
	if (get_i32(env, argv[0], &fd)) {
		napi_throw_type_error(env, NULL, "socketInfo(fd)");
		return NULL;
	}
	int domain = 0, type = 0;
	socklen_t dl = sizeof domain, tl = sizeof type;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dl) != 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0)
		return num(env, -errno);
	napi_value arr;
	napi_create_array_with_length(env, 2, &arr);
	napi_set_element(env, arr, 0, num(env, domain));
	napi_set_element(env, arr, 1, num(env, type));
	return arr;
}

/* Builds the sockaddr for ip:port in the socket's family: an IPv4 address is
 * written as ::ffff:a.b.c.d when the socket is AF_INET6 (Java's and Go's
 * sockets are). Returns its length or -errno. */
static int socket_sockaddr(int fd, const char *ip, int port, struct sockaddr_storage *ss)
{
	int domain = 0;
	socklen_t dl = sizeof domain;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dl) != 0)
		return -errno;
	memset(ss, 0, sizeof *ss);
	struct in_addr v4;
	struct in6_addr v6;
	if (domain == AF_INET && inet_pton(AF_INET, ip, &v4) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr = v4;
		return sizeof *sin;
	}
	if (domain == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, ip, &v4) == 1) {
			sin6->sin6_addr.s6_addr[10] = sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6->sin6_addr.s6_addr[12], &v4, sizeof v4);
		} else if (inet_pton(AF_INET6, ip, &v6) == 1) {
			sin6->sin6_addr = v6;
		} else {
			return -EINVAL;
		}
		return sizeof *sin6;
	}
	return domain == AF_INET ? -EINVAL : -EAFNOSUPPORT;
}

/* connectSocket(fd, ip, port) / bindSocket(fd, ip, port) -> 0 | -errno. */
static napi_value connect_or_bind(napi_env env, napi_callback_info info, int do_bind)
{
	ARGS(3);
	int32_t fd, port;
	char ip[INET6_ADDRSTRLEN + 8];
	size_t len;
	if (get_i32(env, argv[0], &fd) || get_i32(env, argv[2], &port) || port < 0 || port > 65535
		|| napi_get_value_string_utf8(env, argv[1], ip, sizeof ip, &len) != napi_ok) {
		napi_throw_type_error(env, NULL, do_bind ? "bindSocket(fd, ip, port)" : "connectSocket(fd, ip, port)");
		return NULL;
	}
	struct sockaddr_storage ss;
	int sl = socket_sockaddr(fd, ip, port, &ss);
	if (sl < 0)
		return num(env, sl);
	int r = do_bind ? bind(fd, (struct sockaddr *)&ss, (socklen_t)sl) : connect(fd, (struct sockaddr *)&ss, (socklen_t)sl);
	return num(env, r == 0 ? 0 : -errno);
}

static napi_value connect_socket(napi_env env, napi_callback_info info) { return connect_or_bind(env, info, 0); }
static napi_value bind_socket(napi_env env, napi_callback_info info) { return connect_or_bind(env, info, 1); }

/* sendToSocket(fd, data, ip, port, flags) -> bytes sent | -errno (MSG_DONTWAIT added) */
static napi_value send_to_socket(napi_env env, napi_callback_info info)
{
	ARGS(5);
	int32_t fd, port, flags;
	void *data;
	size_t len, iplen;
	char ip[INET6_ADDRSTRLEN + 8];
	if (get_i32(env, argv[0], &fd) || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok
		|| napi_get_value_string_utf8(env, argv[2], ip, sizeof ip, &iplen) != napi_ok || get_i32(env, argv[3], &port)
		|| port < 0 || port > 65535 || get_i32(env, argv[4], &flags)) {
		napi_throw_type_error(env, NULL, "sendToSocket(fd, data, ip, port, flags)");
		return NULL;
	}
	struct sockaddr_storage ss;
	int sl = socket_sockaddr(fd, ip, port, &ss);
	if (sl < 0)
		return num(env, sl);
	ssize_t n = sendto(fd, data, len, flags | MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&ss, (socklen_t)sl);
	return num(env, n < 0 ? -errno : (double)n);
}

/* localName(fd) -> sockaddr Buffer (getsockname) | -errno */
static napi_value local_name(napi_env env, napi_callback_info info)
{
	ARGS(1);
	int32_t fd;
	if (get_i32(env, argv[0], &fd)) {
		napi_throw_type_error(env, NULL, "localName(fd)");
		return NULL;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return num(env, -errno);
	napi_value buf;
	void *data;
	CHECK(napi_create_buffer_copy(env, sl, &ss, &data, &buf));
	return buf;
}

/* boundStreamSocket(ip) -> [fd, port] | -errno: a non-blocking, close-on-exec
 * TCP socket bound to ip:0, so its port is known before it connects. */
static napi_value bound_stream_socket(napi_env env, napi_callback_info info)
{
	ARGS(1);
	char ip[INET6_ADDRSTRLEN + 8];
	size_t len;
	if (napi_get_value_string_utf8(env, argv[0], ip, sizeof ip, &len) != napi_ok) {
		napi_throw_type_error(env, NULL, "boundStreamSocket(ip)");
		return NULL;
	}
	struct in_addr v4;
	int family = inet_pton(AF_INET, ip, &v4) == 1 ? AF_INET : AF_INET6;
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return num(env, -errno);
	struct sockaddr_storage ss;
	int sl = socket_sockaddr(fd, ip, 0, &ss);
	socklen_t ol = sizeof ss;
	if (sl < 0 || bind(fd, (struct sockaddr *)&ss, (socklen_t)sl) != 0 || getsockname(fd, (struct sockaddr *)&ss, &ol) != 0) {
		int err = sl < 0 ? sl : -errno;
		close(fd);
		return num(env, err);
	}
	uint16_t port = family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port) : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	napi_value arr;
	napi_create_array_with_length(env, 2, &arr);
	napi_set_element(env, arr, 0, num(env, fd));
	napi_set_element(env, arr, 1, num(env, port));
	return arr;
}

/* waitConnected(fd, timeoutMs) -> 0 | -errno: waits for a connect in progress
 * (to a session-local listener: microseconds) and reports its outcome. */
static napi_value wait_connected(napi_env env, napi_callback_info info)
{
	ARGS(2);
	int32_t fd, timeout;
	if (get_i32(env, argv[0], &fd) || get_i32(env, argv[1], &timeout)) {
		napi_throw_type_error(env, NULL, "waitConnected(fd, timeoutMs)");
		return NULL;
	}
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int r;
	do
		r = poll(&p, 1, timeout);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return num(env, -errno);
	if (r == 0)
		return num(env, -ETIMEDOUT);
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return num(env, -errno);
	return num(env, -err);
}

/* readMemory(pid, addr, len) -> Buffer | -errno */
static napi_value read_memory(napi_env env, napi_callback_info info)
{
	ARGS(3);
	int32_t pid, len;
	uint64_t addr;
	if (get_i32(env, argv[0], &pid) || get_u64(env, argv[1], &addr) || get_i32(env, argv[2], &len) || len < 0 || len > (1 << 20)) {
		napi_throw_type_error(env, NULL, "readMemory(pid, addr, len <= 1 MiB)");
		return NULL;
	}
	void *data;
	napi_value buf;
	CHECK(napi_create_buffer(env, (size_t)len, &data, &buf));
	int err = target_read(pid, addr, data, (size_t)len);
	return err ? num(env, err) : buf;
}

/* writeMemory(pid, addr, buffer) -> bytes written | -errno */
static napi_value write_memory(napi_env env, napi_callback_info info)
{
	ARGS(3);
	int32_t pid;
	uint64_t addr;
	void *data;
	size_t len;
	if (get_i32(env, argv[0], &pid) || get_u64(env, argv[1], &addr)
		|| napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
		napi_throw_type_error(env, NULL, "writeMemory(pid, addr, buffer)");
		return NULL;
	}
	return num(env, (double)target_write(pid, addr, data, len));
}

static napi_value check_kernel(napi_env env, napi_callback_info info)
{
	(void)info;
	struct kernel_features f;
	int err = kernel_check(&f);
	napi_value obj, t;
	napi_create_object(env, &obj);
	set(env, obj, "release", str(env, f.release));
	set(env, obj, "probeError", num(env, err));
#define FLAG(key, v) (napi_get_boolean(env, (v) != 0, &t), set(env, obj, key, t))
	FLAG("userNotification", f.user_notif);
	FLAG("waitKillableRecv", f.wait_killable_recv);
	FLAG("addfd", f.addfd);
	FLAG("addfdSend", f.addfd_send);
	FLAG("pidfdGetfd", f.pidfd_getfd);
#undef FLAG
	return obj;
}

/* syscallTable() -> [{ name, nr, group }]: the filter's list, for the session. */
static napi_value syscall_table(napi_env env, napi_callback_info info)
{
	(void)info;
	napi_value arr;
	napi_create_array_with_length(env, layer_syscall_count, &arr);
	for (size_t i = 0; i < layer_syscall_count; i++) {
		napi_value o;
		napi_create_object(env, &o);
		set(env, o, "name", str(env, layer_syscalls[i].name));
		set(env, o, "nr", num(env, layer_syscalls[i].nr));
		set(env, o, "group", num(env, layer_syscalls[i].group));
		napi_set_element(env, arr, (uint32_t)i, o);
	}
	return arr;
}

NAPI_MODULE_INIT()
{
	struct {
		const char *name;
		napi_callback fn;
	} fns[] = {
		{ "createSupervisor", create_supervisor }, { "closeSupervisor", close_supervisor },
		{ "setPolicy", set_policy }, { "setSkipped", set_skipped }, { "watchSocket", watch_socket },
		{ "respond", respond }, { "idValid", id_valid }, { "addFd", add_fd }, { "stats", stats },
		{ "getFd", get_fd }, { "socketInfo", socket_info }, { "connectSocket", connect_socket },
		{ "bindSocket", bind_socket }, { "expectPeer", expect_peer }, { "boundStreamSocket", bound_stream_socket },
		{ "localName", local_name }, { "sendToSocket", send_to_socket }, { "waitConnected", wait_connected }, { "readMemory", read_memory },
		{ "writeMemory", write_memory }, { "checkKernel", check_kernel }, { "syscallTable", syscall_table },
	};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		napi_value f;
		if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok
			|| napi_set_named_property(env, exports, fns[i].name, f) != napi_ok)
			return NULL;
	}
	return exports;
}


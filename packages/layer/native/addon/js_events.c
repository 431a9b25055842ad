/* Turns supervisor events into JavaScript objects on the JS thread, and
 * answers hellos from the handler's return value. */
#define _GNU_SOURCE
#include "js_events.h"
#include "../common/wire.h"
#include "sockaddr.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void addon_sup_unref(struct addon_sup *a)
{
	if (--a->refs > 0)
		return;
	if (a->sup)
		sup_free(a->sup);
	free(a);
}

void addon_sup_close(struct addon_sup *a)
{
	if (a->closed)
		return;
	a->closed = 1;
	if (a->sup)
		sup_stop(a->sup); /* joins the thread: nothing emits after this */
	if (a->tsfn)
		napi_release_threadsafe_function(a->tsfn, napi_tsfn_release);
}

static const char *hello_kind_name(uint16_t kind)
{
	switch (kind) {
	case LAYER_HELLO_PRELOAD: return "preload";
	case LAYER_HELLO_LAUNCHER: return "launcher";
	case LAYER_HELLO_INHERITED: return "inherited";
	default: return "unknown";
	}
}

static napi_value addr_object(napi_env env, const struct sup_event *ev)
{
	struct decoded_addr a;
	sockaddr_decode(ev->addr, ev->addr_len, &a);
	napi_value obj, raw;
	void *data;
	napi_create_object(env, &obj);
	napi_create_buffer_copy(env, ev->addr_len, ev->addr, &data, &raw);
	const char *family = a.family == AF_INET ? "inet" : a.family == AF_INET6 ? "inet6" : a.family == AF_UNIX ? "unix" : "other";
	set(env, obj, "family", str(env, family));
	set(env, obj, "raw", raw);
	if (a.is_inet) {
		set(env, obj, "address", str(env, a.address));
		set(env, obj, "port", num(env, a.port));
		if (a.has_ipv4)
			set(env, obj, "ipv4", str(env, a.ipv4));
	}
	return obj;
}

static napi_value notification_object(napi_env env, const struct sup_event *ev)
{
	napi_value obj, args;
	napi_create_object(env, &obj);
	set(env, obj, "type", str(env, "notification"));
	set(env, obj, "listener", num(env, ev->listener));
	set(env, obj, "id", big(env, ev->id));
	set(env, obj, "tid", num(env, ev->tid));
	set(env, obj, "pid", num(env, ev->tgid));
	set(env, obj, "syscall", str(env, ev->syscall->name));
	set(env, obj, "nr", num(env, ev->syscall->nr));
	set(env, obj, "group", num(env, ev->syscall->group));
	napi_create_array_with_length(env, 6, &args);
	for (uint32_t i = 0; i < 6; i++)
		napi_set_element(env, args, i, big(env, ev->args[i]));
	set(env, obj, "args", args);
	switch (ev->syscall->args) {
	case LAYER_ARGS_PATH0:
		break;
	case LAYER_ARGS_DIRFD_PATH1:
		set(env, obj, "dirfd", num(env, (int32_t)ev->args[0]));
		break;
	default:
		set(env, obj, "fd", num(env, (int32_t)ev->args[0]));
	}
	if (ev->has_addr)
		set(env, obj, "addr", addr_object(env, ev));
	if (ev->path)
		set(env, obj, "path", str(env, ev->path));
	return obj;
}

static napi_value hello_object(napi_env env, const struct sup_event *ev)
{
	napi_value obj, argv;
	napi_create_object(env, &obj);
	set(env, obj, "type", str(env, "hello"));
	set(env, obj, "kind", str(env, hello_kind_name(ev->hello_kind)));
	set(env, obj, "pid", num(env, ev->pid));
	set(env, obj, "ppid", num(env, ev->ppid));
	napi_create_array(env, &argv);
	size_t off = 0;
	uint32_t index = 0;
	int first = 1;
	while (off < ev->strings_len) {
		const char *s = ev->strings + off;
		size_t n = strnlen(s, ev->strings_len - off);
		if (first)
			set(env, obj, "exe", str(env, s));
		else
			napi_set_element(env, argv, index++, str(env, s));
		first = 0;
		off += n + 1;
	}
	if (first)
		set(env, obj, "exe", str(env, ""));
	set(env, obj, "argv", argv);
	return obj;
}

/* A hello is answered synchronously from the handler's return value:
 * { skip: boolean, groups: number }. */
static void answer_hello(napi_env env, struct addon_sup *a, struct sup_event *ev, napi_value result)
{
	bool skip = false;
	unsigned groups = policy_default_groups(sup_policy(a->sup));
	napi_valuetype t = napi_undefined;
	if (result)
		napi_typeof(env, result, &t);
	if (t == napi_object) {
		napi_value v;
		bool has;
		if (napi_has_named_property(env, result, "skip", &has) == napi_ok && has
			&& napi_get_named_property(env, result, "skip", &v) == napi_ok)
			napi_get_value_bool(env, v, &skip);
		uint32_t g;
		if (napi_has_named_property(env, result, "groups", &has) == napi_ok && has
			&& napi_get_named_property(env, result, "groups", &v) == napi_ok
			&& napi_get_value_uint32(env, v, &g) == napi_ok)
			groups = g & LAYER_GROUP_ALL;
	}
	struct sup_conn *conn = ev->conn;
	ev->conn = NULL;
	sup_answer_hello(a->sup, conn, skip, groups);
}

void call_js(napi_env env, napi_value handler, void *context, void *data)
{
	struct addon_sup *a = context;
	struct sup_event *ev = data;
	if (!env || a->closed) {
		if (ev->conn)
			sup_drop_conn(ev->conn);
		sup_event_free(ev);
		return;
	}
	napi_value obj = NULL, undefined, result = NULL;
	napi_get_undefined(env, &undefined);
	switch (ev->type) {
	case SUP_EV_HELLO:
		obj = hello_object(env, ev);
		break;
	case SUP_EV_NOTIFICATION:
		obj = notification_object(env, ev);
		break;
	case SUP_EV_ATTACHED:
	case SUP_EV_DETACHED:
		napi_create_object(env, &obj);
		set(env, obj, "type", str(env, ev->type == SUP_EV_ATTACHED ? "attached" : "detached"));
		set(env, obj, "listener", num(env, ev->listener));
		set(env, obj, "pid", num(env, ev->pid));
		if (ev->type == SUP_EV_ATTACHED)
			set(env, obj, "kind", str(env, hello_kind_name(ev->hello_kind)));
		break;
	case SUP_EV_ERROR:
		napi_create_object(env, &obj);
		set(env, obj, "type", str(env, "error"));
		set(env, obj, "message", str(env, ev->message));
		break;
	}
	napi_status status = napi_call_function(env, undefined, handler, 1, &obj, &result);
	if (ev->type == SUP_EV_HELLO)
		answer_hello(env, a, ev, status == napi_ok ? result : NULL);
	sup_event_free(ev);
}

int emit_to_js(void *ctx, struct sup_event *ev)
{
	struct addon_sup *a = ctx;
	return napi_call_threadsafe_function(a->tsfn, ev, napi_tsfn_nonblocking) == napi_ok ? 0 : -1;
}

void tsfn_finalize(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)data;
	addon_sup_unref(hint);
}

void external_finalize(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)hint;
	struct addon_sup *a = data;
	addon_sup_close(a);
	addon_sup_unref(a);
}

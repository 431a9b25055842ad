/* Small N-API helpers shared by the addon's files. */
#ifndef MIRRORD_ADDON_NAPI_UTIL_H
#define MIRRORD_ADDON_NAPI_UTIL_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>

#define CHECK(call) \
	do { \
		if ((call) != napi_ok) { \
			throw_last(env, #call); \
			return NULL; \
		} \
	} while (0)

void throw_last(napi_env env, const char *what);
napi_value num(napi_env env, double v);
napi_value str(napi_env env, const char *s);
napi_value big(napi_env env, uint64_t v);
void set(napi_env env, napi_value obj, const char *key, napi_value v);
/* 0, or -1 when v is not a number/bigint. */
int get_u64(napi_env env, napi_value v, uint64_t *out);
int get_i32(napi_env env, napi_value v, int32_t *out);

#endif

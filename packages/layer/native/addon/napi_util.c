#include "napi_util.h"

#include <stdbool.h>

void throw_last(napi_env env, const char *what)
{
	const napi_extended_error_info *info = NULL;
	napi_get_last_error_info(env, &info);
	bool pending = false;
	napi_is_exception_pending(env, &pending);
	if (!pending)
		napi_throw_error(env, NULL, info && info->error_message ? info->error_message : what);
}

napi_value num(napi_env env, double v)
{
	napi_value out;
	napi_create_double(env, v, &out);
	return out;
}

napi_value str(napi_env env, const char *s)
{
	napi_value out;
	napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
	return out;
}

napi_value big(napi_env env, uint64_t v)
{
	napi_value out;
	napi_create_bigint_uint64(env, v, &out);
	return out;
}

void set(napi_env env, napi_value obj, const char *key, napi_value v)
{
	napi_set_named_property(env, obj, key, v);
}

int get_u64(napi_env env, napi_value v, uint64_t *out)
{
	napi_valuetype t;
	napi_typeof(env, v, &t);
	if (t == napi_bigint) {
		bool lossless;
		return napi_get_value_bigint_uint64(env, v, out, &lossless) == napi_ok ? 0 : -1;
	}
	double d;
	if (napi_get_value_double(env, v, &d) != napi_ok)
		return -1;
	*out = (uint64_t)d;
	return 0;
}

int get_i32(napi_env env, napi_value v, int32_t *out)
{
	return napi_get_value_int32(env, v, out) == napi_ok ? 0 : -1;
}

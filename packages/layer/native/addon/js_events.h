/* Supervisor events delivered to JavaScript through a threadsafe function. */
#ifndef MIRRORD_ADDON_JS_EVENTS_H
#define MIRRORD_ADDON_JS_EVENTS_H

#include "napi_util.h"
#include "supervisor.h"

/* Both the JS handle and the threadsafe function hold the supervisor; the
 * last of the two to go frees it. */
struct addon_sup {
	struct supervisor *sup;
	napi_threadsafe_function tsfn;
	int refs;
	int closed;
	size_t prune_watched_at; /* watched-socket count that triggers the next prune */
};

void addon_sup_unref(struct addon_sup *a);
/* Stops the supervisor and releases the threadsafe function (idempotent). */
void addon_sup_close(struct addon_sup *a);

/* threadsafe-function plumbing */
void call_js(napi_env env, napi_value handler, void *context, void *data);
int emit_to_js(void *ctx, struct sup_event *ev);
void tsfn_finalize(napi_env env, void *data, void *hint);
void external_finalize(napi_env env, void *data, void *hint);

#endif

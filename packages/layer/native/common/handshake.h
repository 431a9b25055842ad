/* Layer side of the handshake with the session (see wire.h). */
#ifndef MIRRORD_LAYER_HANDSHAKE_H
#define MIRRORD_LAYER_HANDSHAKE_H

#include "wire.h"

/* Each returns 0 or -errno (-EPROTO for a malformed answer). */
int layer_session_connect(const char *socket_path); /* returns the socket fd or -errno */
int layer_send_hello(int sock, enum layer_hello_kind kind, const char *exe, int argc, char *const argv[]);
int layer_recv_verdict(int sock, struct layer_verdict *out);
int layer_send_notify_fd(int sock, int notify_fd);
int layer_recv_ack(int sock);

/* Connects, says hello, installs the filter if told to, hands over the notify
 * fd and waits for the ack. The caller's `kind` must not be INHERITED.
 * Returns 1 when installed, 0 when the session said skip, -errno on failure
 * (after which no filter is installed, or, if it failed after installing,
 * -ENOTCONN: the process then runs under a filter nobody answers). */
int layer_attach(const char *socket_path, enum layer_hello_kind kind, const char *exe, int argc, char *const argv[]);

/* Inherited-filter announcement: hello + verdict only. Returns the verdict or -errno. */
int layer_announce(const char *socket_path, const char *exe, int argc, char *const argv[]);

#endif

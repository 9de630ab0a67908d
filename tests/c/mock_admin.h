/* Drives the embedded mock server's admin endpoints (/__mock/...) over a
 * plain socket, so the C tests need no HTTP library of their own. */
#ifndef EIAM_TEST_MOCK_ADMIN_H
#define EIAM_TEST_MOCK_ADMIN_H

#include <stddef.h>

/* Sends METHOD PATH with an optional JSON body to the mock at base_url
 * ("http://127.0.0.1:PORT"). Returns the HTTP status (or -1) and copies up
 * to cap-1 bytes of the response body into out (NUL-terminated) if out is
 * non-NULL. */
int mock_admin(const char *base_url, const char *method, const char *path,
               const char *json_body, char *out, size_t cap);

/* A TCP listener on 127.0.0.1 that accepts connections into its backlog but
 * never answers: the server that hangs. Returns the socket, sets *port. */
int silent_listener(int *port);

/* The number after "KEY": in a flat JSON text, or -1 if there is none. */
long json_number(const char *json, const char *key);

/* One of the mock's counters from /__mock/stats ("requests",
 * "token_requests", "api_requests", "max_in_flight"), or -1. */
long mock_stats_number(const char *base_url, const char *key);

#endif

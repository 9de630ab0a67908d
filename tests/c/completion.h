/* Waiting for eiam_call_async's `done` without sleeping: a completion
 * records each callback under a mutex and signals a condition variable,
 * and the test thread waits on it. Link completion.c (and -lpthread). */
#ifndef EIAM_TEST_COMPLETION_H
#define EIAM_TEST_COMPLETION_H

#include <pthread.h>
#include <stdbool.h>

#include "eiam.h"

struct completion {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* on CLOCK_MONOTONIC */
    int calls;              /* how many times `done` ran */
    eiam_status status;     /* what the last one said */
    char *result;           /* a copy of its result_json (NULL if none) */
    char message[256];      /* its error message ("" if none) */
    double at_ms;           /* when it ran (now_ms) */
};

void completion_init(struct completion *c);
/* Frees the copied result; the completion must not be waited on again. */
void completion_destroy(struct completion *c);

/* An eiam_done_fn: user_data is a struct completion. */
void completion_done(void *user_data, eiam_status status, const eiam_error *error,
                     const char *result_json);
/* Records one callback (what completion_done does once it has checked
 * its arguments), for callbacks that do more. */
void completion_record(struct completion *c, eiam_status status, const eiam_error *error,
                       const char *result_json);

/* Waits until `done` has run `calls` times; false after timeout_ms (a bug
 * fails the test instead of hanging it). */
bool completion_wait(struct completion *c, int calls, double timeout_ms);

/* How many times `done` has run so far. */
int completion_calls(struct completion *c);

/* A monotonic clock in milliseconds. */
double now_ms(void);

#endif

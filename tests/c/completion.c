#define _POSIX_C_SOURCE 200809L
#include "completion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void completion_init(struct completion *c) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->changed, &attr);
    pthread_condattr_destroy(&attr);
}

void completion_destroy(struct completion *c) {
    free(c->result);
    c->result = NULL;
    pthread_cond_destroy(&c->changed);
    pthread_mutex_destroy(&c->lock);
}

void completion_record(struct completion *c, eiam_status status, const eiam_error *error,
                       const char *result_json) {
    pthread_mutex_lock(&c->lock);
    c->calls++;
    c->status = status;
    free(c->result);
    c->result = result_json ? strdup(result_json) : NULL;
    snprintf(c->message, sizeof c->message, "%s", error && error->message ? error->message : "");
    c->at_ms = now_ms();
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
}

void completion_done(void *user_data, eiam_status status, const eiam_error *error,
                     const char *result_json) {
    /* The contract of `done`: an error that agrees with the status, and a
     * result exactly when the call succeeded. */
    CHECK(error != NULL && error->status == status);
    CHECK((status == EIAM_STATUS_OK) == (result_json != NULL));
    CHECK(status == EIAM_STATUS_OK || (error && error->message && error->message[0]));
    completion_record(user_data, status, error, result_json);
}

bool completion_wait(struct completion *c, int calls, double timeout_ms) {
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    long ms = (long)timeout_ms;
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&c->lock);
    int rc = 0;
    while (c->calls < calls && rc == 0) rc = pthread_cond_timedwait(&c->changed, &c->lock, &deadline);
    bool reached = c->calls >= calls;
    pthread_mutex_unlock(&c->lock);
    return reached;
}

int completion_calls(struct completion *c) {
    pthread_mutex_lock(&c->lock);
    int calls = c->calls;
    pthread_mutex_unlock(&c->lock);
    return calls;
}

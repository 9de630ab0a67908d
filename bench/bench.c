/* The C side of the benchmark harness (bench/bench.py): times the owner
 * query or the bind through the C ABI against a running mock, one client
 * shared by `threads` threads. The harness interleaves short slices of
 * every contender, so this program keeps its client between slices: it
 * sets up and warms up, prints {"first_call_us":...}, then for each line
 * of stdin (a number of calls) makes that many calls and prints
 * {"seconds":...}, until end of input.
 *
 *   EIAM_MOCK_URL=... EIAM_MOCK_CLIENT_ID=... EIAM_MOCK_CLIENT_SECRET=... \
 *   ./bench get 1 <<< 20000 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eiam.h"

#define WARMUP_CALLS 200

static const eiam_client *client;
static int bind;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int call(void) {
    eiam_error err = {0};
    eiam_status st;
    if (bind) {
        char *account_id = NULL;
        st = eiam_bind_public_account_owner(client, "demo-app", "pub-2", "zhangsan", &account_id,
                                            &err);
        eiam_string_free(account_id);
    } else {
        eiam_owner owner = {0};
        st = eiam_get_public_account_owner(client, "demo-app", "pub-1", &owner, &err);
        eiam_owner_clear(&owner);
    }
    if (st != EIAM_STATUS_OK) fprintf(stderr, "call failed: %s\n", err.message);
    eiam_error_clear(&err);
    return st == EIAM_STATUS_OK;
}

static void *worker(void *arg) {
    long share = *(long *)arg;
    for (long i = 0; i < share; i++)
        if (!call()) return (void *)1;
    return NULL;
}

/* Seconds taken by `calls` calls shared out between `threads` threads
 * (one: the calling thread, as a sequential program would); < 0 if a call
 * failed. */
static double timed_calls(long calls, long threads) {
    pthread_t tids[64];
    long shares[64];
    int failed = 0;
    double started = now();
    if (threads == 1) {
        shares[0] = calls;
        failed = worker(&shares[0]) != NULL;
        threads = 0;
    }
    for (long i = 0; i < threads; i++) {
        shares[i] = calls / threads + (i < calls % threads);
        pthread_create(&tids[i], NULL, worker, &shares[i]);
    }
    for (long i = 0; i < threads; i++) {
        void *result;
        pthread_join(tids[i], &result);
        failed |= result != NULL;
    }
    double seconds = now() - started;
    return failed ? -1 : seconds;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "get") != 0 && strcmp(argv[1], "bind") != 0)) {
        fprintf(stderr, "usage: bench <get|bind> <threads>  (stdin: call counts, one a line)\n");
        return 2;
    }
    bind = strcmp(argv[1], "bind") == 0;
    long threads = atol(argv[2]);
    const char *url = getenv("EIAM_MOCK_URL"), *id = getenv("EIAM_MOCK_CLIENT_ID"),
               *secret = getenv("EIAM_MOCK_CLIENT_SECRET");
    /* An HTTPS mock's CA, trusted beside the platform store (whose loading
       is part of the first call's time). */
    const char *ca_file = getenv("EIAM_MOCK_CA_FILE");
    if (!url || !id || !secret || threads < 1 || threads > 64) {
        fprintf(stderr, "set EIAM_MOCK_URL, _CLIENT_ID, _CLIENT_SECRET; 1 <= threads <= 64\n");
        return 2;
    }

    double started = now();
    eiam_error err = {0};
    eiam_config *cfg = eiam_config_new();
    eiam_client *owned = NULL;
    if (eiam_config_set_base_url(cfg, url, &err) != EIAM_STATUS_OK ||
        eiam_config_set_client_credentials(cfg, id, secret, &err) != EIAM_STATUS_OK ||
        (ca_file && eiam_config_set_ca_file(cfg, ca_file, &err) != EIAM_STATUS_OK) ||
        eiam_client_new(cfg, &owned, &err) != EIAM_STATUS_OK) {
        fprintf(stderr, "setup failed: %s\n", err.message);
        return 1;
    }
    eiam_config_free(cfg);
    client = owned;
    if (!call()) return 1;
    double first_call = now() - started;
    for (int i = 1; i < WARMUP_CALLS; i++)
        if (!call()) return 1;
    printf("{\"first_call_us\":%.0f}\n", first_call * 1e6);
    fflush(stdout);

    int status = 0;
    long calls;
    while (scanf("%ld", &calls) == 1 && calls > 0) {
        double seconds = timed_calls(calls, threads);
        if (seconds < 0) {
            status = 1;
            break;
        }
        printf("{\"seconds\":%.9f}\n", seconds);
        fflush(stdout);
    }
    eiam_client_free(owned);
    return status;
}

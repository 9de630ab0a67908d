/* Memory over a long run through the C ABI: resident size after 100,000
 * calls (queries, binds and failing calls, every result freed as
 * documented) must stay within a few MiB of where it was after the first
 * 1,000. Exact leaks are valgrind's and LeakSanitizer's job (test_eiam.c);
 * this catches growth they cannot see, like a cache that never shrinks. A
 * small leak shows too: forgetting eiam_owner_clear (two short strings per
 * query) made it grow by 5.5 MiB.
 *
 * Runs against the mock named by EIAM_MOCK_URL / EIAM_MOCK_CLIENT_ID /
 * EIAM_MOCK_CLIENT_SECRET (scripts/soak-tests.sh starts it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eiam.h"

#define WARMUP_CALLS 1000
#define TOTAL_CALLS 100000
#define ALLOWED_GROWTH_KIB (3 * 1024)

/* VmRSS of this process in KiB, from /proc/self/status. */
static long resident_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
    fclose(f);
    return kib;
}

static int call(const eiam_client *client, long i) {
    eiam_error err = {0};
    if (i % 10 == 9) {
        /* An error path: must come back as an API error, freed by clear. */
        eiam_owner owner = {0};
        eiam_status st = eiam_get_public_account_owner(client, "no-such-app", "pub-1", &owner, &err);
        int ok = st == EIAM_STATUS_API_ERROR && err.code != NULL && owner.user_name == NULL;
        if (!ok) fprintf(stderr, "call %ld: expected an API error, got %d\n", i, (int)st);
        eiam_error_clear(&err);
        return ok;
    }
    if (i % 4 == 0) {
        char *account_id = NULL;
        eiam_status st =
            eiam_bind_public_account_owner(client, "demo-app", "pub-2", "lisi", &account_id, &err);
        if (st != EIAM_STATUS_OK) {
            fprintf(stderr, "call %ld: bind failed: %s\n", i, err.message);
            eiam_error_clear(&err);
            return 0;
        }
        eiam_string_free(account_id);
        return 1;
    }
    eiam_owner owner = {0};
    eiam_status st = eiam_get_public_account_owner(client, "demo-app", "pub-1", &owner, &err);
    int ok = st == EIAM_STATUS_OK && strcmp(owner.user_name, "zhangsan") == 0;
    if (!ok) fprintf(stderr, "call %ld: query failed: %s\n", i, err.message ? err.message : "?");
    eiam_owner_clear(&owner);
    eiam_error_clear(&err);
    return ok;
}

int main(void) {
    const char *url = getenv("EIAM_MOCK_URL");
    const char *id = getenv("EIAM_MOCK_CLIENT_ID");
    const char *secret = getenv("EIAM_MOCK_CLIENT_SECRET");
    if (!url || !id || !secret) {
        fprintf(stderr, "EIAM_MOCK_URL etc. not set\n");
        return 2;
    }
    eiam_error err = {0};
    eiam_config *cfg = eiam_config_new();
    eiam_client *client = NULL;
    if (eiam_config_set_base_url(cfg, url, &err) != EIAM_STATUS_OK ||
        eiam_config_set_client_credentials(cfg, id, secret, &err) != EIAM_STATUS_OK ||
        eiam_client_new(cfg, &client, &err) != EIAM_STATUS_OK) {
        fprintf(stderr, "setup failed: %s\n", err.message);
        return 1;
    }
    eiam_config_free(cfg);

    long after_warmup = 0;
    for (long i = 0; i < TOTAL_CALLS; i++) {
        if (!call(client, i)) return 1;
        if (i + 1 == WARMUP_CALLS) after_warmup = resident_kib();
    }
    long after_all = resident_kib();
    eiam_client_free(client);

    long growth = after_all - after_warmup;
    printf("C ABI resident size: %ld KiB after %d calls, %ld KiB after %d calls (%+ld KiB)\n",
           after_warmup, WARMUP_CALLS, after_all, TOTAL_CALLS, growth);
    if (after_warmup <= 0 || after_all <= 0) {
        fprintf(stderr, "could not read VmRSS\n");
        return 1;
    }
    if (growth > ALLOWED_GROWTH_KIB) {
        fprintf(stderr, "resident size grew by %ld KiB (allowed %d)\n", growth, ALLOWED_GROWTH_KIB);
        return 1;
    }
    return 0;
}

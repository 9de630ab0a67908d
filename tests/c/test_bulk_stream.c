/* eiam_bind_public_account_owners_streaming: items from a callback,
 * results to a callback, never more than `concurrency` items held.
 *
 * Run by scripts/c-tests.sh like the other programs: against libeiam.so,
 * libeiam.a, under AddressSanitizer + UBSan + LeakSanitizer, and under
 * valgrind --leak-check=full. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eiam.h"
#include "mock_admin.h"

static eiam_client *make_client(void) {
    eiam_config *cfg = eiam_config_new();
    CHECK(cfg != NULL);
    CHECK(eiam_config_set_base_url(cfg, mock_url, NULL) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_client_credentials(cfg, client_id, client_secret, NULL) ==
          EIAM_STATUS_OK);
    eiam_client *client = NULL;
    CHECK(eiam_client_new(cfg, &client, NULL) == EIAM_STATUS_OK);
    eiam_config_free(cfg);
    return client;
}

/* The demo tenant's two public accounts and owners to give them, in turn. */
static const char *const accounts[2] = {"pub-1", "pub-2"};
static const char *const owners[3] = {"zhangsan", "lisi", "cq04130006"};

/* A generated input: item i binds accounts[i % 2] to owners[i % 3]. The
 * strings are written into one buffer that every call overwrites, so a
 * library that kept the caller's pointers would see the wrong text. */
struct job {
    size_t total;       /* items the input yields */
    size_t taken;       /* items handed out by next() */
    size_t next_calls;  /* calls of next(), the final false included */
    size_t finished;    /* calls of done() */
    size_t held;        /* taken and not yet finished */
    size_t max_held;    /* high-water mark of held */
    size_t stop_after;  /* done() returns non-zero at this count (0: never) */
    size_t failures;    /* results with an error */
    int in_callback;    /* set while a callback runs: they must take turns */
    int overlapped;     /* a callback started while another ran */
    unsigned char *seen; /* seen[i]: done() received index i */
    char app_user_id[32], user_name[32];
    eiam_client *reenter; /* when set, done() reads the owner it just bound */
    size_t reentered_ok;
};

static void enter(struct job *j) {
    if (j->in_callback++) j->overlapped = 1;
}
static void leave(struct job *j) { j->in_callback--; }

static bool next_item(void *user_data, eiam_bind_item *out) {
    struct job *j = user_data;
    enter(j);
    j->next_calls++;
    bool more = j->taken < j->total;
    if (more) {
        CHECK(out->app_id == NULL && out->app_user_id == NULL && out->user_name == NULL);
        snprintf(j->app_user_id, sizeof j->app_user_id, "%s", accounts[j->taken % 2]);
        snprintf(j->user_name, sizeof j->user_name, "%s", owners[j->taken % 3]);
        out->app_id = "demo-app";
        out->app_user_id = j->app_user_id;
        out->user_name = j->user_name;
        j->taken++;
        if (++j->held > j->max_held) j->max_held = j->held;
    }
    leave(j);
    return more;
}

static int on_done(void *user_data, size_t index, const eiam_bind_item *item,
                   const eiam_bind_result *result) {
    struct job *j = user_data;
    enter(j);
    j->finished++;
    j->held--;
    CHECK(index < j->total && !j->seen[index]);
    if (index < j->total) j->seen[index] = 1;
    /* The item as the input gave it, from the library's copies. */
    CHECK(STREQ(item->app_id, "demo-app"));
    CHECK(STREQ(item->app_user_id, accounts[index % 2]));
    CHECK(STREQ(item->user_name, owners[index % 3]));
    CHECK(item->user_name != j->user_name && item->app_user_id != j->app_user_id);
    if (result->error.status == EIAM_STATUS_OK) {
        CHECK(STREQ(result->account_id, accounts[index % 2]));
        CHECK(result->error.message == NULL);
    } else {
        j->failures++;
        CHECK(result->account_id == NULL && result->error.message != NULL);
        fprintf(stderr, "item %zu failed: %s\n", index, result->error.message);
    }
    if (j->reenter) {
        /* The library may be called from done(), with the same client.
         * Another worker may have rebound the account since, so only a
         * known owner is asked for. */
        eiam_owner owner = {0};
        eiam_error err = {0};
        if (eiam_get_public_account_owner(j->reenter, "demo-app", item->app_user_id, &owner,
                                          &err) == EIAM_STATUS_OK &&
            owner.user_name != NULL)
            j->reentered_ok++;
        eiam_owner_clear(&owner);
        eiam_error_clear(&err);
    }
    int stop = j->stop_after && j->finished >= j->stop_after;
    leave(j);
    return stop;
}

static void start_job(struct job *j, size_t total) {
    memset(j, 0, sizeof *j);
    j->total = total;
    j->seen = calloc(total ? total : 1, 1);
    CHECK(j->seen != NULL);
}

static void end_job(struct job *j) { free(j->seen); }

/* Many items, with flat memory: never more than `concurrency` items are
 * taken and not yet finished, and the input is read to its end once. */
static void test_many_items_held_at_most_concurrency(void) {
    snprintf(check_context, sizeof check_context, "many items");
    reset_mock();
    eiam_client *c = make_client();
    CHECK(eiam_client_authenticate(c, NULL) == EIAM_STATUS_OK);
    enum { N = 600, CONCURRENCY = 4 };
    /* Slow answers for the first items, so that the workers overlap. */
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults",
                     "{\"action\":\"normal\",\"delay_ms\":50,\"count\":16}", NULL, 0) == 200);
    struct job j;
    start_job(&j, N);
    eiam_job_summary summary = {0, true};
    eiam_error err = {0};
    CHECK(eiam_bind_public_account_owners_streaming(c, CONCURRENCY, next_item, on_done, &j,
                                                    &summary, &err) == EIAM_STATUS_OK);
    CHECK(err.status == EIAM_STATUS_OK && err.message == NULL);
    CHECK(summary.started == N && !summary.stopped);
    CHECK(j.taken == N && j.finished == N && j.held == 0 && j.failures == 0);
    CHECK(j.next_calls == N + 1); /* not called again after the end */
    CHECK(j.max_held <= CONCURRENCY);
    CHECK(j.max_held >= 2);
    CHECK(!j.overlapped);
    size_t seen = 0;
    for (size_t i = 0; i < N; i++) seen += j.seen[i];
    CHECK(seen == N);
    CHECK(mock_stats_number(mock_url, "api_requests") == N);
    end_job(&j);

    /* An empty input: next() once, done() never. */
    start_job(&j, 0);
    CHECK(eiam_bind_public_account_owners_streaming(c, 0, next_item, on_done, &j, &summary,
                                                    &err) == EIAM_STATUS_OK);
    CHECK(summary.started == 0 && !summary.stopped && j.next_calls >= 1 && j.finished == 0);
    end_job(&j);
    eiam_client_free(c);
}

/* done() returning non-zero starts nothing more; the calls in flight are
 * still handed over, and next() is not called for the rest. */
static void test_stop_from_done(void) {
    snprintf(check_context, sizeof check_context, "stop from done");
    reset_mock();
    eiam_client *c = make_client();
    CHECK(eiam_client_authenticate(c, NULL) == EIAM_STATUS_OK);
    enum { CONCURRENCY = 3 };
    struct job j;
    start_job(&j, 100);
    j.stop_after = 5;
    eiam_job_summary summary = {0};
    CHECK(eiam_bind_public_account_owners_streaming(c, CONCURRENCY, next_item, on_done, &j,
                                                    &summary, NULL) == EIAM_STATUS_OK);
    CHECK(summary.stopped);
    CHECK(summary.started == j.taken && j.finished == j.taken && j.held == 0);
    CHECK(j.taken >= 5 && j.taken < 5 + CONCURRENCY);
    CHECK(j.next_calls == j.taken);
    CHECK(mock_stats_number(mock_url, "api_requests") == (long)j.taken);
    end_job(&j);
    eiam_client_free(c);
}

/* A bad item fails alone with its own error; the items around it bind. */
struct bad_input {
    size_t taken;
    size_t finished;
    eiam_status status[4];
    char message[4][128];
    int null_field_seen, bytes_seen;
};

static const char non_utf8[] = {(char)0xff, (char)0xfe, 0};

static bool next_bad(void *user_data, eiam_bind_item *out) {
    struct bad_input *b = user_data;
    switch (b->taken++) {
    case 0: *out = (eiam_bind_item){"demo-app", "pub-1", "zhangsan"}; return true;
    case 1: *out = (eiam_bind_item){"demo-app", NULL, "zhangsan"}; return true;
    case 2: *out = (eiam_bind_item){"demo-app", "pub-2", non_utf8}; return true;
    case 3: return true; /* nothing filled in: every field NULL */
    default: return false;
    }
}

static int done_bad(void *user_data, size_t index, const eiam_bind_item *item,
                    const eiam_bind_result *result) {
    struct bad_input *b = user_data;
    b->finished++;
    if (index >= 4) return 1;
    b->status[index] = result->error.status;
    snprintf(b->message[index], sizeof b->message[index], "%s",
             result->error.message ? result->error.message : "");
    if (index == 1 && item->app_user_id == NULL && STREQ(item->user_name, "zhangsan"))
        b->null_field_seen = 1;
    /* The field comes back as the caller's bytes, not replaced. */
    if (index == 2 && item->user_name && strcmp(item->user_name, non_utf8) == 0) b->bytes_seen = 1;
    return 0;
}

static void test_bad_items_fail_alone(void) {
    snprintf(check_context, sizeof check_context, "bad items");
    reset_mock();
    eiam_client *c = make_client();
    CHECK(eiam_client_authenticate(c, NULL) == EIAM_STATUS_OK);
    struct bad_input b = {0};
    eiam_job_summary summary = {0};
    eiam_error err = {0};
    CHECK(eiam_bind_public_account_owners_streaming(c, 2, next_bad, done_bad, &b, &summary,
                                                    &err) == EIAM_STATUS_OK);
    CHECK(summary.started == 4 && b.finished == 4);
    CHECK(b.status[0] == EIAM_STATUS_OK);
    CHECK(b.status[1] == EIAM_STATUS_INVALID_ARGUMENT && strstr(b.message[1], "app_user_id"));
    CHECK(b.status[2] == EIAM_STATUS_INVALID_ARGUMENT && strstr(b.message[2], "user_name"));
    CHECK(b.status[3] == EIAM_STATUS_INVALID_ARGUMENT && strstr(b.message[3], "app_id"));
    CHECK(b.null_field_seen && b.bytes_seen);
    /* Only the good item reached the service. */
    CHECK(mock_stats_number(mock_url, "api_requests") == 1);
    eiam_client_free(c);
}

/* done() may call the library, on the job's own client. */
static void test_reentry_from_done(void) {
    snprintf(check_context, sizeof check_context, "re-entry from done");
    reset_mock();
    eiam_client *c = make_client();
    struct job j;
    start_job(&j, 30);
    j.reenter = c;
    eiam_job_summary summary = {0};
    CHECK(eiam_bind_public_account_owners_streaming(c, 4, next_item, on_done, &j, &summary,
                                                    NULL) == EIAM_STATUS_OK);
    CHECK(summary.started == 30 && j.finished == 30 && j.failures == 0);
    CHECK(j.reentered_ok == 30);
    CHECK(mock_stats_number(mock_url, "api_requests") == 60);
    end_job(&j);
    eiam_client_free(c);
}

int main(void) {
    read_mock_env();
    test_many_items_held_at_most_concurrency();
    test_stop_from_done();
    test_bad_items_fail_alone();
    test_reentry_from_done();
    printf("bulk streaming: %d passed, %d failed\n", check_passed, check_failed);
    return check_exit_status();
}

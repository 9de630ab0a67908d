/* C tests of the async API: eiam_call_async and its task, cancel tokens
 * for the synchronous functions, and the bounded worker pool.
 *
 * Run by scripts/c-tests.sh like test_eiam.c (shared, static, ASan + UBSan
 * + LSan, valgrind). Completions are waited for on a condition variable
 * (completion.h), the mock's progress by reading its counters; nothing
 * sleeps. The only upper bound on time is the issue's: a cancelled call
 * ends within 100 ms (the lower ones follow from the mock's delays). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "completion.h"
#include "eiam.h"
#include "mock_admin.h"

/* Long enough for any completion this suite waits for, under valgrind too:
 * a bug fails a check instead of hanging the suite. */
#define WAIT_MS 30000.0
/* The bound on cancellation. */
#define CANCEL_MS 100.0

#define OWNER_ARGS "{\"app_id\":\"demo-app\",\"app_user_id\":\"pub-1\"}"
#define ACCOUNT_ARGS "{\"app_id\":\"demo-app\",\"account_id\":\"pub-1\"}"

/* A client of the mock with `async_workers` workers (0: the default). */
static eiam_client *make_client(uint32_t async_workers) {
    eiam_config *cfg = eiam_config_new();
    CHECK(cfg != NULL);
    CHECK(eiam_config_set_base_url(cfg, mock_url, NULL) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_client_credentials(cfg, client_id, client_secret, NULL) ==
          EIAM_STATUS_OK);
    if (async_workers) CHECK(eiam_config_set_async_workers(cfg, async_workers, NULL) == EIAM_STATUS_OK);
    eiam_client *client = NULL;
    CHECK(eiam_client_new(cfg, &client, NULL) == EIAM_STATUS_OK);
    eiam_config_free(cfg);
    return client;
}

/* A fresh mock and an authenticated client, so that every request the
 * mock counts from here on is an API request. */
static eiam_client *fresh_client(uint32_t async_workers) {
    reset_mock();
    eiam_client *client = make_client(async_workers);
    CHECK(eiam_client_authenticate(client, NULL) == EIAM_STATUS_OK);
    return client;
}

/* Holds the next `count` API requests for `delay_ms` before answering. */
static void delay_answers(int count, long delay_ms) {
    char fault[160];
    snprintf(fault, sizeof fault,
             "{\"target\":\"api\",\"count\":%d,\"action\":\"normal\",\"delay_ms\":%ld}", count,
             delay_ms);
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults", fault, NULL, 0) == 200);
}

/* Waits until the mock's counter `key` reaches `at_least` (the mock has
 * received a request and holds it), reading it over and over. */
static bool wait_for_mock(const char *key, long at_least) {
    double until = now_ms() + WAIT_MS;
    while (now_ms() < until)
        if (mock_stats_number(mock_url, key) >= at_least) return true;
    return false;
}

/* Starts `call` and checks that it was accepted. */
static eiam_task *start(eiam_client *c, const char *call, const char *args,
                        struct completion *done) {
    eiam_task *task = NULL;
    eiam_error err = {0};
    eiam_status st = eiam_call_async(c, call, args, completion_done, done, &task, &err);
    CHECK(st == EIAM_STATUS_OK && task != NULL);
    if (st != EIAM_STATUS_OK) fprintf(stderr, "  %s: %s\n", call, err.message);
    eiam_error_clear(&err);
    return task;
}

/* Runs `call` to its end and answers a copy of its result (free it), having
 * checked its status. */
static char *run(eiam_client *c, const char *call, const char *args, eiam_status want) {
    struct completion done;
    completion_init(&done);
    eiam_task *task = start(c, call, args, &done);
    CHECK(completion_wait(&done, 1, WAIT_MS));
    CHECK(done.status == want);
    if (done.status != want) fprintf(stderr, "  %s: %s\n", call, done.message);
    char *result = done.result;
    done.result = NULL;
    eiam_task_free(task);
    completion_destroy(&done);
    return result;
}

/* How many times `needle` occurs in `text`. */
static int occurrences(const char *text, const char *needle) {
    int n = 0;
    for (const char *at = text; at && (at = strstr(at, needle)); at += strlen(needle)) n++;
    return n;
}

/* ---- the bounded pool ------------------------------------------------ */

static void test_async_workers_setting(void) {
    snprintf(check_context, sizeof check_context, "async_workers setting");
    eiam_config *cfg = eiam_config_new();
    CHECK(eiam_config_set_base_url(cfg, mock_url, NULL) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_client_credentials(cfg, client_id, client_secret, NULL) ==
          EIAM_STATUS_OK);
    eiam_client *client = NULL;
    eiam_error err = {0};
    const uint32_t refused[] = {0, EIAM_MAX_ASYNC_WORKERS + 1, 2000};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK(eiam_config_set_async_workers(cfg, refused[i], &err) == EIAM_STATUS_OK);
        CHECK(eiam_client_new(cfg, &client, &err) == EIAM_STATUS_INVALID_ARGUMENT);
        CHECK(client == NULL && err.message && strstr(err.message, "async_workers"));
    }
    CHECK(eiam_config_set_async_workers(cfg, EIAM_MAX_ASYNC_WORKERS, &err) == EIAM_STATUS_OK);
    CHECK(eiam_client_new(cfg, &client, &err) == EIAM_STATUS_OK);
    eiam_client_free(client);
    eiam_error_clear(&err);
    eiam_config_free(cfg);
}

enum { BOUND_CALLS = 6, BOUND_DELAY_MS = 300 };

/* Runs BOUND_CALLS calls on a client with 2 workers against answers held
 * BOUND_DELAY_MS, and answers how many of them the mock held at once, or
 * -1 when that cannot be read: the mock's in-flight count also holds the
 * 10 s answers of earlier runs' cancelled calls, exact only while none of
 * those ends. */
static long calls_in_flight_at_most(void) {
    eiam_client *client = fresh_client(2);
    long held_before = mock_stats_number(mock_url, "in_flight");
    delay_answers(BOUND_CALLS, BOUND_DELAY_MS);
    struct completion done[BOUND_CALLS];
    eiam_task *tasks[BOUND_CALLS];
    double started = now_ms(), last = 0;
    for (int i = 0; i < BOUND_CALLS; i++) {
        completion_init(&done[i]);
        tasks[i] = start(client, "get_public_account_owner", OWNER_ARGS, &done[i]);
    }
    for (int i = 0; i < BOUND_CALLS; i++) {
        CHECK(completion_wait(&done[i], 1, WAIT_MS));
        CHECK(done[i].status == EIAM_STATUS_OK && strstr(done[i].result, "\"zhangsan\""));
        if (done[i].at_ms > last) last = done[i].at_ms;
    }
    long peak = mock_stats_number(mock_url, "max_in_flight");
    long held_after = mock_stats_number(mock_url, "in_flight");
    /* Two at a time: three rounds of the delay. */
    CHECK(last - started >= 3 * BOUND_DELAY_MS);
    CHECK(mock_stats_number(mock_url, "api_requests") == BOUND_CALLS);
    for (int i = 0; i < BOUND_CALLS; i++) {
        eiam_task_free(tasks[i]);
        completion_destroy(&done[i]);
    }
    eiam_client_free(client);
    return held_after == held_before ? peak - held_before : -1;
}

static void test_workers_are_bounded(void) {
    snprintf(check_context, sizeof check_context, "async_workers = 2");
    long in_flight = -1;
    for (int attempt = 0; attempt < 5 && in_flight < 0; attempt++)
        in_flight = calls_in_flight_at_most();
    CHECK(in_flight == 2);
    if (in_flight != 2) fprintf(stderr, "  %ld calls in flight at once\n", in_flight);
}

/* ---- calls and their answers ----------------------------------------- */

static void test_calls_answer_json(void) {
    snprintf(check_context, sizeof check_context, "calls");
    eiam_client *client = fresh_client(0);

    char *owner = run(client, "get_public_account_owner", OWNER_ARGS, EIAM_STATUS_OK);
    CHECK(owner && strstr(owner, "\"user_name\":\"zhangsan\""));
    CHECK(owner && strstr(owner, "\"user_id\":\"20220331164602949-904C-D475B60AE\""));
    free(owner);

    char *created = run(client, "create_orphan_account",
                        "{\"app_id\":\"demo-app\",\"account_name\":\"async-bot\","
                        "\"extension\":{\"k\":[1]}}",
                        EIAM_STATUS_OK);
    char id[128] = "";
    CHECK(created && sscanf(created, "{\"account_id\":\"%127[^\"]\"}", id) == 1);
    free(created);
    char args[256];
    snprintf(args, sizeof args, "{\"app_id\":\"demo-app\",\"account_id\":\"%s\"}", id);
    char *account = run(client, "get_account", args, EIAM_STATUS_OK);
    CHECK(account && strstr(account, "\"account_type\":\"ORPHAN_ACCOUNT\""));
    CHECK(account && strstr(account, "\"account_name\":\"async-bot\""));
    CHECK(account && strstr(account, "\"extension\":{\"k\":[1]}"));
    free(account);

    char *page = run(client, "list_accounts",
                     "{\"app_id\":\"paging-app\",\"page\":2,\"page_size\":100}", EIAM_STATUS_OK);
    CHECK(page && strstr(page, "\"total\":250") && strstr(page, "\"page\":2"));
    CHECK(occurrences(page, "\"id\":\"acct-") == 50);
    free(page);

    char *raw = run(client, "request",
                    "{\"method\":\"GET\",\"path\":\"/api/v2/tenant/applications/demo-app/"
                    "accounts/pub-1\"}",
                    EIAM_STATUS_OK);
    CHECK(raw && strstr(raw, "pub-1"));
    free(raw);

    /* delete answers null. */
    char *deleted = run(client, "delete_account", args, EIAM_STATUS_OK);
    CHECK(STREQ(deleted, "null"));
    free(deleted);
    char *gone = run(client, "get_account", args, EIAM_STATUS_API_ERROR);
    CHECK(gone == NULL);
    eiam_client_free(client);
}

/* The cursor an accounts_next answer carries, copied into `out` ("null"
 * when the walk is over). */
static bool cursor_of(const char *answer, char *out, size_t cap) {
    const char *at = answer ? strstr(answer, "\"cursor\":") : NULL;
    if (!at) return false;
    at += strlen("\"cursor\":");
    /* The cursor is a flat object: it ends at its first '}'. */
    size_t len = strncmp(at, "null", 4) == 0 ? 4 : (size_t)(strchr(at, '}') - at + 1);
    if (len >= cap) return false;
    memcpy(out, at, len);
    out[len] = '\0';
    return true;
}

static void test_cursor_walk(void) {
    snprintf(check_context, sizeof check_context, "accounts_next walk");
    eiam_client *client = fresh_client(0);
    char cursor[256] = "";
    int pages = 0, items = 0;
    for (;;) {
        char args[384];
        if (cursor[0])
            snprintf(args, sizeof args,
                     "{\"app_id\":\"paging-app\",\"page_size\":100,\"cursor\":%s}", cursor);
        else
            snprintf(args, sizeof args, "{\"app_id\":\"paging-app\",\"page_size\":100}");
        char *answer = run(client, "accounts_next", args, EIAM_STATUS_OK);
        int got = occurrences(answer, "\"id\":\"acct-");
        bool read = cursor_of(answer, cursor, sizeof cursor);
        CHECK(read);
        CHECK(answer && strstr(answer, "\"total\":250"));
        free(answer);
        if (got == 0 || !read) break;
        pages++;
        items += got;
        if (strcmp(cursor, "null") == 0 || pages > 10) break;
    }
    CHECK(pages == 3 && items == 250);
    if (pages != 3 || items != 250) fprintf(stderr, "  %d pages, %d items\n", pages, items);
    CHECK(mock_stats_number(mock_url, "api_requests") == 3);
    eiam_client_free(client);
}

/* ---- the caller is never blocked ------------------------------------- */

static void test_caller_is_not_blocked(void) {
    snprintf(check_context, sizeof check_context, "not blocked");
    enum { DELAY_MS = 2000 };
    eiam_client *client = fresh_client(0);
    delay_answers(1, DELAY_MS);
    struct completion done;
    completion_init(&done);
    double called = now_ms();
    eiam_task *task = start(client, "get_account", ACCOUNT_ARGS, &done);
    double returned = now_ms();
    /* Back before the mock answered: nothing has completed yet. */
    CHECK(completion_calls(&done) == 0);
    CHECK(returned - called < DELAY_MS);
    CHECK(completion_wait(&done, 1, WAIT_MS));
    CHECK(done.status == EIAM_STATUS_OK && strstr(done.result, "\"id\":\"pub-1\""));
    CHECK(done.at_ms - called >= DELAY_MS);
    eiam_task_free(task);
    completion_destroy(&done);
    eiam_client_free(client);
}

/* ---- cancellation ---------------------------------------------------- */

/* The 10 s answer is cut short by eiam_task_cancel, within 100 ms. */
static void test_cancel_while_the_server_holds_the_answer(void) {
    snprintf(check_context, sizeof check_context, "task cancel");
    eiam_client *client = fresh_client(0);
    delay_answers(1, 10000);
    struct completion done;
    completion_init(&done);
    eiam_task *task = start(client, "get_account", ACCOUNT_ARGS, &done);
    CHECK(wait_for_mock("api_requests", 1));
    double cancelled = now_ms();
    eiam_task_cancel(task);
    CHECK(completion_wait(&done, 1, WAIT_MS));
    CHECK(done.status == EIAM_STATUS_CANCELLED && done.result == NULL);
    CHECK(done.at_ms - cancelled < CANCEL_MS);
    if (done.at_ms - cancelled >= CANCEL_MS)
        fprintf(stderr, "  cancelled after %.1f ms\n", done.at_ms - cancelled);
    eiam_task_cancel(task); /* again, and after the end: harmless */
    CHECK(completion_calls(&done) == 1);
    eiam_task_free(task);
    /* The client is not cancelled, only that call. */
    char *owner = run(client, "get_public_account_owner", OWNER_ARGS, EIAM_STATUS_OK);
    CHECK(owner && strstr(owner, "zhangsan"));
    free(owner);
    completion_destroy(&done);
    eiam_client_free(client);
}

struct canceller {
    eiam_cancel *cancel;
    double at_ms; /* when it cancelled */
    bool saw_request;
};

/* Cancels once the mock holds the request. */
static void *cancel_when_held(void *arg) {
    struct canceller *c = arg;
    c->saw_request = wait_for_mock("api_requests", 1);
    c->at_ms = now_ms();
    eiam_cancel_cancel(c->cancel);
    return NULL;
}

/* A synchronous call on an eiam_client_with_cancel view, cancelled from
 * another thread. */
static void test_cancel_a_synchronous_call(void) {
    snprintf(check_context, sizeof check_context, "sync cancel");
    eiam_client *client = fresh_client(0);
    struct canceller canceller = {eiam_cancel_new(), 0, false};
    CHECK(canceller.cancel != NULL);
    eiam_client *view = NULL;
    eiam_error err = {0};
    CHECK(eiam_client_with_cancel(client, canceller.cancel, &view, &err) == EIAM_STATUS_OK);
    delay_answers(1, 10000);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, cancel_when_held, &canceller) == 0);
    eiam_account account = {0};
    eiam_status st = eiam_get_account(view, "demo-app", "pub-1", &account, &err);
    double returned = now_ms();
    pthread_join(thread, NULL);
    CHECK(canceller.saw_request);
    CHECK(st == EIAM_STATUS_CANCELLED && err.status == EIAM_STATUS_CANCELLED);
    CHECK(account.id == NULL);
    CHECK(returned - canceller.at_ms < CANCEL_MS);
    if (returned - canceller.at_ms >= CANCEL_MS)
        fprintf(stderr, "  cancelled after %.1f ms\n", returned - canceller.at_ms);

    /* Cancelled stays cancelled: the next call sends nothing, and neither
     * does a new view of the same token, nor an async call on the view. */
    eiam_cancel_cancel(canceller.cancel);
    CHECK(eiam_get_account(view, "demo-app", "pub-1", &account, &err) == EIAM_STATUS_CANCELLED);
    eiam_client *again = NULL;
    CHECK(eiam_client_with_cancel(client, canceller.cancel, &again, &err) == EIAM_STATUS_OK);
    eiam_cancel_free(canceller.cancel); /* the views keep what they need */
    CHECK(eiam_get_account(again, "demo-app", "pub-1", &account, &err) == EIAM_STATUS_CANCELLED);
    char *nothing = run(again, "get_account", ACCOUNT_ARGS, EIAM_STATUS_CANCELLED);
    CHECK(nothing == NULL);
    free(nothing);
    CHECK(mock_stats_number(mock_url, "api_requests") == 1);
    eiam_client_free(again);
    eiam_client_free(view);

    /* The client itself was never cancelled, and a view outlives it. */
    eiam_cancel *fresh = eiam_cancel_new();
    CHECK(eiam_client_with_cancel(client, fresh, &view, &err) == EIAM_STATUS_OK);
    CHECK(eiam_get_account(client, "demo-app", "pub-1", &account, &err) == EIAM_STATUS_OK);
    eiam_account_clear(&account);
    eiam_client_free(client);
    CHECK(eiam_get_account(view, "demo-app", "pub-1", &account, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(account.id, "pub-1"));
    eiam_account_clear(&account);
    eiam_client_free(view);
    eiam_cancel_free(fresh);
    eiam_error_clear(&err);
}

/* A call cancelled while it waits for a worker ends without a request. */
static void test_cancel_before_it_starts(void) {
    snprintf(check_context, sizeof check_context, "cancel queued");
    eiam_client *client = fresh_client(1);
    delay_answers(1, 300);
    struct completion busy, queued;
    completion_init(&busy);
    completion_init(&queued);
    eiam_task *first = start(client, "get_account", ACCOUNT_ARGS, &busy);
    CHECK(wait_for_mock("api_requests", 1)); /* the only worker is taken */
    eiam_task *second = start(client, "get_account", ACCOUNT_ARGS, &queued);
    eiam_task_cancel(second);
    CHECK(completion_wait(&queued, 1, WAIT_MS) && completion_wait(&busy, 1, WAIT_MS));
    CHECK(queued.status == EIAM_STATUS_CANCELLED);
    CHECK(busy.status == EIAM_STATUS_OK);
    CHECK(mock_stats_number(mock_url, "api_requests") == 1);
    eiam_task_free(first);
    eiam_task_free(second);
    completion_destroy(&busy);
    completion_destroy(&queued);
    eiam_client_free(client);
}

/* ---- the handles' lifetimes ------------------------------------------ */

static void test_handles_freed_early_or_late(void) {
    snprintf(check_context, sizeof check_context, "lifetimes");
    eiam_client *client = fresh_client(0);
    struct completion early, twice, late;
    completion_init(&early);
    completion_init(&twice);
    completion_init(&late);

    /* The task and the client freed before the call ends: done still
     * comes, once, with the answer. */
    delay_answers(1, 300);
    eiam_client *doomed = make_client(0);
    eiam_task_free(start(doomed, "get_account", ACCOUNT_ARGS, &early));
    eiam_client_free(doomed);
    CHECK(completion_wait(&early, 1, WAIT_MS));
    CHECK(early.status == EIAM_STATUS_OK && strstr(early.result, "pub-1"));

    /* Cancelled twice: one CANCELLED. */
    delay_answers(1, 300);
    eiam_task *task = start(client, "get_account", ACCOUNT_ARGS, &twice);
    eiam_task_cancel(task);
    eiam_task_cancel(task);
    CHECK(completion_wait(&twice, 1, WAIT_MS));
    CHECK(twice.status == EIAM_STATUS_CANCELLED);
    eiam_task_free(task);

    /* Cancelled and freed after it ended: nothing changes. */
    task = start(client, "get_account", ACCOUNT_ARGS, &late);
    CHECK(completion_wait(&late, 1, WAIT_MS));
    eiam_task_cancel(task);
    eiam_task_cancel(task);
    eiam_task_free(task);
    CHECK(late.status == EIAM_STATUS_OK);

    /* Each done ran exactly once (the last check of each, so that any
     * second call has had the longest time to show). */
    CHECK(completion_calls(&early) == 1 && completion_calls(&twice) == 1 &&
          completion_calls(&late) == 1);
    completion_destroy(&early);
    completion_destroy(&twice);
    completion_destroy(&late);
    eiam_client_free(client);
}

/* ---- done calls back into the library -------------------------------- */

struct reentry {
    struct completion first, second;
    eiam_client *client;
    eiam_task *own_task; /* written by the starter once eiam_call_async returned */
    bool task_known;
    eiam_status nested_sync, nested_async;
};

/* From inside done: a synchronous call, a second async call, and freeing
 * the task that is completing. */
static void reenter(void *user_data, eiam_status status, const eiam_error *error,
                    const char *result_json) {
    struct reentry *r = user_data;
    eiam_owner owner = {0};
    r->nested_sync = eiam_get_public_account_owner(r->client, "demo-app", "pub-1", &owner, NULL);
    eiam_owner_clear(&owner);
    r->nested_async = eiam_call_async(r->client, "get_account", ACCOUNT_ARGS, completion_done,
                                      &r->second, NULL, NULL);
    /* The handle is the starter's to write: wait for it. */
    pthread_mutex_lock(&r->first.lock);
    while (!r->task_known) pthread_cond_wait(&r->first.changed, &r->first.lock);
    pthread_mutex_unlock(&r->first.lock);
    eiam_task_free(r->own_task);
    completion_record(&r->first, status, error, result_json);
}

static void test_done_calls_the_library(void) {
    snprintf(check_context, sizeof check_context, "re-entry");
    struct reentry r = {.client = fresh_client(0)};
    completion_init(&r.first);
    completion_init(&r.second);
    eiam_task *task = NULL;
    CHECK(eiam_call_async(r.client, "get_public_account_owner", OWNER_ARGS, reenter, &r, &task,
                          NULL) == EIAM_STATUS_OK);
    pthread_mutex_lock(&r.first.lock);
    r.own_task = task;
    r.task_known = true;
    pthread_cond_broadcast(&r.first.changed);
    pthread_mutex_unlock(&r.first.lock);
    CHECK(completion_wait(&r.first, 1, WAIT_MS) && completion_wait(&r.second, 1, WAIT_MS));
    CHECK(r.first.status == EIAM_STATUS_OK && strstr(r.first.result, "zhangsan"));
    CHECK(r.nested_sync == EIAM_STATUS_OK && r.nested_async == EIAM_STATUS_OK);
    CHECK(r.second.status == EIAM_STATUS_OK && strstr(r.second.result, "\"id\":\"pub-1\""));
    CHECK(mock_stats_number(mock_url, "api_requests") == 3);
    completion_destroy(&r.first);
    completion_destroy(&r.second);
    eiam_client_free(r.client);
}

/* ---- bad input ------------------------------------------------------- */

/* Refused calls never reach done: this completion must stay untouched. */
static struct completion never;

static void expect_refused(eiam_client *c, const char *call, const char *args,
                           eiam_done_fn done, const char *names) {
    eiam_task *const untouched = (eiam_task *)&never;
    eiam_task *task = untouched;
    eiam_error err = {0};
    CHECK(eiam_call_async(c, call, args, done, &never, &task, &err) == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(err.status == EIAM_STATUS_INVALID_ARGUMENT && err.message && strstr(err.message, names));
    CHECK(task == untouched);
    eiam_error_clear(&err);
}

static void test_bad_input(void) {
    snprintf(check_context, sizeof check_context, "bad input");
    eiam_client *client = fresh_client(0);
    completion_init(&never);
    expect_refused(NULL, "get_account", ACCOUNT_ARGS, completion_done, "client");
    expect_refused(client, NULL, ACCOUNT_ARGS, completion_done, "call");
    expect_refused(client, "get_account", ACCOUNT_ARGS, NULL, "done");
    expect_refused(client, "drop_database", "{}", completion_done, "no call named \"drop_database\"");
    expect_refused(client, "get_account", "{app_id:", completion_done, "args_json is not JSON");
    /* What the call itself finds wrong comes to done. */
    struct completion done;
    completion_init(&done);
    eiam_task *task = start(client, "get_account",
                            "{\"app_id\":\"demo-app\",\"account_id\":\"pub-1\",\"typo\":1}", &done);
    CHECK(completion_wait(&done, 1, WAIT_MS));
    CHECK(done.status == EIAM_STATUS_INVALID_ARGUMENT && strstr(done.message, "typo"));
    CHECK(done.result == NULL);
    eiam_task_free(task);
    completion_destroy(&done);
    char *none = run(client, "get_account", NULL, EIAM_STATUS_INVALID_ARGUMENT); /* no arguments */
    CHECK(none == NULL);
    CHECK(mock_stats_number(mock_url, "api_requests") == 0);
    eiam_client_free(client);
}

int main(void) {
    read_mock_env();
    test_async_workers_setting();
    test_workers_are_bounded();
    test_bad_input();
    test_calls_answer_json();
    test_cursor_walk();
    test_caller_is_not_blocked();
    test_cancel_while_the_server_holds_the_answer();
    test_cancel_a_synchronous_call();
    test_cancel_before_it_starts();
    test_handles_freed_early_or_late();
    test_done_calls_the_library();
    check_context[0] = '\0';
    CHECK(completion_calls(&never) == 0);
    completion_destroy(&never);
    printf("async: %d checks passed, %d failed\n", check_passed, check_failed);
    return check_exit_status();
}

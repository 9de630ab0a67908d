/* C tests of libeiam against the embedded mock server.
 *
 * Run by scripts/c-tests.sh, which starts `eiam-mock` and exports
 * EIAM_MOCK_URL, EIAM_MOCK_CLIENT_ID and EIAM_MOCK_CLIENT_SECRET. Built with
 * -Wall -Wextra -Werror, run plain, under valgrind and with AddressSanitizer,
 * linked both to libeiam.so and to libeiam.a. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "eiam.h"
#include "mock_admin.h"

/* A client for base_url with the mock's credentials (or the given secret),
 * a deadline and a retry count. */
static eiam_client *make_client(const char *base_url, const char *secret,
                                uint64_t timeout_ms, uint32_t retries) {
    eiam_error err = {0};
    eiam_config *cfg = eiam_config_new();
    CHECK(cfg != NULL);
    CHECK(eiam_config_set_base_url(cfg, base_url, &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_client_credentials(cfg, client_id, secret, &err) ==
          EIAM_STATUS_OK);
    CHECK(eiam_config_set_timeout_ms(cfg, timeout_ms, &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_max_retries(cfg, retries, &err) == EIAM_STATUS_OK);
    eiam_client *client = NULL;
    eiam_status st = eiam_client_new(cfg, &client, &err);
    CHECK(st == EIAM_STATUS_OK);
    if (st != EIAM_STATUS_OK) fprintf(stderr, "client_new: %s\n", err.message);
    eiam_config_free(cfg);
    eiam_error_clear(&err);
    return client;
}

static void test_version(void) {
    const char *v = eiam_version();
    CHECK(v != NULL && strchr(v, '.') != NULL);
    CHECK(v == eiam_version()); /* static: same pointer every time */
}

/* The library's own names and text, for bindings to use instead of
 * tables of their own. */
static void test_status_names_and_error_text(void) {
    CHECK(STREQ(eiam_status_name(EIAM_STATUS_OK), "ok"));
    CHECK(STREQ(eiam_status_name(EIAM_STATUS_INVALID_ARGUMENT), "invalid argument"));
    CHECK(STREQ(eiam_status_name(EIAM_STATUS_API_ERROR), "api"));
    CHECK(STREQ(eiam_status_name(EIAM_STATUS_CANCELLED), "cancelled"));
    CHECK(STREQ(eiam_status_name(99), "unknown"));
    CHECK(STREQ(eiam_status_name(-1), "unknown"));
    eiam_error err = {0};
    char *text = NULL;
    CHECK(eiam_error_to_string(&err, &text, NULL) == EIAM_STATUS_OK);
    CHECK(STREQ(text, "ok"));
    eiam_string_free(text);
    eiam_client *c = make_client(mock_url, client_secret, 10000, 0);
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "no-such-account", &owner, &err) ==
          EIAM_STATUS_API_ERROR);
    text = NULL;
    CHECK(eiam_error_to_string(&err, &text, NULL) == EIAM_STATUS_OK);
    CHECK(text && strncmp(text, "api error APP.ACCOUNT.0038 (HTTP 400): ", 39) == 0);
    eiam_string_free(text);
    eiam_error err2 = {0};
    CHECK(eiam_error_to_string(NULL, &text, &err2) == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(err2.message && strstr(err2.message, "error"));
    CHECK(eiam_error_to_string(&err, NULL, &err2) == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(err2.message && strstr(err2.message, "out_text"));
    eiam_error_clear(&err2);
    eiam_error_clear(&err);
    eiam_client_free(c);
}

static void test_happy_path(void) {
    reset_mock();
    eiam_client *c = make_client(mock_url, client_secret, 5000, 2);
    eiam_error err = {0};
    char *account_id = NULL;
    eiam_status st = eiam_bind_public_account_owner(c, "demo-app", "pub-2", "cq04130006",
                                                    &account_id, &err);
    CHECK(st == EIAM_STATUS_OK);
    CHECK(err.status == EIAM_STATUS_OK && err.message == NULL && err.code == NULL);
    CHECK(STREQ(account_id, "pub-2"));
    eiam_string_free(account_id);

    eiam_owner owner = {0};
    st = eiam_get_public_account_owner(c, "demo-app", "pub-2", &owner, &err);
    CHECK(st == EIAM_STATUS_OK);
    CHECK(STREQ(owner.user_name, "cq04130006"));
    CHECK(owner.user_id != NULL && strlen(owner.user_id) > 0);
    CHECK(owner.disabled == false);
    eiam_owner_clear(&owner);
    CHECK(owner.user_id == NULL && owner.user_name == NULL);

    /* The seeded owner of pub-1 is zhangsan, with the documented id. */
    st = eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err);
    CHECK(st == EIAM_STATUS_OK);
    CHECK(STREQ(owner.user_id, "20220331164602949-904C-D475B60AE"));
    eiam_owner_clear(&owner);

    /* err may be NULL: the status is still returned. */
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, NULL) == EIAM_STATUS_OK);
    eiam_owner_clear(&owner);
    CHECK(eiam_get_public_account_owner(c, "no-such-app", "pub-1", &owner, NULL) ==
          EIAM_STATUS_API_ERROR);

    /* Three calls, one token. */
    CHECK(mock_stats_number(mock_url, "token_requests") == 1);
    eiam_client_free(c);
}

/* One API error case: expected status, HTTP status and code. */
static void expect_error(eiam_client *c, const char *app, const char *acct, const char *user,
                         eiam_status want, uint16_t want_http, const char *want_code) {
    eiam_error err = {0};
    eiam_status st;
    if (user) {
        char *const untouched = (char *)"untouched";
        char *account_id = untouched;
        st = eiam_bind_public_account_owner(c, app, acct, user, &account_id, &err);
        CHECK(account_id == untouched); /* written only on success */
    } else {
        eiam_owner owner = {0};
        st = eiam_get_public_account_owner(c, app, acct, &owner, &err);
        CHECK(owner.user_id == NULL && owner.user_name == NULL && !owner.disabled);
    }
    CHECK(st == want);
    CHECK(err.status == want);
    CHECK(err.http_status == want_http);
    CHECK(err.message != NULL && strlen(err.message) > 0);
    if (want_code) {
        CHECK(STREQ(err.code, want_code));
        if (!STREQ(err.code, want_code))
            fprintf(stderr, "  wanted code %s, got %s (%s)\n", want_code,
                    err.code ? err.code : "NULL", err.message);
    } else {
        CHECK(err.code == NULL);
    }
    eiam_error_clear(&err);
}

static void test_documented_error_codes(void) {
    reset_mock();
    eiam_client *c = make_client(mock_url, client_secret, 5000, 0);
    expect_error(c, "no-such-app", "pub-1", NULL, EIAM_STATUS_API_ERROR, 400, "APP.0001");
    expect_error(c, "demo-app", "no-such-account", NULL, EIAM_STATUS_API_ERROR, 400,
                 "APP.ACCOUNT.0038");
    expect_error(c, "demo-app", "pub-2", NULL, EIAM_STATUS_API_ERROR, 400,
                 "APP.ACCOUNT.0037"); /* no owner yet */
    expect_error(c, "demo-app", "pub-1", "nobody", EIAM_STATUS_API_ERROR, 400,
                 "APP.ACCOUNT.0037"); /* unknown owner */
    /* Caught before the wire, with the service's own codes. */
    expect_error(c, "", "pub-1", NULL, EIAM_STATUS_INVALID_ARGUMENT, 0, "APP.0006");
    expect_error(c, "   ", "pub-1", "zhangsan", EIAM_STATUS_INVALID_ARGUMENT, 0, "APP.0006");
    expect_error(c, "demo-app", "", NULL, EIAM_STATUS_INVALID_ARGUMENT, 0, "APP.ACCOUNT.0047");
    expect_error(c, "demo-app", "pub-1", " ", EIAM_STATUS_INVALID_ARGUMENT, 0, NULL);
    expect_error(c, "..", "pub-1", NULL, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL);
    expect_error(c, "demo-app", "a\r\nb", NULL, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL);
    eiam_client_free(c);
}

static void test_auth_error_hides_secret(void) {
    reset_mock();
    const char *wrong = "wrong-secret-value-42";
    eiam_client *c = make_client(mock_url, wrong, 5000, 0);
    eiam_error err = {0};
    CHECK(eiam_client_authenticate(c, &err) == EIAM_STATUS_AUTH_ERROR);
    CHECK(STREQ(err.code, "invalid_client"));
    CHECK(eiam_client_authenticate(NULL, &err) == EIAM_STATUS_INVALID_ARGUMENT);
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err) ==
          EIAM_STATUS_AUTH_ERROR);
    CHECK(err.http_status == 401);
    CHECK(STREQ(err.code, "invalid_client"));
    CHECK(err.message != NULL && strstr(err.message, wrong) == NULL);
    eiam_error_clear(&err);
    eiam_client_free(c);
}

static void test_transport_error(void) {
    /* Port 1 on loopback: nothing listens, the connection is refused. */
    eiam_client *c = make_client("http://127.0.0.1:1", client_secret, 5000, 0);
    eiam_error err = {0};
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err) ==
          EIAM_STATUS_TRANSPORT_ERROR);
    CHECK(err.http_status == 0 && err.message != NULL);
    eiam_error_clear(&err);
    eiam_client_free(c);
}

static void test_timeout(void) {
    int port = 0;
    int fd = silent_listener(&port);
    CHECK(fd >= 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    eiam_client *c = make_client(url, client_secret, 300, 0);
    eiam_error err = {0};
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err) ==
          EIAM_STATUS_TIMEOUT);
    CHECK(err.status == EIAM_STATUS_TIMEOUT && err.message != NULL);
    eiam_error_clear(&err);
    eiam_client_free(c);
    close(fd);
}

static void test_protocol_error(void) {
    reset_mock();
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults",
                     "{\"target\":\"api\",\"count\":1,\"status\":502,"
                     "\"content_type\":\"text/html\",\"body\":\"<html>Bad Gateway</html>\"}",
                     NULL, 0) == 200);
    eiam_client *c = make_client(mock_url, client_secret, 5000, 0);
    eiam_error err = {0};
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err) ==
          EIAM_STATUS_PROTOCOL_ERROR);
    CHECK(err.http_status == 502);
    CHECK(err.message != NULL && strstr(err.message, "Bad Gateway") != NULL);
    eiam_error_clear(&err);
    eiam_client_free(c);
}

static void test_retry_then_success(void) {
    reset_mock();
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults",
                     "{\"target\":\"api\",\"count\":2,\"status\":503,\"retry_after\":\"0\"}",
                     NULL, 0) == 200);
    eiam_client *c = make_client(mock_url, client_secret, 5000, 2);
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, NULL) == EIAM_STATUS_OK);
    CHECK(STREQ(owner.user_name, "zhangsan"));
    eiam_owner_clear(&owner);
    CHECK(mock_stats_number(mock_url, "api_requests") == 3);
    eiam_client_free(c);
}

/* Every pointer argument of every function, NULL in turn. */
static void test_null_arguments(void) {
    eiam_error err = {0};
    eiam_config *cfg = eiam_config_new();
    eiam_client *c = make_client(mock_url, client_secret, 5000, 0);
    char *s = NULL;
    eiam_owner owner = {0};

#define EXPECT_INVALID(call, argname)                                           \
    do {                                                                        \
        CHECK((call) == EIAM_STATUS_INVALID_ARGUMENT);                          \
        CHECK(err.status == EIAM_STATUS_INVALID_ARGUMENT);                      \
        CHECK(err.message != NULL && strstr(err.message, argname) != NULL);     \
        eiam_error_clear(&err);                                                 \
    } while (0)

    EXPECT_INVALID(eiam_config_set_base_url(NULL, "http://127.0.0.1:1", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_base_url(cfg, NULL, &err), "base_url");
    EXPECT_INVALID(eiam_config_set_client_credentials(NULL, "a", "b", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_client_credentials(cfg, NULL, "b", &err), "client_id");
    EXPECT_INVALID(eiam_config_set_client_credentials(cfg, "a", NULL, &err), "client_secret");
    EXPECT_INVALID(eiam_config_set_access_token(NULL, "t", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_access_token(cfg, NULL, &err), "access_token");
    EXPECT_INVALID(eiam_config_set_client_id(NULL, "a", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_client_id(cfg, NULL, &err), "client_id");
    EXPECT_INVALID(eiam_config_set_client_secret(NULL, "a", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_client_secret(cfg, NULL, &err), "client_secret");
    EXPECT_INVALID(eiam_config_set_timeout_ms(NULL, 1, &err), "cfg");
    EXPECT_INVALID(eiam_config_set_connect_timeout_ms(NULL, 1, &err), "cfg");
    EXPECT_INVALID(eiam_config_set_max_retries(NULL, 1, &err), "cfg");
    EXPECT_INVALID(eiam_config_set_ca_file(NULL, "/x", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_ca_file(cfg, NULL, &err), "ca_file");
    EXPECT_INVALID(eiam_config_set_use_platform_roots(NULL, true, &err), "cfg");
    EXPECT_INVALID(eiam_config_set_proxy(NULL, "http://p:1", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_proxy(cfg, NULL, &err), "proxy");
    EXPECT_INVALID(eiam_config_set_allow_insecure_http(NULL, true, &err), "cfg");
    EXPECT_INVALID(eiam_config_set_danger_accept_invalid_certs(NULL, true, &err), "cfg");
    EXPECT_INVALID(eiam_config_set_user_agent(NULL, "x", &err), "cfg");
    EXPECT_INVALID(eiam_config_set_user_agent(cfg, NULL, &err), "user_agent");

    /* Out-parameters are written only on success. */
    eiam_client *const untouched = (eiam_client *)&owner;
    eiam_client *out = untouched;
    EXPECT_INVALID(eiam_client_new(NULL, &out, &err), "cfg");
    CHECK(out == untouched);
    out = NULL;
    EXPECT_INVALID(eiam_client_new(cfg, NULL, &err), "out_client");

    EXPECT_INVALID(eiam_bind_public_account_owner(NULL, "a", "b", "c", &s, &err), "client");
    EXPECT_INVALID(eiam_bind_public_account_owner(c, NULL, "b", "c", &s, &err), "app_id");
    EXPECT_INVALID(eiam_bind_public_account_owner(c, "a", NULL, "c", &s, &err), "app_user_id");
    EXPECT_INVALID(eiam_bind_public_account_owner(c, "a", "b", NULL, &s, &err), "user_name");
    EXPECT_INVALID(eiam_bind_public_account_owner(c, "a", "b", "c", NULL, &err), "out_account_id");
    CHECK(s == NULL);
    EXPECT_INVALID(eiam_get_public_account_owner(NULL, "a", "b", &owner, &err), "client");
    EXPECT_INVALID(eiam_get_public_account_owner(c, NULL, "b", &owner, &err), "app_id");
    EXPECT_INVALID(eiam_get_public_account_owner(c, "a", NULL, &owner, &err), "app_user_id");
    EXPECT_INVALID(eiam_get_public_account_owner(c, "a", "b", NULL, &err), "out_owner");

    /* Non-UTF-8 input. */
    const char bad[] = {'d', (char)0xff, (char)0xfe, 0};
    EXPECT_INVALID(eiam_config_set_base_url(cfg, bad, &err), "base_url");
    EXPECT_INVALID(eiam_config_set_client_credentials(cfg, bad, "s", &err), "client_id");
    EXPECT_INVALID(eiam_bind_public_account_owner(c, bad, "b", "c", &s, &err), "app_id");
    EXPECT_INVALID(eiam_bind_public_account_owner(c, "a", "b", bad, &s, &err), "user_name");
    EXPECT_INVALID(eiam_get_public_account_owner(c, "a", bad, &owner, &err), "app_user_id");

    /* Configuration mistakes are caught by eiam_client_new, before any
     * request, naming the setting; the setters only record values. */
    CHECK(eiam_config_set_base_url(cfg, "not a url", &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_access_token(cfg, "tok", &err) == EIAM_STATUS_OK);
    EXPECT_INVALID(eiam_client_new(cfg, &out, &err), "base_url");
    CHECK(eiam_config_set_timeout_ms(cfg, 0, &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_base_url(cfg, "https://tenant.example.com", &err) == EIAM_STATUS_OK);
    EXPECT_INVALID(eiam_client_new(cfg, &out, &err), "timeout must be greater than zero");
    CHECK(eiam_config_set_timeout_ms(cfg, 86400001, &err) == EIAM_STATUS_OK);
    EXPECT_INVALID(eiam_client_new(cfg, &out, &err), "timeout must be at most 86400 s");
    CHECK(eiam_config_set_timeout_ms(cfg, 1000, &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_base_url(cfg, "http://tenant.example.com", &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_access_token(cfg, "tok", &err) == EIAM_STATUS_OK);
    EXPECT_INVALID(eiam_client_new(cfg, &out, &err), "http");
    CHECK(out == NULL);
    CHECK(eiam_config_set_client_credentials(cfg, "id", "secret", &err) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_base_url(cfg, "https://tenant.example.com", &err) == EIAM_STATUS_OK);
    EXPECT_INVALID(eiam_client_new(cfg, &out, &err), "not both");

    /* NULL err: the status is still returned. */
    CHECK(eiam_config_set_base_url(cfg, NULL, NULL) == EIAM_STATUS_INVALID_ARGUMENT);
#undef EXPECT_INVALID
    eiam_config_free(cfg);
    eiam_client_free(c);
}

static void test_clear_and_free_are_idempotent(void) {
    eiam_error err = {0};
    eiam_error_clear(&err);
    eiam_error_clear(NULL);
    /* A filled error reused without clearing is cleared by the next call
     * (valgrind and LeakSanitizer prove nothing leaks). */
    CHECK(eiam_config_set_base_url(NULL, "x", &err) == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(eiam_config_set_timeout_ms(NULL, 0, &err) == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(eiam_config_set_max_retries(NULL, 1, &err) ==
          EIAM_STATUS_INVALID_ARGUMENT);
    eiam_error_clear(&err);
    eiam_error_clear(&err);
    CHECK(err.status == EIAM_STATUS_OK && err.code == NULL && err.message == NULL &&
          err.http_status == 0);
    /* Success also leaves a previously filled err at OK. */
    eiam_config *cfg = eiam_config_new();
    CHECK(eiam_config_set_base_url(cfg, NULL, &err) == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(eiam_config_set_base_url(cfg, "https://h.example.com", &err) == EIAM_STATUS_OK);
    CHECK(err.status == EIAM_STATUS_OK && err.message == NULL);
    eiam_config_free(cfg);

    eiam_owner owner = {0};
    eiam_owner_clear(&owner);
    eiam_owner_clear(&owner);
    eiam_owner_clear(NULL);
    eiam_string_free(NULL);
    eiam_config_free(NULL);
    eiam_client_free(NULL);
    CHECK(owner.user_id == NULL);
}

struct worker {
    eiam_client *client;
    int ok;
};

static void *worker_main(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 20; i++) {
        eiam_owner owner = {0};
        eiam_error err = {0};
        if (eiam_get_public_account_owner(w->client, "demo-app", "pub-1", &owner, &err) ==
                EIAM_STATUS_OK &&
            STREQ(owner.user_name, "zhangsan"))
            w->ok++;
        eiam_owner_clear(&owner);
        eiam_error_clear(&err);
    }
    return NULL;
}

static void test_client_shared_by_threads(void) {
    reset_mock();
    eiam_client *c = make_client(mock_url, client_secret, 10000, 2);
    pthread_t threads[4];
    struct worker workers[4] = {{c, 0}, {c, 0}, {c, 0}, {c, 0}};
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, worker_main, &workers[i]);
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < 4; i++) CHECK(workers[i].ok == 20);
    CHECK(mock_stats_number(mock_url, "token_requests") == 1); /* single-flight */
    eiam_client_free(c);
}

struct progress_log {
    size_t calls, last_done, cancel_after, last_total, last_failures;
};

static bool on_progress(void *user_data, size_t done, size_t total, size_t failures) {
    struct progress_log *log = user_data;
    log->calls++;
    log->last_done = done;
    log->last_total = total;
    log->last_failures = failures;
    return !(log->cancel_after && done >= log->cancel_after) && total > 0;
}

static void test_bulk_binding(void) {
    reset_mock();
    eiam_client *c = make_client(mock_url, client_secret, 10000, 2);
    const char bad_utf8[] = {(char)0xff, 0};
    eiam_bind_item items[] = {
        {"demo-app", "pub-1", "cq04130006"},
        {"demo-app", "no-such-account", "zhangsan"},
        {"demo-app", NULL, "zhangsan"},
        {"demo-app", "pub-2", bad_utf8},
        {"demo-app", "pub-2", "lisi"},
    };
    eiam_bind_result results[5];
    memset(results, 0, sizeof results);
    struct progress_log log = {0};
    eiam_error err = {0};
    CHECK(eiam_bind_public_account_owners(c, items, 5, 2, on_progress, &log, results, &err) ==
          EIAM_STATUS_OK);
    CHECK(STREQ(results[0].account_id, "pub-1"));
    CHECK(results[0].error.status == EIAM_STATUS_OK);
    CHECK(results[1].account_id == NULL && results[1].error.status == EIAM_STATUS_API_ERROR);
    CHECK(STREQ(results[1].error.code, "APP.ACCOUNT.0038"));
    CHECK(results[2].error.status == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(results[2].error.message && strstr(results[2].error.message, "app_user_id"));
    CHECK(results[3].error.status == EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(STREQ(results[4].account_id, "pub-2"));
    /* Unreadable items fail alone but count like any other. */
    CHECK(log.calls == 5 && log.last_done == 5 && log.last_total == 5);
    CHECK(log.last_failures == 3);
    /* Reusing filled results: the library clears them first. */
    log.calls = 0;
    log.cancel_after = 1;
    CHECK(eiam_bind_public_account_owners(c, items, 5, 1, on_progress, &log, results, &err) ==
          EIAM_STATUS_OK);
    CHECK(log.calls == 1);
    CHECK(results[0].error.status == EIAM_STATUS_OK);
    CHECK(results[1].error.status == EIAM_STATUS_CANCELLED);
    CHECK(results[4].error.status == EIAM_STATUS_CANCELLED && results[4].account_id == NULL);
    eiam_bind_results_clear(results, 5);
    eiam_bind_results_clear(results, 5);
    eiam_bind_results_clear(NULL, 5);
    CHECK(results[0].account_id == NULL && results[0].error.status == EIAM_STATUS_OK);

    /* Never more calls in flight than workers: hold each answer so the
     * workers overlap, then read the mock's high-water mark. */
    reset_mock();
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults",
                     "{\"action\":\"normal\",\"delay_ms\":100,\"count\":6}", NULL, 0) == 200);
    eiam_bind_item same[6];
    for (int i = 0; i < 6; i++) same[i] = (eiam_bind_item){"demo-app", "pub-1", "zhangsan"};
    eiam_bind_result many[6];
    memset(many, 0, sizeof many);
    CHECK(eiam_bind_public_account_owners(c, same, 6, 2, NULL, NULL, many, &err) == EIAM_STATUS_OK);
    for (int i = 0; i < 6; i++) CHECK(many[i].error.status == EIAM_STATUS_OK);
    eiam_bind_results_clear(many, 6);
    CHECK(mock_stats_number(mock_url, "max_in_flight") == 2);

    /* NULL arrays are invalid arguments; an empty job is fine. */
    CHECK(eiam_bind_public_account_owners(c, NULL, 1, 1, NULL, NULL, results, &err) ==
          EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(err.message && strstr(err.message, "items"));
    CHECK(eiam_bind_public_account_owners(c, items, 1, 1, NULL, NULL, NULL, &err) ==
          EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(eiam_bind_public_account_owners(NULL, items, 1, 1, NULL, NULL, results, &err) ==
          EIAM_STATUS_INVALID_ARGUMENT);
    CHECK(eiam_bind_public_account_owners(c, NULL, 0, 1, NULL, NULL, NULL, &err) ==
          EIAM_STATUS_OK);
    eiam_error_clear(&err);
    eiam_client_free(c);
}

/* After fork(), parent and child each get their own answers: the child
 * never reuses the keep-alive connection it inherited. The mock holds the
 * next answers so that both processes' requests are in flight at once. */
static void test_fork_keeps_answers_apart(void) {
    reset_mock();
    eiam_client *c = make_client(mock_url, client_secret, 10000, 0);
    eiam_error err = {0};
    char *account = NULL;
    CHECK(eiam_bind_public_account_owner(c, "demo-app", "pub-2", "lisi", &account, &err) ==
          EIAM_STATUS_OK);
    eiam_string_free(account);
    /* A filled owner passed in again is cleared first, as eiam_error is
     * (valgrind and LeakSanitizer see a leak otherwise). */
    eiam_owner filled = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-2", &filled, &err) == EIAM_STATUS_OK);
    CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-2", &filled, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(filled.user_name, "lisi"));
    eiam_owner_clear(&filled);
    for (int trial = 0; trial < 5; trial++) {
        eiam_owner owner = {0};
        /* Warm: the pool now holds one idle connection. */
        CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err) ==
              EIAM_STATUS_OK);
        eiam_owner_clear(&owner);
        CHECK(mock_admin(mock_url, "POST", "/__mock/faults",
                         "{\"action\":\"normal\",\"delay_ms\":200,\"count\":2}", NULL,
                         0) == 200);
        fflush(NULL);
        pid_t child = fork();
        if (child == 0) {
            eiam_owner mine = {0};
            eiam_error child_err = {0};
            int ok = eiam_get_public_account_owner(c, "demo-app", "pub-2", &mine, &child_err) ==
                         EIAM_STATUS_OK &&
                     STREQ(mine.user_name, "lisi");
            eiam_owner_clear(&mine);
            eiam_error_clear(&child_err);
            eiam_client_free(c);
            _exit(ok ? 0 : 1);
        }
        CHECK(child > 0);
        CHECK(eiam_get_public_account_owner(c, "demo-app", "pub-1", &owner, &err) ==
              EIAM_STATUS_OK);
        CHECK(STREQ(owner.user_name, "zhangsan"));
        eiam_owner_clear(&owner);
        int status = 0;
        CHECK(waitpid(child, &status, 0) == child);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    eiam_error_clear(&err);
    eiam_client_free(c);
}

int main(void) {
    read_mock_env();

    test_version();
    test_happy_path();
    test_status_names_and_error_text();
    test_documented_error_codes();
    test_auth_error_hides_secret();
    test_transport_error();
    test_timeout();
    test_protocol_error();
    test_retry_then_success();
    test_null_arguments();
    test_clear_and_free_are_idempotent();
    test_client_shared_by_threads();
    test_bulk_binding();
    test_fork_keeps_answers_apart();

    printf("c: %d passed, %d failed\n", check_passed, check_failed);
    return check_exit_status();
}

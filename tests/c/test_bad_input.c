/* Bad input to every argument of every function in include/eiam.h.
 *
 * Table-driven: each string argument gets NULL, "", "  ", non-UTF-8
 * bytes, ".", "..", CR/LF and a 1 MiB string; each pointer argument gets
 * NULL; the free/clear functions get NULL. Every cell states the status it
 * expects and the argument name its message must contain. Around every
 * case the mock's request counters are read, so a case that is rejected is
 * proven to have sent nothing (and a case that is legitimately valid states
 * how many requests it makes).
 *
 * Run by scripts/c-tests.sh like test_eiam.c: against libeiam.so, against
 * libeiam.a, under AddressSanitizer + UBSan + LeakSanitizer, and under
 * valgrind --leak-check=full (errors and leaks fail). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eiam.h"
#include "mock_admin.h"

/* ---- the inputs ------------------------------------------------------ */

enum input { IN_NULL, IN_EMPTY, IN_BLANK, IN_NON_UTF8, IN_DOT, IN_DOTDOT, IN_CRLF, IN_HUGE, N_INPUTS };

static const char *const input_label[N_INPUTS] = {
    "NULL", "\"\"", "\"  \"", "\"\\xff\\xfe\"", "\".\"", "\"..\"", "\"a\\r\\nb\"", "1 MiB",
};

#define HUGE_LEN (1024 * 1024)
static char *huge; /* HUGE_LEN 'x's and a NUL */

static const char *input_value(enum input in) {
    static const char non_utf8[] = {(char)0xff, (char)0xfe, 0};
    switch (in) {
    case IN_NULL: return NULL;
    case IN_EMPTY: return "";
    case IN_BLANK: return "  ";
    case IN_NON_UTF8: return non_utf8;
    case IN_DOT: return ".";
    case IN_DOTDOT: return "..";
    case IN_CRLF: return "a\r\nb";
    case IN_HUGE: return huge;
    default: return NULL;
    }
}

/* ---- what a case expects --------------------------------------------- */

/* The outcome of one call: its status, a text its message must contain
 * (NULL for EIAM_STATUS_OK) and its error code (NULL: must be NULL). */
struct outcome {
    eiam_status status;
    const char *names;
    const char *code;
};

#define OK {EIAM_STATUS_OK, NULL, NULL}
#define INVALID(name) {EIAM_STATUS_INVALID_ARGUMENT, name, NULL}
#define INVALID_CODE(name, code) {EIAM_STATUS_INVALID_ARGUMENT, name, code}
#define API_ERROR(code) {EIAM_STATUS_API_ERROR, NULL, code}

/* Checks one call's status and error against the expectation. */
static void check_outcome(eiam_status got, const eiam_error *err, struct outcome want) {
    CHECK(got == want.status);
    CHECK(err->status == want.status);
    if (got != want.status)
        fprintf(stderr, "  wanted status %d, got %d: %s\n", (int)want.status, (int)got,
                err->message ? err->message : "(no message)");
    if (want.status == EIAM_STATUS_OK) {
        CHECK(err->message == NULL && err->code == NULL && err->http_status == 0);
        return;
    }
    CHECK(err->message != NULL && err->message[0] != '\0');
    if (!err->message) return;
    /* The message names the argument ... */
    if (want.names) {
        CHECK(strstr(err->message, want.names) != NULL);
        if (!strstr(err->message, want.names))
            fprintf(stderr, "  message does not name %s: %.200s\n", want.names, err->message);
    }
    /* ... and never echoes a huge input back. */
    CHECK(strlen(err->message) < 1024);
    if (want.code) {
        CHECK(STREQ(err->code, want.code));
    } else {
        CHECK(err->code == NULL);
    }
    if (want.status == EIAM_STATUS_INVALID_ARGUMENT) CHECK(err->http_status == 0);
}

/* ---- the mock's request counters ------------------------------------- */

struct counts {
    long requests, api_requests;
};

static struct counts mock_counts(void) {
    char stats[1024];
    struct counts c = {-1, -1};
    if (mock_admin(mock_url, "GET", "/__mock/stats", NULL, stats, sizeof stats) == 200) {
        c.requests = json_number(stats, "requests");
        c.api_requests = json_number(stats, "api_requests");
    }
    return c;
}

/* Every request of the case (token or API) is an API request the table
 * allowed: rejected input sends nothing at all. */
static void check_sent(struct counts before, long want_api_requests) {
    struct counts after = mock_counts();
    CHECK(before.requests >= 0 && after.requests >= 0);
    CHECK(after.api_requests - before.api_requests == want_api_requests);
    CHECK(after.requests - before.requests == want_api_requests);
    if (after.requests - before.requests != want_api_requests)
        fprintf(stderr, "  wanted %ld requests, the mock saw %ld\n", want_api_requests,
                after.requests - before.requests);
}

/* ---- table 1: configuration strings ---------------------------------- */

typedef eiam_status (*setter_fn)(eiam_config *, const char *, eiam_error *);

static eiam_status set_base_url(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_base_url(c, v, e);
}
static eiam_status set_client_id(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_client_credentials(c, v, client_secret, e);
}
static eiam_status set_client_secret(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_client_credentials(c, client_id, v, e);
}
static eiam_status set_client_id_alone(eiam_config *c, const char *v, eiam_error *e) {
    eiam_status st = eiam_config_set_client_id(c, v, e);
    return st == EIAM_STATUS_OK ? eiam_config_set_client_secret(c, client_secret, e) : st;
}
static eiam_status set_client_secret_alone(eiam_config *c, const char *v, eiam_error *e) {
    eiam_status st = eiam_config_set_client_secret(c, v, e);
    return st == EIAM_STATUS_OK ? eiam_config_set_client_id(c, client_id, e) : st;
}
static eiam_status set_access_token(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_access_token(c, v, e);
}
static eiam_status set_ca_file(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_ca_file(c, v, e);
}
static eiam_status set_proxy(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_proxy(c, v, e);
}
static eiam_status set_user_agent(eiam_config *c, const char *v, eiam_error *e) {
    return eiam_config_set_user_agent(c, v, e);
}

/* One configuration string argument: what the setter answers for each
 * input and, when it accepts the input, what eiam_client_new then answers
 * (some values are well-formed but fail when the client is built, e.g. a
 * CA file path that names no file). */
struct config_row {
    const char *label;
    setter_fn set;
    bool with_credentials; /* the base config gets the mock's client credentials */
    struct outcome setter[N_INPUTS];
    struct outcome client_new[N_INPUTS];
};

/* Rows list the inputs in enum order:
 *   NULL, "", "  ", "\xff\xfe", ".", "..", "a\r\nb", 1 MiB
 * A setter refuses only what C cannot hand over (NULL, non-UTF-8); it
 * records everything else, and eiam_client_new, where the core checks the
 * whole configuration, names the setting that is wrong. */
#define SETTER(name) {INVALID(name), OK, OK, INVALID(name), OK, OK, OK, OK}
static const struct config_row config_rows[] = {
    {"eiam_config_set_base_url(base_url)", set_base_url, true, SETTER("base_url"),
     {OK, INVALID("base_url"), INVALID("base_url"), OK, INVALID("base_url"), INVALID("base_url"),
      INVALID("base_url"), INVALID("base_url")}},
    /* "." and ".." are odd but harmless credentials (they never enter a
     * URL); the service decides whether they are known. */
    {"eiam_config_set_client_credentials(client_id)", set_client_id, false, SETTER("client_id"),
     {OK, INVALID("client_id"), INVALID("client_id"), OK, OK, OK, INVALID("client_id"),
      INVALID("client_id")}},
    {"eiam_config_set_client_credentials(client_secret)", set_client_secret, false,
     SETTER("client_secret"),
     {OK, INVALID("client_secret"), INVALID("client_secret"), OK, OK, OK,
      INVALID("client_secret"), INVALID("client_secret")}},
    {"eiam_config_set_client_id(client_id)", set_client_id_alone, false, SETTER("client_id"),
     {OK, INVALID("client_id"), INVALID("client_id"), OK, OK, OK, INVALID("client_id"),
      INVALID("client_id")}},
    {"eiam_config_set_client_secret(client_secret)", set_client_secret_alone, false,
     SETTER("client_secret"),
     {OK, INVALID("client_secret"), INVALID("client_secret"), OK, OK, OK,
      INVALID("client_secret"), INVALID("client_secret")}},
    {"eiam_config_set_access_token(access_token)", set_access_token, false,
     SETTER("access_token"),
     {OK, INVALID("access_token"), INVALID("access_token"), OK, OK, OK, INVALID("access_token"),
      INVALID("access_token")}},
    /* Whatever the path, eiam_client_new finds that it is not a readable
     * file, and names the setting. */
    {"eiam_config_set_ca_file(ca_file)", set_ca_file, true, SETTER("ca_file"),
     {OK, INVALID("ca_file"), INVALID("ca_file"), OK, INVALID("ca_file"), INVALID("ca_file"),
      INVALID("ca_file"), INVALID("ca_file")}},
    {"eiam_config_set_proxy(proxy)", set_proxy, true, SETTER("proxy"),
     {OK, INVALID("proxy"), INVALID("proxy"), OK, INVALID("proxy"), INVALID("proxy"),
      INVALID("proxy"), INVALID("proxy")}},
    /* An empty or blank product means "no product" (User-Agent is just
     * eiam/<version>); "." and ".." are harmless product tokens. */
    {"eiam_config_set_user_agent(user_agent)", set_user_agent, true, SETTER("user_agent"),
     {OK, OK, OK, OK, OK, OK, INVALID("user_agent"), INVALID("user_agent")}},
};
#undef SETTER

static eiam_config *base_config(bool with_credentials) {
    eiam_config *cfg = eiam_config_new();
    CHECK(cfg != NULL);
    CHECK(eiam_config_set_base_url(cfg, mock_url, NULL) == EIAM_STATUS_OK);
    if (with_credentials)
        CHECK(eiam_config_set_client_credentials(cfg, client_id, client_secret, NULL) ==
              EIAM_STATUS_OK);
    return cfg;
}

static int config_cases;

static void test_config_strings(void) {
    for (size_t r = 0; r < sizeof config_rows / sizeof config_rows[0]; r++) {
        const struct config_row *row = &config_rows[r];
        for (int in = 0; in < N_INPUTS; in++) {
            snprintf(check_context, sizeof check_context, "%s <- %s", row->label, input_label[in]);
            config_cases++;
            struct counts before = mock_counts();
            eiam_config *cfg = base_config(row->with_credentials);
            eiam_error err = {0};
            eiam_status st = row->set(cfg, input_value((enum input)in), &err);
            check_outcome(st, &err, row->setter[in]);
            /* Same status with err == NULL. */
            CHECK(row->set(cfg, input_value((enum input)in), NULL) == row->setter[in].status);
            if (st == EIAM_STATUS_OK) {
                eiam_client *client = NULL; /* written only on success */
                st = eiam_client_new(cfg, &client, &err);
                check_outcome(st, &err, row->client_new[in]);
                CHECK((st == EIAM_STATUS_OK) == (client != NULL));
                eiam_client_free(client);
            }
            eiam_error_clear(&err);
            eiam_config_free(cfg);
            check_sent(before, 0); /* building a config or a client sends nothing */
        }
    }
}

/* ---- table 2: the API calls' strings --------------------------------- */

enum call { CALL_BIND, CALL_GET, CALL_BULK };
enum field { F_APP_ID, F_APP_USER_ID, F_USER_NAME };

struct api_row {
    const char *label;
    enum call call;
    enum field field;
    struct outcome want[N_INPUTS];
    long api_requests[N_INPUTS]; /* requests the case is allowed to send */
};

/* An empty or blank id carries the service's own code. A user name goes
 * in the JSON body, not the URL: "." and ".." are sent, and the mock
 * answers that no such user exists. */
#define APP_ID_ROW(label, call)                                                               \
    {label, call, F_APP_ID,                                                                   \
     {INVALID("app_id"), INVALID_CODE("app_id", "APP.0006"), INVALID_CODE("app_id", "APP.0006"), \
      INVALID("app_id"), INVALID("app_id"), INVALID("app_id"), INVALID("app_id"),             \
      INVALID("app_id")},                                                                     \
     {0, 0, 0, 0, 0, 0, 0, 0}}
#define APP_USER_ID_ROW(label, call)                                                          \
    {label, call, F_APP_USER_ID,                                                              \
     {INVALID("app_user_id"), INVALID_CODE("app_user_id", "APP.ACCOUNT.0047"),                \
      INVALID_CODE("app_user_id", "APP.ACCOUNT.0047"), INVALID("app_user_id"),                \
      INVALID("app_user_id"), INVALID("app_user_id"), INVALID("app_user_id"),                 \
      INVALID("app_user_id")},                                                                \
     {0, 0, 0, 0, 0, 0, 0, 0}}
#define USER_NAME_ROW(label, call)                                                            \
    {label, call, F_USER_NAME,                                                                \
     {INVALID("user_name"), INVALID("user_name"), INVALID("user_name"), INVALID("user_name"), \
      API_ERROR("APP.ACCOUNT.0037"), API_ERROR("APP.ACCOUNT.0037"), INVALID("user_name"),     \
      INVALID("user_name")},                                                                  \
     {0, 0, 0, 0, 1, 1, 0, 0}}

static const struct api_row api_rows[] = {
    APP_ID_ROW("eiam_bind_public_account_owner(app_id)", CALL_BIND),
    APP_USER_ID_ROW("eiam_bind_public_account_owner(app_user_id)", CALL_BIND),
    USER_NAME_ROW("eiam_bind_public_account_owner(user_name)", CALL_BIND),
    APP_ID_ROW("eiam_get_public_account_owner(app_id)", CALL_GET),
    APP_USER_ID_ROW("eiam_get_public_account_owner(app_user_id)", CALL_GET),
    APP_ID_ROW("eiam_bind_public_account_owners(items[i].app_id)", CALL_BULK),
    APP_USER_ID_ROW("eiam_bind_public_account_owners(items[i].app_user_id)", CALL_BULK),
    USER_NAME_ROW("eiam_bind_public_account_owners(items[i].user_name)", CALL_BULK),
};

static eiam_client *make_client(void) {
    eiam_config *cfg = base_config(true);
    eiam_client *client = NULL;
    CHECK(eiam_client_new(cfg, &client, NULL) == EIAM_STATUS_OK);
    eiam_config_free(cfg);
    return client;
}

static int api_cases;

static void test_api_strings(void) {
    snprintf(check_context, sizeof check_context, "API calls: setup");
    eiam_client *client = make_client();
    if (!client) return;
    /* The token is fetched now, so the cases' counts are API requests only. */
    CHECK(eiam_client_authenticate(client, NULL) == EIAM_STATUS_OK);
    for (size_t r = 0; r < sizeof api_rows / sizeof api_rows[0]; r++) {
        const struct api_row *row = &api_rows[r];
        for (int in = 0; in < N_INPUTS; in++) {
            snprintf(check_context, sizeof check_context, "%s <- %s", row->label, input_label[in]);
            api_cases++;
            /* Valid values everywhere else: the owner of demo-app/pub-1 is
             * zhangsan already, so a bind that goes through changes nothing. */
            const char *f[3] = {"demo-app", "pub-1", "zhangsan"};
            f[row->field] = input_value((enum input)in);
            struct counts before = mock_counts();
            eiam_error err = {0};
            eiam_status st;
            if (row->call == CALL_BIND) {
                char *const untouched = (char *)"untouched";
                char *account_id = untouched;
                st = eiam_bind_public_account_owner(client, f[0], f[1], f[2], &account_id, &err);
                check_outcome(st, &err, row->want[in]);
                CHECK((st == EIAM_STATUS_OK) == (account_id != untouched));
                if (st == EIAM_STATUS_OK) eiam_string_free(account_id);
            } else if (row->call == CALL_GET) {
                eiam_owner owner = {0};
                st = eiam_get_public_account_owner(client, f[0], f[1], &owner, &err);
                check_outcome(st, &err, row->want[in]);
                if (st == EIAM_STATUS_OK) {
                    eiam_owner_clear(&owner);
                } else {
                    CHECK(owner.user_id == NULL && owner.user_name == NULL && !owner.disabled);
                }
            } else {
                /* The bad item sits between two good ones and fails alone;
                 * the job itself succeeds. */
                eiam_bind_item items[3] = {
                    {"demo-app", "pub-1", "zhangsan"},
                    {f[0], f[1], f[2]},
                    {"demo-app", "pub-1", "zhangsan"},
                };
                eiam_bind_result results[3];
                memset(results, 0, sizeof results);
                st = eiam_bind_public_account_owners(client, items, 3, 2, NULL, NULL, results, &err);
                CHECK(st == EIAM_STATUS_OK && err.status == EIAM_STATUS_OK && err.message == NULL);
                check_outcome(results[1].error.status, &results[1].error, row->want[in]);
                CHECK((results[1].error.status == EIAM_STATUS_OK) == (results[1].account_id != NULL));
                CHECK(results[0].error.status == EIAM_STATUS_OK && results[0].account_id != NULL);
                CHECK(results[2].error.status == EIAM_STATUS_OK && results[2].account_id != NULL);
                eiam_bind_results_clear(results, 3);
                before.requests += 2; /* the two good items */
                before.api_requests += 2;
            }
            eiam_error_clear(&err);
            /* Rejected input gives the same status with err == NULL. */
            if (row->call == CALL_BIND && row->want[in].status == EIAM_STATUS_INVALID_ARGUMENT) {
                char *account_id = NULL;
                CHECK(eiam_bind_public_account_owner(client, f[0], f[1], f[2], &account_id,
                                                     NULL) == EIAM_STATUS_INVALID_ARGUMENT);
                CHECK(account_id == NULL);
            } else if (row->call == CALL_GET &&
                       row->want[in].status == EIAM_STATUS_INVALID_ARGUMENT) {
                eiam_owner owner = {0};
                CHECK(eiam_get_public_account_owner(client, f[0], f[1], &owner, NULL) ==
                      EIAM_STATUS_INVALID_ARGUMENT);
            }
            check_sent(before, row->api_requests[in]);
        }
    }
    eiam_client_free(client);
}

/* ---- table 3: NULL for every other pointer argument ------------------ */

static eiam_config *shared_cfg;
static eiam_client *shared_client;

#define THUNK(fname, expr) \
    static eiam_status fname(eiam_error *err) { return (expr); }

static eiam_client *out_client_slot;
static char *out_string_slot;
static eiam_owner out_owner_slot;
static const eiam_bind_item one_item[1] = {{"demo-app", "pub-1", "zhangsan"}};
static eiam_bind_result one_result[1];

THUNK(n_base_url_cfg, eiam_config_set_base_url(NULL, "https://h.example.com", err))
THUNK(n_creds_cfg, eiam_config_set_client_credentials(NULL, "id", "secret", err))
THUNK(n_token_cfg, eiam_config_set_access_token(NULL, "token", err))
THUNK(n_timeout_cfg, eiam_config_set_timeout_ms(NULL, 1000, err))
THUNK(n_connect_cfg, eiam_config_set_connect_timeout_ms(NULL, 1000, err))
THUNK(n_retries_cfg, eiam_config_set_max_retries(NULL, 1, err))
THUNK(n_ca_cfg, eiam_config_set_ca_file(NULL, "/etc/ssl/certs/ca-certificates.crt", err))
THUNK(n_roots_cfg, eiam_config_set_use_platform_roots(NULL, true, err))
THUNK(n_proxy_cfg, eiam_config_set_proxy(NULL, "http://proxy.example.com:3128", err))
THUNK(n_insecure_cfg, eiam_config_set_allow_insecure_http(NULL, false, err))
THUNK(n_danger_cfg, eiam_config_set_danger_accept_invalid_certs(NULL, false, err))
THUNK(n_agent_cfg, eiam_config_set_user_agent(NULL, "tool/1", err))
THUNK(n_new_cfg, eiam_client_new(NULL, &out_client_slot, err))
THUNK(n_new_out, eiam_client_new(shared_cfg, NULL, err))
THUNK(n_auth_client, eiam_client_authenticate(NULL, err))
THUNK(n_bind_client, eiam_bind_public_account_owner(NULL, "demo-app", "pub-1", "zhangsan", &out_string_slot, err))
THUNK(n_bind_out, eiam_bind_public_account_owner(shared_client, "demo-app", "pub-1", "zhangsan", NULL, err))
THUNK(n_get_client, eiam_get_public_account_owner(NULL, "demo-app", "pub-1", &out_owner_slot, err))
THUNK(n_get_out, eiam_get_public_account_owner(shared_client, "demo-app", "pub-1", NULL, err))
THUNK(n_bulk_client, eiam_bind_public_account_owners(NULL, one_item, 1, 1, NULL, NULL, one_result, err))
THUNK(n_bulk_items, eiam_bind_public_account_owners(shared_client, NULL, 1, 1, NULL, NULL, one_result, err))
THUNK(n_bulk_out, eiam_bind_public_account_owners(shared_client, one_item, 1, 1, NULL, NULL, NULL, err))
/* With count 0 there is nothing to read or write: NULL arrays are fine. */
THUNK(n_bulk_empty, eiam_bind_public_account_owners(shared_client, NULL, 0, 1, NULL, NULL, NULL, err))
/* progress and user_data may be NULL. */
THUNK(n_bulk_no_progress, eiam_bind_public_account_owners(shared_client, one_item, 1, 1, NULL, NULL, one_result, err))

struct null_row {
    const char *label;
    eiam_status (*call)(eiam_error *);
    struct outcome want;
    long api_requests;
};

static const struct null_row null_rows[] = {
    {"eiam_config_set_base_url(cfg=NULL)", n_base_url_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_client_credentials(cfg=NULL)", n_creds_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_access_token(cfg=NULL)", n_token_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_timeout_ms(cfg=NULL)", n_timeout_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_connect_timeout_ms(cfg=NULL)", n_connect_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_max_retries(cfg=NULL)", n_retries_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_ca_file(cfg=NULL)", n_ca_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_use_platform_roots(cfg=NULL)", n_roots_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_proxy(cfg=NULL)", n_proxy_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_allow_insecure_http(cfg=NULL)", n_insecure_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_danger_accept_invalid_certs(cfg=NULL)", n_danger_cfg, INVALID("cfg"), 0},
    {"eiam_config_set_user_agent(cfg=NULL)", n_agent_cfg, INVALID("cfg"), 0},
    {"eiam_client_new(cfg=NULL)", n_new_cfg, INVALID("cfg"), 0},
    {"eiam_client_new(out_client=NULL)", n_new_out, INVALID("out_client"), 0},
    {"eiam_client_authenticate(client=NULL)", n_auth_client, INVALID("client"), 0},
    {"eiam_bind_public_account_owner(client=NULL)", n_bind_client, INVALID("client"), 0},
    {"eiam_bind_public_account_owner(out_account_id=NULL)", n_bind_out, INVALID("out_account_id"), 0},
    {"eiam_get_public_account_owner(client=NULL)", n_get_client, INVALID("client"), 0},
    {"eiam_get_public_account_owner(out_owner=NULL)", n_get_out, INVALID("out_owner"), 0},
    {"eiam_bind_public_account_owners(client=NULL)", n_bulk_client, INVALID("client"), 0},
    {"eiam_bind_public_account_owners(items=NULL)", n_bulk_items, INVALID("items"), 0},
    {"eiam_bind_public_account_owners(out_results=NULL)", n_bulk_out, INVALID("out_results"), 0},
    {"eiam_bind_public_account_owners(NULL arrays, count=0)", n_bulk_empty, OK, 0},
    {"eiam_bind_public_account_owners(progress=NULL, user_data=NULL)", n_bulk_no_progress, OK, 1},
};

static int null_cases;

static void test_null_pointers(void) {
    snprintf(check_context, sizeof check_context, "NULL pointers: setup");
    shared_cfg = base_config(true);
    shared_client = make_client();
    CHECK(eiam_client_authenticate(shared_client, NULL) == EIAM_STATUS_OK);
    for (size_t r = 0; r < sizeof null_rows / sizeof null_rows[0]; r++) {
        const struct null_row *row = &null_rows[r];
        snprintf(check_context, sizeof check_context, "%s", row->label);
        null_cases++;
        struct counts before = mock_counts();
        /* Out-parameters are written only on success. */
        eiam_client *const client_before = (eiam_client *)&out_owner_slot;
        char *const string_before = (char *)"untouched";
        out_client_slot = client_before;
        out_string_slot = string_before;
        eiam_error err = {0};
        eiam_status st = row->call(&err);
        check_outcome(st, &err, row->want);
        if (row->call == n_new_cfg) CHECK(out_client_slot == client_before);
        if (row->call == n_bind_client) CHECK(out_string_slot == string_before);
        if (row->call == n_get_client)
            CHECK(out_owner_slot.user_id == NULL && out_owner_slot.user_name == NULL);
        eiam_bind_results_clear(one_result, 1);
        eiam_error_clear(&err);
        /* err may be NULL: the status is still returned. */
        if (row->want.status != EIAM_STATUS_OK) CHECK(row->call(NULL) == row->want.status);
        check_sent(before, row->api_requests);
    }
    eiam_bind_results_clear(one_result, 1);
    eiam_client_free(shared_client);
    eiam_config_free(shared_cfg);
}

/* ---- table 4: NULL to every free/clear function ---------------------- */

static void test_free_and_clear_take_null(void) {
    snprintf(check_context, sizeof check_context, "free/clear with NULL");
    struct counts before = mock_counts();
    eiam_string_free(NULL);
    eiam_error_clear(NULL);
    eiam_owner_clear(NULL);
    eiam_config_free(NULL);
    eiam_client_free(NULL);
    eiam_bind_results_clear(NULL, 0);
    eiam_bind_results_clear(NULL, 3);
    eiam_bind_result none[1];
    memset(none, 0, sizeof none);
    eiam_bind_results_clear(none, 0);
    eiam_bind_results_clear(none, 1); /* zeroed results: nothing to free */
    CHECK(none[0].account_id == NULL && none[0].error.status == EIAM_STATUS_OK);
    /* Zeroed structs clear to themselves, twice. */
    eiam_error err = {0};
    eiam_error_clear(&err);
    eiam_error_clear(&err);
    CHECK(err.status == EIAM_STATUS_OK && err.message == NULL && err.code == NULL);
    eiam_owner owner = {0};
    eiam_owner_clear(&owner);
    eiam_owner_clear(&owner);
    CHECK(owner.user_id == NULL && owner.user_name == NULL && !owner.disabled);
    /* eiam_version takes nothing and never fails. */
    CHECK(eiam_version() != NULL && eiam_version()[0] != '\0');
    check_sent(before, 0);
}

int main(void) {
    read_mock_env();
    huge = malloc(HUGE_LEN + 1);
    if (!huge) return 2;
    memset(huge, 'x', HUGE_LEN);
    huge[HUGE_LEN] = '\0';
    if (mock_admin(mock_url, "POST", "/__mock/reset", NULL, NULL, 0) != 200) {
        fprintf(stderr, "the mock at %s does not answer\n", mock_url);
        return 2;
    }

    test_config_strings();
    test_api_strings();
    test_null_pointers();
    test_free_and_clear_take_null();
    free(huge);

    printf("bad input: %d cases (%d configuration strings, %d API strings, %d NULL pointers, "
           "1 free/clear), %d checks passed, %d failed\n",
           config_cases + api_cases + null_cases + 1, config_cases, api_cases, null_cases,
           check_passed, check_failed);
    return check_exit_status();
}

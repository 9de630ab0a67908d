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
#include "completion.h"
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

enum call { CALL_BIND, CALL_GET, CALL_BULK, CALL_STREAM };
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
    APP_ID_ROW("eiam_bind_public_account_owners_streaming(item->app_id)", CALL_STREAM),
    APP_USER_ID_ROW("eiam_bind_public_account_owners_streaming(item->app_user_id)", CALL_STREAM),
    USER_NAME_ROW("eiam_bind_public_account_owners_streaming(item->user_name)", CALL_STREAM),
};

/* A streaming job over a fixed list of three items, keeping each result
 * (the error's strings copied: the library's are valid only in done()). */
struct stream_case {
    const eiam_bind_item *items;
    size_t taken;
    eiam_error errors[3];
    bool has_account_id[3];
    size_t finished;
};

static bool stream_next(void *user_data, eiam_bind_item *out) {
    struct stream_case *sc = user_data;
    if (sc->taken == 3) return false;
    *out = sc->items[sc->taken++];
    return true;
}

static char *copy_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int stream_done(void *user_data, size_t index, const eiam_bind_item *item,
                       const eiam_bind_result *result) {
    (void)item;
    struct stream_case *sc = user_data;
    sc->finished++;
    if (index >= 3) return 1;
    sc->errors[index] = (eiam_error){result->error.status, result->error.http_status,
                                     copy_or_null(result->error.code),
                                     copy_or_null(result->error.message)};
    sc->has_account_id[index] = result->account_id != NULL;
    return 0;
}

static void stream_case_free(struct stream_case *sc) {
    for (int i = 0; i < 3; i++) {
        free(sc->errors[i].code);
        free(sc->errors[i].message);
    }
}

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
            } else if (row->call == CALL_BULK) {
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
            } else {
                /* The same, streamed: the bad item fails alone. */
                eiam_bind_item items[3] = {
                    {"demo-app", "pub-1", "zhangsan"},
                    {f[0], f[1], f[2]},
                    {"demo-app", "pub-1", "zhangsan"},
                };
                struct stream_case sc = {.items = items};
                eiam_job_summary summary = {0};
                st = eiam_bind_public_account_owners_streaming(client, 2, stream_next, stream_done,
                                                               &sc, &summary, &err);
                CHECK(st == EIAM_STATUS_OK && err.status == EIAM_STATUS_OK && err.message == NULL);
                CHECK(summary.started == 3 && !summary.stopped && sc.finished == 3);
                check_outcome(sc.errors[1].status, &sc.errors[1], row->want[in]);
                CHECK((sc.errors[1].status == EIAM_STATUS_OK) == sc.has_account_id[1]);
                CHECK(sc.errors[0].status == EIAM_STATUS_OK && sc.has_account_id[0]);
                CHECK(sc.errors[2].status == EIAM_STATUS_OK && sc.has_account_id[2]);
                stream_case_free(&sc);
                before.requests += 2;
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

/* ---- table 2b: the account calls' and eiam_request's strings ---------- */

/* Each cell calls one function with the input in one argument and valid
 * values everywhere else, frees whatever the call returned, and returns
 * its status. */
typedef eiam_status (*string_call)(const char *v, eiam_error *err);

struct string_row {
    const char *label;
    string_call call;
    struct outcome want[N_INPUTS];
    long api_requests[N_INPUTS];
};

static eiam_client *rows_client;

#define ACCOUNTS "/api/v2/tenant/applications/demo-app/accounts"
#define ZHANGSAN_ID "20220331164602949-904C-D475B60AE"

/* A call that hands back an account id: freed here; written only on
 * success. */
#define ID_CALL(fname, expr)                                     \
    static eiam_status fname(const char *v, eiam_error *err) {   \
        char *id = NULL;                                         \
        eiam_status st = (expr);                                 \
        CHECK((st == EIAM_STATUS_OK) == (id != NULL));           \
        eiam_string_free(id);                                    \
        return st;                                               \
    }
/* The same with one field of eiam_account_fields set to the input. */
#define FIELD_CALL(fname, member, expr)                          \
    static eiam_status fname(const char *v, eiam_error *err) {   \
        eiam_account_fields f = {0};                             \
        f.member = v;                                            \
        char *id = NULL;                                         \
        eiam_status st = (expr);                                 \
        CHECK((st == EIAM_STATUS_OK) == (id != NULL));           \
        eiam_string_free(id);                                    \
        return st;                                               \
    }
#define FIELD_CALLS(prefix, expr)                     \
    FIELD_CALL(prefix##_name, name, expr)             \
    FIELD_CALL(prefix##_org_code, org_code, expr)     \
    FIELD_CALL(prefix##_password, password, expr)     \
    FIELD_CALL(prefix##_extension, extension, expr)

#define RC rows_client
ID_CALL(pub_app_id, eiam_create_public_account(RC, v, "acct", NULL, &id, err))
ID_CALL(pub_account_name, eiam_create_public_account(RC, "demo-app", v, NULL, &id, err))
FIELD_CALLS(pub, eiam_create_public_account(RC, "demo-app", "acct", &f, &id, err))
ID_CALL(basic_app_id, eiam_create_basic_account(RC, v, ZHANGSAN_ID, NULL, NULL, &id, err))
ID_CALL(basic_user_id, eiam_create_basic_account(RC, "demo-app", v, NULL, NULL, &id, err))
ID_CALL(basic_account_name, eiam_create_basic_account(RC, "demo-app", ZHANGSAN_ID, v, NULL, &id, err))
FIELD_CALLS(basic, eiam_create_basic_account(RC, "demo-app", ZHANGSAN_ID, NULL, &f, &id, err))
ID_CALL(orphan_app_id, eiam_create_orphan_account(RC, v, "acct", NULL, &id, err))
ID_CALL(orphan_account_name, eiam_create_orphan_account(RC, "demo-app", v, NULL, &id, err))
FIELD_CALLS(orphan, eiam_create_orphan_account(RC, "demo-app", "acct", &f, &id, err))
/* The bad name sits after a good one. */
#define NAMES(v) ((const char *const[]){"cq04130006", (v)})
ID_CALL(add_app_id, eiam_add_public_account_users(RC, v, "pub-1", NAMES("zhangsan"), 2, &id, err))
ID_CALL(add_app_user_id, eiam_add_public_account_users(RC, "demo-app", v, NAMES("zhangsan"), 2, &id, err))
ID_CALL(add_user_name, eiam_add_public_account_users(RC, "demo-app", "pub-1", NAMES(v), 2, &id, err))
ID_CALL(rm_app_id, eiam_remove_public_account_users(RC, v, "pub-2", NAMES("zhangsan"), 2, &id, err))
ID_CALL(rm_app_user_id, eiam_remove_public_account_users(RC, "demo-app", v, NAMES("zhangsan"), 2, &id, err))
ID_CALL(rm_user_name, eiam_remove_public_account_users(RC, "demo-app", "pub-2", NAMES(v), 2, &id, err))
ID_CALL(update_app_id, eiam_update_account(RC, v, "pub-2", "pub-2", NULL, &id, err))
ID_CALL(update_account_id, eiam_update_account(RC, "demo-app", v, "pub-2", NULL, &id, err))
ID_CALL(update_account_name, eiam_update_account(RC, "demo-app", "pub-2", v, NULL, &id, err))
FIELD_CALLS(update, eiam_update_account(RC, "demo-app", "pub-2", "pub-2", &f, &id, err))
ID_CALL(disable_app_id, eiam_disable_account(RC, v, "pub-2", &id, err))
ID_CALL(disable_account_id, eiam_disable_account(RC, "demo-app", v, &id, err))
ID_CALL(enable_app_id, eiam_enable_account(RC, v, "pub-2", &id, err))
ID_CALL(enable_account_id, eiam_enable_account(RC, "demo-app", v, &id, err))
#undef NAMES

static eiam_status delete_app_id(const char *v, eiam_error *err) {
    return eiam_delete_account(RC, v, "pub-2", err);
}
static eiam_status delete_account_id(const char *v, eiam_error *err) {
    return eiam_delete_account(RC, "demo-app", v, err);
}

/* Filled structs: the call clears them first, and a failed call leaves
 * them zeroed. */
static eiam_status get_account(const char *app, const char *id, eiam_error *err) {
    eiam_account a = {0};
    eiam_status st = eiam_get_account(RC, app, id, &a, err);
    CHECK((st == EIAM_STATUS_OK) == (a.id != NULL));
    eiam_account_clear(&a);
    return st;
}
static eiam_status get_app_id(const char *v, eiam_error *err) { return get_account(v, "pub-1", err); }
static eiam_status get_account_id(const char *v, eiam_error *err) { return get_account("demo-app", v, err); }

static eiam_status list_users(const char *app, const char *id, eiam_error *err) {
    eiam_account_user_page page = {0};
    eiam_status st = eiam_list_public_account_users(RC, app, id, 0, 10, &page, err);
    CHECK((st == EIAM_STATUS_OK) == (page.len > 0));
    eiam_account_user_page_clear(&page);
    return st;
}
static eiam_status users_app_id(const char *v, eiam_error *err) { return list_users(v, "pub-1", err); }
static eiam_status users_app_user_id(const char *v, eiam_error *err) { return list_users("demo-app", v, err); }

/* A pager sends nothing when it is made: what it refuses then (NULL,
 * non-UTF-8) it refuses at once, the rest at the first page. */
static eiam_status user_pager(const char *app, const char *id, eiam_error *err) {
    eiam_account_user_pager *pager = NULL;
    eiam_status st = eiam_account_user_pager_new(RC, app, id, 10, &pager, err);
    CHECK((st == EIAM_STATUS_OK) == (pager != NULL));
    eiam_account_user_page page = {0};
    if (st == EIAM_STATUS_OK) st = eiam_account_user_pager_next(pager, &page, err);
    eiam_account_user_page_clear(&page);
    eiam_account_user_pager_free(pager);
    return st;
}
static eiam_status user_pager_app_id(const char *v, eiam_error *err) { return user_pager(v, "pub-1", err); }
static eiam_status user_pager_app_user_id(const char *v, eiam_error *err) { return user_pager("demo-app", v, err); }

static eiam_status list_accounts(const char *app, const char *type, eiam_error *err) {
    eiam_account_page page = {0};
    eiam_status st = eiam_list_accounts(RC, app, type, 0, 10, &page, err);
    CHECK((st == EIAM_STATUS_OK) == (page.len > 0));
    eiam_account_page_clear(&page);
    return st;
}
static eiam_status list_app_id(const char *v, eiam_error *err) { return list_accounts(v, NULL, err); }
static eiam_status list_account_type(const char *v, eiam_error *err) { return list_accounts("demo-app", v, err); }

static eiam_status account_pager(const char *app, const char *type, eiam_error *err) {
    eiam_account_pager *pager = NULL;
    eiam_status st = eiam_account_pager_new(RC, app, type, 10, &pager, err);
    CHECK((st == EIAM_STATUS_OK) == (pager != NULL));
    eiam_account_page page = {0};
    if (st == EIAM_STATUS_OK) st = eiam_account_pager_next(pager, &page, err);
    eiam_account_page_clear(&page);
    eiam_account_pager_free(pager);
    return st;
}
static eiam_status pager_app_id(const char *v, eiam_error *err) { return account_pager(v, NULL, err); }
static eiam_status pager_account_type(const char *v, eiam_error *err) { return account_pager("demo-app", v, err); }

static eiam_status request(const char *method, const char *path, const eiam_query_param *query,
                           size_t query_len, const char *body, eiam_error *err) {
    char *const untouched = (char *)"untouched";
    char *json = untouched;
    eiam_status st = eiam_request(RC, method, path, query, query_len, body, EIAM_BOOL_UNSET, &json, err);
    CHECK((st == EIAM_STATUS_OK) == (json != untouched));
    if (st == EIAM_STATUS_OK) eiam_string_free(json);
    return st;
}
static eiam_status request_method(const char *v, eiam_error *err) {
    return request(v, ACCOUNTS "/pub-1", NULL, 0, NULL, err);
}
static eiam_status request_path(const char *v, eiam_error *err) {
    return request("GET", v, NULL, 0, NULL, err);
}
static eiam_status request_query_name(const char *v, eiam_error *err) {
    const eiam_query_param query[2] = {{"note", "1"}, {v, "1"}};
    return request("GET", ACCOUNTS "/pub-1", query, 2, NULL, err);
}
static eiam_status request_query_value(const char *v, eiam_error *err) {
    const eiam_query_param query[2] = {{"note", "1"}, {"note2", v}};
    return request("GET", ACCOUNTS "/pub-1", query, 2, NULL, err);
}
/* A PUT takes a body or none. */
static eiam_status request_json_body(const char *v, eiam_error *err) {
    return request("PUT", ACCOUNTS "/pub-2/enable", NULL, 0, v, err);
}

/* An accepted eiam_call_async is waited for (so that its requests are
 * counted in its case); a refused one writes no task and never calls
 * done. */
static eiam_status call_async(eiam_client *client, const char *call, const char *args,
                              bool want_task, eiam_error *err) {
    struct completion done;
    completion_init(&done);
    eiam_task *const untouched = (eiam_task *)&done;
    eiam_task *task = untouched;
    eiam_status st = eiam_call_async(client, call, args, completion_done, &done,
                                     want_task ? &task : NULL, err);
    if (st == EIAM_STATUS_OK) {
        CHECK(completion_wait(&done, 1, 30000));
        CHECK(!want_task || task != untouched);
        if (task != untouched) eiam_task_free(task);
    } else {
        CHECK(task == untouched && completion_calls(&done) == 0);
    }
    completion_destroy(&done);
    return st;
}
#define ACCOUNT_ARGS "{\"app_id\":\"demo-app\",\"account_id\":\"pub-1\"}"
static eiam_status async_call_name(const char *v, eiam_error *err) {
    return call_async(RC, v, ACCOUNT_ARGS, true, err);
}
/* NULL is no arguments: accepted, and get_account's done says that
 * app_id is missing. */
static eiam_status async_args_json(const char *v, eiam_error *err) {
    return call_async(RC, "get_account", v, true, err);
}
#undef RC

/* The cells, in enum order: NULL, "", "  ", "\xff\xfe", ".", "..",
 * "a\r\nb", 1 MiB. */
#define SENT_NONE {0, 0, 0, 0, 0, 0, 0, 0}
/* A path segment: everything refused; empty or blank with the service's
 * own code. */
#define ID_CELLS(name, code)                                                                  \
    {INVALID(name), INVALID_CODE(name, code), INVALID_CODE(name, code), INVALID(name),        \
     INVALID(name), INVALID(name), INVALID(name), INVALID(name)},                             \
    SENT_NONE
/* A name in the body: "." and ".." are names like any other. */
#define NAME_CELLS(null)                                                                      \
    {null, INVALID_CODE("account_name", "APP.ACCOUNT.0001"),                                  \
     INVALID_CODE("account_name", "APP.ACCOUNT.0001"), INVALID("account_name"), OK, OK,       \
     INVALID("account_name"), INVALID("account_name")}
/* A user id or user name in the body: the mock knows no "." user. */
#define USER_CELLS(name)                                                                      \
    {INVALID(name), INVALID(name), INVALID(name), INVALID(name), API_ERROR("USER.0001"),      \
     API_ERROR("USER.0001"), INVALID(name), INVALID(name)},                                   \
    {0, 0, 0, 0, 1, 1, 0, 0}
/* Removing a user who is not a member (or no user at all) is no error. */
#define REMOVE_USER_CELLS(name)                                                               \
    {INVALID(name), INVALID(name), INVALID(name), INVALID(name), OK, OK, INVALID(name),       \
     INVALID(name)},                                                                          \
    {0, 0, 0, 0, 1, 1, 0, 0}
/* An optional text field: NULL is not sent, empty and blank are. */
#define TEXT_CELLS(name)                                                                      \
    {OK, OK, OK, INVALID(name), OK, OK, INVALID(name), INVALID(name)}, {1, 1, 1, 0, 1, 1, 0, 0}
/* An organization code: empty is none; any other unknown one is the
 * service's to refuse. */
#define ORG_CELLS                                                                             \
    {OK, OK, API_ERROR("APP.ORG.0024"), INVALID("fields->org_code"), API_ERROR("APP.ORG.0024"), \
     API_ERROR("APP.ORG.0024"), INVALID("fields->org_code"), INVALID("fields->org_code")},    \
    {1, 1, 1, 0, 1, 1, 0, 0}
/* A password is the caller's business: any text is sent (JSON-escaped),
 * whatever its length. The mock's HTTP layer refuses a body over 1 MiB
 * with 413 before it counts the request. */
#define PASSWORD_CELLS                                                                        \
    {OK, OK, OK, INVALID("fields->password"), OK, OK, OK, API_ERROR("SYS.0413")},            \
    {1, 1, 1, 0, 1, 1, 1, 0}
/* JSON text of an object, or NULL for none. */
#define JSON_CELLS(name)                                                                      \
    {OK, INVALID(name), INVALID(name), INVALID(name), INVALID(name), INVALID(name),           \
     INVALID(name), INVALID(name)},                                                           \
    {1, 0, 0, 0, 0, 0, 0, 0}
#define FIELD_ROWS(fn, prefix)                                                                \
    {fn "(fields->name)", prefix##_name, TEXT_CELLS("fields->name")},                         \
    {fn "(fields->org_code)", prefix##_org_code, ORG_CELLS},                                  \
    {fn "(fields->password)", prefix##_password, PASSWORD_CELLS},                             \
    {fn "(fields->extension)", prefix##_extension, JSON_CELLS("fields->extension")}
#define TYPE_INVALID INVALID_CODE("account_type", "APP.ACCOUNT.0045")
#define TYPE_CELLS                                                                            \
    {OK, OK, TYPE_INVALID, INVALID("account_type"), TYPE_INVALID, TYPE_INVALID, TYPE_INVALID, \
     TYPE_INVALID},                                                                           \
    {1, 1, 0, 0, 0, 0, 0, 0}
/* A query pair's name or value: encoded, so only control characters,
 * absurd lengths and what C cannot hand over are refused. */
#define QUERY_CELLS(name)                                                                     \
    {INVALID(name), OK, OK, INVALID(name), OK, OK, INVALID(name), INVALID(name)},             \
    {0, 1, 1, 0, 1, 1, 0, 0}
#define ALL_INVALID(name)                                                                     \
    {INVALID(name), INVALID(name), INVALID(name), INVALID(name), INVALID(name), INVALID(name), \
     INVALID(name), INVALID(name)},                                                           \
    SENT_NONE

#define APP_ID_CELLS ID_CELLS("app_id", "APP.0006")
static const struct string_row string_rows[] = {
    {"eiam_create_public_account(app_id)", pub_app_id, APP_ID_CELLS},
    {"eiam_create_public_account(account_name)", pub_account_name,
     NAME_CELLS(INVALID("account_name")), {0, 0, 0, 0, 1, 1, 0, 0}},
    FIELD_ROWS("eiam_create_public_account", pub),
    {"eiam_create_basic_account(app_id)", basic_app_id, APP_ID_CELLS},
    {"eiam_create_basic_account(user_id)", basic_user_id, USER_CELLS("user_id")},
    /* Optional: NULL names the account after its user. */
    {"eiam_create_basic_account(account_name)", basic_account_name, NAME_CELLS(OK),
     {1, 0, 0, 0, 1, 1, 0, 0}},
    FIELD_ROWS("eiam_create_basic_account", basic),
    {"eiam_create_orphan_account(app_id)", orphan_app_id, APP_ID_CELLS},
    {"eiam_create_orphan_account(account_name)", orphan_account_name,
     NAME_CELLS(INVALID("account_name")), {0, 0, 0, 0, 1, 1, 0, 0}},
    FIELD_ROWS("eiam_create_orphan_account", orphan),
    {"eiam_add_public_account_users(app_id)", add_app_id, APP_ID_CELLS},
    {"eiam_add_public_account_users(app_user_id)", add_app_user_id,
     ID_CELLS("app_user_id", "APP.ACCOUNT.0047")},
    {"eiam_add_public_account_users(user_names[1])", add_user_name, USER_CELLS("user_names[1]")},
    {"eiam_remove_public_account_users(app_id)", rm_app_id, APP_ID_CELLS},
    {"eiam_remove_public_account_users(app_user_id)", rm_app_user_id,
     ID_CELLS("app_user_id", "APP.ACCOUNT.0047")},
    {"eiam_remove_public_account_users(user_names[1])", rm_user_name,
     REMOVE_USER_CELLS("user_names[1]")},
    {"eiam_list_public_account_users(app_id)", users_app_id, APP_ID_CELLS},
    {"eiam_list_public_account_users(app_user_id)", users_app_user_id,
     ID_CELLS("app_user_id", "APP.ACCOUNT.0047")},
    {"eiam_account_user_pager_new+next(app_id)", user_pager_app_id, APP_ID_CELLS},
    {"eiam_account_user_pager_new+next(app_user_id)", user_pager_app_user_id,
     ID_CELLS("app_user_id", "APP.ACCOUNT.0047")},
    {"eiam_get_account(app_id)", get_app_id, APP_ID_CELLS},
    {"eiam_get_account(account_id)", get_account_id, ID_CELLS("account_id", "APP.ACCOUNT.0047")},
    {"eiam_list_accounts(app_id)", list_app_id, APP_ID_CELLS},
    {"eiam_list_accounts(account_type)", list_account_type, TYPE_CELLS},
    {"eiam_account_pager_new+next(app_id)", pager_app_id, APP_ID_CELLS},
    {"eiam_account_pager_new+next(account_type)", pager_account_type, TYPE_CELLS},
    {"eiam_update_account(app_id)", update_app_id, APP_ID_CELLS},
    {"eiam_update_account(account_id)", update_account_id,
     ID_CELLS("account_id", "APP.ACCOUNT.0047")},
    {"eiam_update_account(account_name)", update_account_name,
     NAME_CELLS(INVALID("account_name")), {0, 0, 0, 0, 1, 1, 0, 0}},
    FIELD_ROWS("eiam_update_account", update),
    {"eiam_disable_account(app_id)", disable_app_id, APP_ID_CELLS},
    {"eiam_disable_account(account_id)", disable_account_id,
     ID_CELLS("account_id", "APP.ACCOUNT.0047")},
    {"eiam_enable_account(app_id)", enable_app_id, APP_ID_CELLS},
    {"eiam_enable_account(account_id)", enable_account_id,
     ID_CELLS("account_id", "APP.ACCOUNT.0047")},
    {"eiam_delete_account(app_id)", delete_app_id, APP_ID_CELLS},
    {"eiam_delete_account(account_id)", delete_account_id,
     ID_CELLS("account_id", "APP.ACCOUNT.0047")},
    {"eiam_request(method)", request_method, ALL_INVALID("method")},
    /* None of the inputs starts with /api/. */
    {"eiam_request(path)", request_path, ALL_INVALID("path")},
    {"eiam_request(query[1].name)", request_query_name, QUERY_CELLS("query[1].name")},
    {"eiam_request(query[1].value)", request_query_value, QUERY_CELLS("query[1].value")},
    {"eiam_request(json_body)", request_json_body, JSON_CELLS("json_body")},
    /* No call has any of these names. */
    {"eiam_call_async(call)", async_call_name, ALL_INVALID("call")},
    {"eiam_call_async(args_json)", async_args_json,
     {OK, INVALID("args_json"), INVALID("args_json"), INVALID("args_json"), INVALID("args_json"),
      INVALID("args_json"), INVALID("args_json"), INVALID("args_json")},
     SENT_NONE},
};

static int string_cases;

static void test_account_strings(void) {
    snprintf(check_context, sizeof check_context, "account calls: setup");
    rows_client = make_client();
    if (!rows_client) return;
    CHECK(eiam_client_authenticate(rows_client, NULL) == EIAM_STATUS_OK);
    for (size_t r = 0; r < sizeof string_rows / sizeof string_rows[0]; r++) {
        const struct string_row *row = &string_rows[r];
        for (int in = 0; in < N_INPUTS; in++) {
            snprintf(check_context, sizeof check_context, "%s <- %s", row->label, input_label[in]);
            string_cases++;
            struct counts before = mock_counts();
            eiam_error err = {0};
            eiam_status st = row->call(input_value((enum input)in), &err);
            check_outcome(st, &err, row->want[in]);
            eiam_error_clear(&err);
            /* Rejected input gives the same status with err == NULL. */
            if (row->want[in].status == EIAM_STATUS_INVALID_ARGUMENT)
                CHECK(row->call(input_value((enum input)in), NULL) == EIAM_STATUS_INVALID_ARGUMENT);
            check_sent(before, row->api_requests[in]);
        }
    }
    eiam_client_free(rows_client);
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

/* The streaming form: one good item, from callbacks that need no state. */
static bool one_next(void *user_data, eiam_bind_item *out) {
    size_t *taken = user_data;
    if (*taken) return false;
    *out = one_item[0];
    return ++*taken;
}
static int one_done(void *user_data, size_t index, const eiam_bind_item *item,
                    const eiam_bind_result *result) {
    (void)user_data, (void)index, (void)item, (void)result;
    return 0;
}
static size_t one_taken;
static eiam_job_summary one_summary;
#define STREAM(client, next, done, summary) \
    (one_taken = 0, eiam_bind_public_account_owners_streaming(client, 1, next, done, &one_taken, summary, err))
THUNK(n_stream_client, STREAM(NULL, one_next, one_done, &one_summary))
THUNK(n_stream_next, STREAM(shared_client, NULL, one_done, &one_summary))
THUNK(n_stream_done, STREAM(shared_client, one_next, NULL, &one_summary))
/* out_summary may be NULL: the job runs all the same. */
THUNK(n_stream_no_summary, STREAM(shared_client, one_next, one_done, NULL))
#undef STREAM

/* The account calls, the pagers and eiam_request. */
static eiam_account out_account_slot;
static eiam_account_page out_page_slot;
static eiam_account_user_page out_user_page_slot;
static eiam_account_pager *out_pager_slot;
static eiam_account_user_pager *out_user_pager_slot;
static const char *const one_name[1] = {"zhangsan"};
static const eiam_query_param one_param[1] = {{"note", "1"}};
#define SC shared_client
THUNK(n_pub_client, eiam_create_public_account(NULL, "demo-app", "a", NULL, &out_string_slot, err))
THUNK(n_pub_out, eiam_create_public_account(SC, "demo-app", "a", NULL, NULL, err))
THUNK(n_basic_client, eiam_create_basic_account(NULL, "demo-app", "u", NULL, NULL, &out_string_slot, err))
THUNK(n_basic_out, eiam_create_basic_account(SC, "demo-app", "u", NULL, NULL, NULL, err))
THUNK(n_orphan_client, eiam_create_orphan_account(NULL, "demo-app", "a", NULL, &out_string_slot, err))
THUNK(n_orphan_out, eiam_create_orphan_account(SC, "demo-app", "a", NULL, NULL, err))
/* fields may be NULL: nothing optional is sent. */
THUNK(n_orphan_fields, eiam_create_orphan_account(SC, "demo-app", "a", NULL, &out_string_slot, err))
THUNK(n_add_client, eiam_add_public_account_users(NULL, "demo-app", "pub-1", one_name, 1, &out_string_slot, err))
THUNK(n_add_names, eiam_add_public_account_users(SC, "demo-app", "pub-1", NULL, 1, &out_string_slot, err))
/* An empty list is refused, with or without an array. */
THUNK(n_add_empty, eiam_add_public_account_users(SC, "demo-app", "pub-1", NULL, 0, &out_string_slot, err))
THUNK(n_add_zero, eiam_add_public_account_users(SC, "demo-app", "pub-1", one_name, 0, &out_string_slot, err))
THUNK(n_add_out, eiam_add_public_account_users(SC, "demo-app", "pub-1", one_name, 1, NULL, err))
THUNK(n_rm_client, eiam_remove_public_account_users(NULL, "demo-app", "pub-1", one_name, 1, &out_string_slot, err))
THUNK(n_rm_names, eiam_remove_public_account_users(SC, "demo-app", "pub-1", NULL, 1, &out_string_slot, err))
THUNK(n_rm_empty, eiam_remove_public_account_users(SC, "demo-app", "pub-1", NULL, 0, &out_string_slot, err))
THUNK(n_rm_out, eiam_remove_public_account_users(SC, "demo-app", "pub-1", one_name, 1, NULL, err))
THUNK(n_users_client, eiam_list_public_account_users(NULL, "demo-app", "pub-1", 0, 10, &out_user_page_slot, err))
THUNK(n_users_out, eiam_list_public_account_users(SC, "demo-app", "pub-1", 0, 10, NULL, err))
THUNK(n_upager_client, eiam_account_user_pager_new(NULL, "demo-app", "pub-1", 10, &out_user_pager_slot, err))
THUNK(n_upager_out, eiam_account_user_pager_new(SC, "demo-app", "pub-1", 10, NULL, err))
THUNK(n_upager_next_pager, eiam_account_user_pager_next(NULL, &out_user_page_slot, err))
THUNK(n_get_account_client, eiam_get_account(NULL, "demo-app", "pub-1", &out_account_slot, err))
THUNK(n_get_account_out, eiam_get_account(SC, "demo-app", "pub-1", NULL, err))
THUNK(n_list_client, eiam_list_accounts(NULL, "demo-app", NULL, 0, 10, &out_page_slot, err))
THUNK(n_list_out, eiam_list_accounts(SC, "demo-app", NULL, 0, 10, NULL, err))
THUNK(n_pager_client, eiam_account_pager_new(NULL, "demo-app", NULL, 10, &out_pager_slot, err))
THUNK(n_pager_out, eiam_account_pager_new(SC, "demo-app", NULL, 10, NULL, err))
THUNK(n_pager_next_pager, eiam_account_pager_next(NULL, &out_page_slot, err))
THUNK(n_update_client, eiam_update_account(NULL, "demo-app", "pub-2", "pub-2", NULL, &out_string_slot, err))
THUNK(n_update_out, eiam_update_account(SC, "demo-app", "pub-2", "pub-2", NULL, NULL, err))
THUNK(n_update_fields, eiam_update_account(SC, "demo-app", "pub-2", "pub-2", NULL, &out_string_slot, err))
THUNK(n_disable_client, eiam_disable_account(NULL, "demo-app", "pub-2", &out_string_slot, err))
THUNK(n_disable_out, eiam_disable_account(SC, "demo-app", "pub-2", NULL, err))
THUNK(n_enable_client, eiam_enable_account(NULL, "demo-app", "pub-2", &out_string_slot, err))
THUNK(n_enable_out, eiam_enable_account(SC, "demo-app", "pub-2", NULL, err))
THUNK(n_delete_client, eiam_delete_account(NULL, "demo-app", "pub-2", err))
THUNK(n_request_client, eiam_request(NULL, "GET", ACCOUNTS "/pub-1", NULL, 0, NULL, 0, &out_string_slot, err))
THUNK(n_request_query, eiam_request(SC, "GET", ACCOUNTS "/pub-1", NULL, 1, NULL, 0, &out_string_slot, err))
/* query may be NULL when query_len is 0, and json_body NULL for none. */
THUNK(n_request_no_query, eiam_request(SC, "GET", ACCOUNTS "/pub-1", NULL, 0, NULL, 0, &out_string_slot, err))
THUNK(n_request_query_ok, eiam_request(SC, "GET", ACCOUNTS "/pub-1", one_param, 1, NULL, 0, &out_string_slot, err))
THUNK(n_request_out, eiam_request(SC, "GET", ACCOUNTS "/pub-1", NULL, 0, NULL, 0, NULL, err))
static eiam_cancel *shared_cancel;
static eiam_task *out_task_slot; /* written only on success */
THUNK(n_view_client, eiam_client_with_cancel(NULL, shared_cancel, &out_client_slot, err))
THUNK(n_view_cancel, eiam_client_with_cancel(SC, NULL, &out_client_slot, err))
THUNK(n_view_out, eiam_client_with_cancel(SC, shared_cancel, NULL, err))
THUNK(n_async_client, call_async(NULL, "get_account", ACCOUNT_ARGS, true, err))
THUNK(n_async_done, eiam_call_async(SC, "get_account", ACCOUNT_ARGS, NULL, NULL, &out_task_slot, err))
/* out_task may be NULL: the call runs all the same. */
THUNK(n_async_no_task, call_async(SC, "get_account", ACCOUNT_ARGS, false, err))
THUNK(n_workers_cfg, eiam_config_set_async_workers(NULL, 2, err))
#undef SC

/* eiam_client_new refuses async_workers outside 1..EIAM_MAX_ASYNC_WORKERS. */
static eiam_status new_with_workers(uint32_t workers, eiam_error *err) {
    eiam_config *cfg = base_config(true);
    CHECK(eiam_config_set_async_workers(cfg, workers, NULL) == EIAM_STATUS_OK);
    eiam_status st = eiam_client_new(cfg, &out_client_slot, err);
    eiam_config_free(cfg);
    return st;
}
static eiam_status n_workers_zero(eiam_error *err) { return new_with_workers(0, err); }
static eiam_status n_workers_2000(eiam_error *err) { return new_with_workers(2000, err); }

/* The pager thunks need a pager: made, used and freed around the call. */
static eiam_status n_upager_next_out(eiam_error *err) {
    eiam_account_user_pager *pager = NULL;
    CHECK(eiam_account_user_pager_new(shared_client, "demo-app", "pub-1", 10, &pager, NULL) ==
          EIAM_STATUS_OK);
    eiam_status st = eiam_account_user_pager_next(pager, NULL, err);
    eiam_account_user_pager_free(pager);
    return st;
}
static eiam_status n_pager_next_out(eiam_error *err) {
    eiam_account_pager *pager = NULL;
    CHECK(eiam_account_pager_new(shared_client, "demo-app", NULL, 10, &pager, NULL) ==
          EIAM_STATUS_OK);
    eiam_status st = eiam_account_pager_next(pager, NULL, err);
    eiam_account_pager_free(pager);
    return st;
}

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
    {"eiam_bind_public_account_owners_streaming(client=NULL)", n_stream_client, INVALID("client"), 0},
    {"eiam_bind_public_account_owners_streaming(next=NULL)", n_stream_next, INVALID("next"), 0},
    {"eiam_bind_public_account_owners_streaming(done=NULL)", n_stream_done, INVALID("done"), 0},
    {"eiam_bind_public_account_owners_streaming(out_summary=NULL)", n_stream_no_summary, OK, 1},
    {"eiam_create_public_account(client=NULL)", n_pub_client, INVALID("client"), 0},
    {"eiam_create_public_account(out_account_id=NULL)", n_pub_out, INVALID("out_account_id"), 0},
    {"eiam_create_basic_account(client=NULL)", n_basic_client, INVALID("client"), 0},
    {"eiam_create_basic_account(out_account_id=NULL)", n_basic_out, INVALID("out_account_id"), 0},
    {"eiam_create_orphan_account(client=NULL)", n_orphan_client, INVALID("client"), 0},
    {"eiam_create_orphan_account(out_account_id=NULL)", n_orphan_out, INVALID("out_account_id"), 0},
    {"eiam_create_orphan_account(fields=NULL)", n_orphan_fields, OK, 1},
    {"eiam_add_public_account_users(client=NULL)", n_add_client, INVALID("client"), 0},
    {"eiam_add_public_account_users(user_names=NULL, len 1)", n_add_names, INVALID("user_names"), 0},
    {"eiam_add_public_account_users(user_names=NULL, len 0)", n_add_empty, INVALID("user_names"), 0},
    {"eiam_add_public_account_users(user_names, len 0)", n_add_zero, INVALID("user_names"), 0},
    {"eiam_add_public_account_users(out_account_id=NULL)", n_add_out, INVALID("out_account_id"), 0},
    {"eiam_remove_public_account_users(client=NULL)", n_rm_client, INVALID("client"), 0},
    {"eiam_remove_public_account_users(user_names=NULL, len 1)", n_rm_names, INVALID("user_names"), 0},
    {"eiam_remove_public_account_users(user_names=NULL, len 0)", n_rm_empty, INVALID("user_names"), 0},
    {"eiam_remove_public_account_users(out_account_id=NULL)", n_rm_out, INVALID("out_account_id"), 0},
    {"eiam_list_public_account_users(client=NULL)", n_users_client, INVALID("client"), 0},
    {"eiam_list_public_account_users(out_page=NULL)", n_users_out, INVALID("out_page"), 0},
    {"eiam_account_user_pager_new(client=NULL)", n_upager_client, INVALID("client"), 0},
    {"eiam_account_user_pager_new(out_pager=NULL)", n_upager_out, INVALID("out_pager"), 0},
    {"eiam_account_user_pager_next(pager=NULL)", n_upager_next_pager, INVALID("pager"), 0},
    {"eiam_account_user_pager_next(out_page=NULL)", n_upager_next_out, INVALID("out_page"), 0},
    {"eiam_get_account(client=NULL)", n_get_account_client, INVALID("client"), 0},
    {"eiam_get_account(out_account=NULL)", n_get_account_out, INVALID("out_account"), 0},
    {"eiam_list_accounts(client=NULL)", n_list_client, INVALID("client"), 0},
    {"eiam_list_accounts(out_page=NULL)", n_list_out, INVALID("out_page"), 0},
    {"eiam_account_pager_new(client=NULL)", n_pager_client, INVALID("client"), 0},
    {"eiam_account_pager_new(out_pager=NULL)", n_pager_out, INVALID("out_pager"), 0},
    {"eiam_account_pager_next(pager=NULL)", n_pager_next_pager, INVALID("pager"), 0},
    {"eiam_account_pager_next(out_page=NULL)", n_pager_next_out, INVALID("out_page"), 0},
    {"eiam_update_account(client=NULL)", n_update_client, INVALID("client"), 0},
    {"eiam_update_account(out_account_id=NULL)", n_update_out, INVALID("out_account_id"), 0},
    {"eiam_update_account(fields=NULL)", n_update_fields, OK, 1},
    {"eiam_disable_account(client=NULL)", n_disable_client, INVALID("client"), 0},
    {"eiam_disable_account(out_account_id=NULL)", n_disable_out, INVALID("out_account_id"), 0},
    {"eiam_enable_account(client=NULL)", n_enable_client, INVALID("client"), 0},
    {"eiam_enable_account(out_account_id=NULL)", n_enable_out, INVALID("out_account_id"), 0},
    {"eiam_delete_account(client=NULL)", n_delete_client, INVALID("client"), 0},
    {"eiam_request(client=NULL)", n_request_client, INVALID("client"), 0},
    {"eiam_request(query=NULL, len 1)", n_request_query, INVALID("query"), 0},
    {"eiam_request(query=NULL, len 0, json_body=NULL)", n_request_no_query, OK, 1},
    {"eiam_request(query, len 1)", n_request_query_ok, OK, 1},
    {"eiam_request(out_json=NULL)", n_request_out, INVALID("out_json"), 0},
    {"eiam_config_set_async_workers(cfg=NULL)", n_workers_cfg, INVALID("cfg"), 0},
    {"eiam_client_new(async_workers=0)", n_workers_zero, INVALID("async_workers"), 0},
    {"eiam_client_new(async_workers=2000)", n_workers_2000, INVALID("async_workers"), 0},
    {"eiam_client_with_cancel(client=NULL)", n_view_client, INVALID("client"), 0},
    {"eiam_client_with_cancel(cancel=NULL)", n_view_cancel, INVALID("cancel"), 0},
    {"eiam_client_with_cancel(out_client=NULL)", n_view_out, INVALID("out_client"), 0},
    {"eiam_call_async(client=NULL)", n_async_client, INVALID("client"), 0},
    {"eiam_call_async(done=NULL)", n_async_done, INVALID("done"), 0},
    {"eiam_call_async(out_task=NULL)", n_async_no_task, OK, 1},
};

static int null_cases;

static void test_null_pointers(void) {
    snprintf(check_context, sizeof check_context, "NULL pointers: setup");
    shared_cfg = base_config(true);
    shared_client = make_client();
    shared_cancel = eiam_cancel_new();
    CHECK(shared_cancel != NULL);
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
        one_summary = (eiam_job_summary){99, true};
        eiam_error err = {0};
        eiam_status st = row->call(&err);
        check_outcome(st, &err, row->want);
        if (row->call == n_stream_client || row->call == n_stream_next ||
            row->call == n_stream_done)
            CHECK(one_summary.started == 99 && one_summary.stopped && one_taken == 0);
        if (row->call == n_new_cfg || row->call == n_workers_zero || row->call == n_view_client)
            CHECK(out_client_slot == client_before);
        CHECK(out_task_slot == NULL);
        if (row->call == n_bind_client) CHECK(out_string_slot == string_before);
        if (row->call == n_get_client)
            CHECK(out_owner_slot.user_id == NULL && out_owner_slot.user_name == NULL);
        if (st == EIAM_STATUS_OK && out_string_slot != string_before) {
            eiam_string_free(out_string_slot);
            out_string_slot = string_before;
        }
        CHECK(out_string_slot == string_before);
        CHECK(out_pager_slot == NULL && out_user_pager_slot == NULL);
        eiam_bind_results_clear(one_result, 1);
        eiam_account_clear(&out_account_slot);
        eiam_account_page_clear(&out_page_slot);
        eiam_account_user_page_clear(&out_user_page_slot);
        eiam_error_clear(&err);
        /* err may be NULL: the status is still returned. */
        if (row->want.status != EIAM_STATUS_OK) CHECK(row->call(NULL) == row->want.status);
        check_sent(before, row->api_requests);
    }
    eiam_bind_results_clear(one_result, 1);
    eiam_client_free(shared_client);
    eiam_config_free(shared_cfg);
    eiam_cancel_free(shared_cancel);
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
    eiam_account_clear(NULL);
    eiam_account_page_clear(NULL);
    eiam_account_user_page_clear(NULL);
    eiam_account_pager_free(NULL);
    eiam_account_user_pager_free(NULL);
    eiam_bind_results_clear(NULL, 0);
    eiam_bind_results_clear(NULL, 3);
    eiam_cancel_free(NULL);
    eiam_cancel_cancel(NULL);
    eiam_task_free(NULL);
    eiam_task_cancel(NULL);
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
    eiam_account account = {0};
    eiam_account_clear(&account);
    eiam_account_clear(&account);
    CHECK(account.id == NULL && account.extension == NULL && !account.disabled);
    eiam_account_page page = {0};
    eiam_account_page_clear(&page);
    eiam_account_page_clear(&page);
    CHECK(page.items == NULL && page.len == 0 && page.total == 0);
    eiam_account_user_page users = {0};
    eiam_account_user_page_clear(&users);
    eiam_account_user_page_clear(&users);
    CHECK(users.items == NULL && users.len == 0 && users.total == 0);
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
    test_account_strings();
    test_null_pointers();
    test_free_and_clear_take_null();
    free(huge);

    printf("bad input: %d cases (%d configuration strings, %d API strings, %d account call "
           "strings, %d NULL pointers, 1 free/clear), %d checks passed, %d failed\n",
           config_cases + api_cases + string_cases + null_cases + 1, config_cases, api_cases,
           string_cases, null_cases, check_passed, check_failed);
    return check_exit_status();
}

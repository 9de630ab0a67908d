/* C tests of the account calls, the pagers and eiam_request against the
 * embedded mock server.
 *
 * Run by scripts/c-tests.sh like test_eiam.c: against libeiam.so, against
 * libeiam.a, under AddressSanitizer + UBSan + LeakSanitizer, and under
 * valgrind --leak-check=full, so every struct filled twice, every pager
 * freed half-way and every _clear is also a leak check. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eiam.h"
#include "mock_admin.h"

#define ZHANGSAN_ID "20220331164602949-904C-D475B60AE"
#define ROOT_ORG_ID "20220401000000001-0A0A-000000001"
/* Nested, non-ASCII, with keys out of order: it must come back as sent. */
#define EXTENSION "{\"zeta\":1,\"部门\":{\"级别\":[1,2.5,true,null,\"高\"]},\"alpha\":{}}"
#define PASSWORD "hunter2-Very-Secret"

static eiam_client *make_client(uint32_t retries) {
    eiam_config *cfg = eiam_config_new();
    CHECK(cfg != NULL);
    CHECK(eiam_config_set_base_url(cfg, mock_url, NULL) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_client_credentials(cfg, client_id, client_secret, NULL) ==
          EIAM_STATUS_OK);
    CHECK(eiam_config_set_timeout_ms(cfg, 10000, NULL) == EIAM_STATUS_OK);
    CHECK(eiam_config_set_max_retries(cfg, retries, NULL) == EIAM_STATUS_OK);
    eiam_client *client = NULL;
    CHECK(eiam_client_new(cfg, &client, NULL) == EIAM_STATUS_OK);
    eiam_config_free(cfg);
    /* The token now, so that the tests' counts are API requests only. */
    CHECK(eiam_client_authenticate(client, NULL) == EIAM_STATUS_OK);
    return client;
}

static long api_requests(void) { return mock_stats_number(mock_url, "api_requests"); }

/* Checks a failed call: its status, HTTP status, code (NULL: none) and a
 * text its message contains (NULL: any), then clears err. */
static void check_failure(eiam_status got, eiam_error *err, eiam_status want, uint16_t http,
                          const char *code, const char *names) {
    CHECK(got == want);
    CHECK(err->status == want);
    CHECK(err->http_status == http);
    CHECK(err->message != NULL && err->message[0] != '\0');
    if (code) {
        CHECK(STREQ(err->code, code));
    } else {
        CHECK(err->code == NULL);
    }
    if (names) CHECK(err->message && strstr(err->message, names) != NULL);
    if (got != want || (code && !STREQ(err->code, code)))
        fprintf(stderr, "  wanted status %d code %s, got %d code %s: %s\n", (int)want,
                code ? code : "NULL", (int)got, err->code ? err->code : "NULL",
                err->message ? err->message : "(no message)");
    eiam_error_clear(err);
}

/* The body of /__mock/<what>?app_id=APP&account_id=ID into out. */
static void admin_get(const char *what, const char *app, const char *id, char *out, size_t cap) {
    char path[512];
    snprintf(path, sizeof path, "/__mock/%s?app_id=%s&account_id=%s", what, app, id ? id : "");
    CHECK(mock_admin(mock_url, "GET", path, NULL, out, cap) == 200);
}

static long account_count(const char *app) {
    char body[256];
    admin_get("account-count", app, NULL, body, sizeof body);
    return json_number(body, "count");
}

static int password_is(const char *app, const char *id, const char *password) {
    char spec[512], body[256];
    snprintf(spec, sizeof spec, "{\"app_id\":\"%s\",\"account_id\":\"%s\",\"password\":\"%s\"}",
             app, id, password);
    CHECK(mock_admin(mock_url, "POST", "/__mock/password-is", spec, body, sizeof body) == 200);
    return strstr(body, "\"matches\":true") != NULL;
}

/* Queues a fault for the next `count` API requests: `spec` is the rest of
 * its JSON ("\"cut\":\"before_status_line\""). */
static void inject(int count, const char *spec) {
    char body[512];
    snprintf(body, sizeof body, "{\"target\":\"api\",\"count\":%d,%s}", count, spec);
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults", body, NULL, 0) == 200);
}

/* Queues a fault answering the next `count` API requests with `status`
 * and `body` (any text: it is escaped here). */
static void inject_answer(int count, int status, const char *content_type, const char *body) {
    size_t cap = 2 * strlen(body) + 256;
    char *spec = malloc(cap);
    CHECK(spec != NULL);
    if (!spec) return;
    int n = snprintf(spec, cap, "{\"target\":\"api\",\"count\":%d,\"status\":%d,"
                     "\"content_type\":\"%s\",\"body\":\"", count, status, content_type);
    for (const char *p = body; *p; p++) {
        if (*p == '"' || *p == '\\') spec[n++] = '\\';
        spec[n++] = *p;
    }
    strcpy(spec + n, "\"}");
    CHECK(mock_admin(mock_url, "POST", "/__mock/faults", spec, NULL, 0) == 200);
    free(spec);
}

static void clear_faults(void) {
    CHECK(mock_admin(mock_url, "DELETE", "/__mock/faults", NULL, NULL, 0) == 200);
}

static void check_account_is_zeroed(const eiam_account *a) {
    CHECK(a->id == NULL && a->account_name == NULL && a->name == NULL && a->org_id == NULL &&
          a->account_type == NULL && a->extension == NULL && !a->disabled);
}

/* ---- the lifecycle of a public account ------------------------------- */

static void test_public_account_lifecycle(void) {
    reset_mock();
    eiam_client *c = make_client(2);
    eiam_error err = {0};
    eiam_account_fields fields = {0};
    fields.name = "共享邮箱 Shared";
    fields.org_code = "root";
    fields.password = PASSWORD;
    fields.disabled = EIAM_BOOL_FALSE;
    fields.extension = EXTENSION;
    char *id = NULL;
    CHECK(eiam_create_public_account(c, "demo-app", "mailbox", &fields, &id, &err) ==
          EIAM_STATUS_OK);
    CHECK(err.status == EIAM_STATUS_OK && err.message == NULL && err.code == NULL);
    CHECK(id != NULL && id[0] != '\0');
    if (!id) {
        eiam_client_free(c);
        return;
    }
    CHECK(password_is("demo-app", id, PASSWORD));
    CHECK(!password_is("demo-app", id, "another"));

    eiam_account account = {0};
    CHECK(eiam_get_account(c, "demo-app", id, &account, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(account.id, id));
    CHECK(STREQ(account.account_name, "mailbox"));
    CHECK(STREQ(account.name, "共享邮箱 Shared"));
    CHECK(STREQ(account.org_id, ROOT_ORG_ID));
    CHECK(STREQ(account.account_type, "PUBLIC_ACCOUNT"));
    CHECK(!account.disabled);
    CHECK(STREQ(account.extension, EXTENSION));
    if (!STREQ(account.extension, EXTENSION))
        fprintf(stderr, "  extension came back as %s\n", account.extension ? account.extension : "NULL");

    /* The id a create returns is the id of every later call. */
    char *out = NULL;
    CHECK(eiam_bind_public_account_owner(c, "demo-app", id, "zhangsan", &out, &err) ==
          EIAM_STATUS_OK);
    CHECK(STREQ(out, id));
    eiam_string_free(out);
    eiam_owner owner = {0};
    CHECK(eiam_get_public_account_owner(c, "demo-app", id, &owner, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(owner.user_name, "zhangsan") && STREQ(owner.user_id, ZHANGSAN_ID));
    eiam_owner_clear(&owner);

    const char *const two[] = {"cq04130006", "lisi"};
    out = NULL;
    CHECK(eiam_add_public_account_users(c, "demo-app", id, two, 2, &out, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(out, id));
    eiam_string_free(out);
    char body[1024];
    admin_get("members", "demo-app", id, body, sizeof body);
    CHECK(STREQ(body, "{\"user_names\":[\"cq04130006\",\"lisi\"]}"));

    eiam_account_user_page users = {0};
    CHECK(eiam_list_public_account_users(c, "demo-app", id, 0, EIAM_MIN_PAGE_SIZE, &users, &err) ==
          EIAM_STATUS_OK);
    CHECK(users.len == 2 && users.total == 2 && users.page == 0 && users.items != NULL);
    if (users.len == 2) {
        CHECK(STREQ(users.items[0].user_name, "cq04130006") && !users.items[0].disabled);
        CHECK(STREQ(users.items[1].user_name, "lisi") && users.items[1].disabled);
        CHECK(users.items[0].id && users.items[0].id[0] && users.items[1].id &&
              strcmp(users.items[0].id, users.items[1].id) != 0);
    }
    /* Past the end: an empty page, not an error. */
    CHECK(eiam_list_public_account_users(c, "demo-app", id, 1, EIAM_MIN_PAGE_SIZE, &users, &err) ==
          EIAM_STATUS_OK);
    CHECK(users.len == 0 && users.items == NULL && users.total == 2 && users.page == 1);
    eiam_account_user_page_clear(&users);

    /* The same members through the pager: one page, then the end. */
    eiam_account_user_pager *pager = NULL;
    long before = api_requests();
    CHECK(eiam_account_user_pager_new(c, "demo-app", id, EIAM_DEFAULT_PAGE_SIZE, &pager, &err) ==
          EIAM_STATUS_OK);
    CHECK(pager != NULL);
    CHECK(api_requests() == before); /* nothing sent yet */
    CHECK(eiam_account_user_pager_next(pager, &users, &err) == EIAM_STATUS_OK);
    CHECK(users.len == 2 && users.total == 2);
    CHECK(eiam_account_user_pager_next(pager, &users, &err) == EIAM_STATUS_OK);
    CHECK(users.len == 0 && users.items == NULL);
    CHECK(api_requests() == before + 1); /* 2 of total 2 after one page */
    eiam_account_user_pager_free(pager);
    eiam_account_user_page_clear(&users);

    const char *const lisi[] = {"lisi"};
    out = NULL;
    CHECK(eiam_remove_public_account_users(c, "demo-app", id, lisi, 1, &out, &err) ==
          EIAM_STATUS_OK);
    CHECK(STREQ(out, id));
    eiam_string_free(out);
    admin_get("members", "demo-app", id, body, sizeof body);
    CHECK(STREQ(body, "{\"user_names\":[\"cq04130006\"]}"));

    /* An update changes what it is given and leaves the rest alone. */
    eiam_account_fields renamed = {0};
    renamed.name = "Team mailbox";
    out = NULL;
    CHECK(eiam_update_account(c, "demo-app", id, "mailbox2", &renamed, &out, &err) ==
          EIAM_STATUS_OK);
    CHECK(STREQ(out, id));
    eiam_string_free(out);
    CHECK(eiam_get_account(c, "demo-app", id, &account, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(account.account_name, "mailbox2") && STREQ(account.name, "Team mailbox"));
    CHECK(STREQ(account.org_id, ROOT_ORG_ID) && STREQ(account.extension, EXTENSION));
    CHECK(password_is("demo-app", id, PASSWORD));

    out = NULL;
    CHECK(eiam_disable_account(c, "demo-app", id, &out, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(out, id));
    eiam_string_free(out);
    CHECK(eiam_get_account(c, "demo-app", id, &account, &err) == EIAM_STATUS_OK);
    CHECK(account.disabled);
    out = NULL;
    CHECK(eiam_enable_account(c, "demo-app", id, &out, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(out, id));
    eiam_string_free(out);
    CHECK(eiam_get_account(c, "demo-app", id, &account, &err) == EIAM_STATUS_OK);
    CHECK(!account.disabled);

    /* disabled, extension and password through an update (NULL fields of
     * an update: only account_name is sent). */
    eiam_account_fields more = {0};
    more.disabled = EIAM_BOOL_TRUE;
    more.extension = "{\"dept\":\"ops\"}";
    more.password = "new-pw";
    out = NULL;
    CHECK(eiam_update_account(c, "demo-app", id, "mailbox3", &more, &out, &err) == EIAM_STATUS_OK);
    eiam_string_free(out);
    out = NULL;
    CHECK(eiam_update_account(c, "demo-app", id, "mailbox4", NULL, &out, &err) == EIAM_STATUS_OK);
    eiam_string_free(out);
    CHECK(eiam_get_account(c, "demo-app", id, &account, &err) == EIAM_STATUS_OK);
    CHECK(account.disabled && STREQ(account.extension, "{\"dept\":\"ops\"}"));
    CHECK(STREQ(account.account_name, "mailbox4") && STREQ(account.name, "Team mailbox"));
    CHECK(password_is("demo-app", id, "new-pw"));

    CHECK(eiam_delete_account(c, "demo-app", id, &err) == EIAM_STATUS_OK);
    admin_get("account", "demo-app", id, body, sizeof body);
    CHECK(STREQ(body, "{\"account\":null}"));
    /* A failed get into a filled struct leaves it cleared. */
    CHECK(account.id != NULL);
    eiam_status st = eiam_get_account(c, "demo-app", id, &account, &err);
    check_account_is_zeroed(&account);
    check_failure(st, &err, EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    eiam_account_clear(&account);
    eiam_string_free(id);
    eiam_client_free(c);
}

/* ---- basic and orphan accounts ---------------------------------------- */

static void test_basic_and_orphan_accounts(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    char *basic = NULL, *named = NULL, *orphan = NULL;
    /* No account_name: the service names it after its user. */
    CHECK(eiam_create_basic_account(c, "demo-app", ZHANGSAN_ID, NULL, NULL, &basic, &err) ==
          EIAM_STATUS_OK);
    eiam_account_fields f = {0};
    f.name = "Zhang San";
    CHECK(eiam_create_basic_account(c, "demo-app", ZHANGSAN_ID, "zs2", &f, &named, &err) ==
          EIAM_STATUS_OK);
    CHECK(eiam_create_orphan_account(c, "demo-app", "robot", NULL, &orphan, &err) ==
          EIAM_STATUS_OK);
    CHECK(basic && named && orphan && strcmp(basic, named) != 0 && strcmp(basic, orphan) != 0);
    if (!basic || !named || !orphan) {
        eiam_client_free(c);
        return;
    }

    eiam_account a = {0};
    CHECK(eiam_get_account(c, "demo-app", basic, &a, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(a.account_type, "BASIC_ACCOUNT") && STREQ(a.account_name, "zhangsan"));
    /* Absent fields are NULL, the extension an empty object. */
    CHECK(a.name == NULL && a.org_id == NULL && STREQ(a.extension, "{}") && !a.disabled);
    CHECK(eiam_get_account(c, "demo-app", named, &a, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(a.account_name, "zs2") && STREQ(a.name, "Zhang San") && a.org_id == NULL);
    CHECK(eiam_get_account(c, "demo-app", orphan, &a, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(a.account_type, "ORPHAN_ACCOUNT") && STREQ(a.account_name, "robot"));
    CHECK(a.name == NULL && a.org_id == NULL);
    eiam_account_clear(&a);

    /* By type, and every type for NULL and "". */
    eiam_account_page page = {0};
    CHECK(eiam_list_accounts(c, "demo-app", "ORPHAN_ACCOUNT", 0, 10, &page, &err) ==
          EIAM_STATUS_OK);
    CHECK(page.len == 1 && page.total == 1 && page.items && STREQ(page.items[0].id, orphan));
    CHECK(eiam_list_accounts(c, "demo-app", "BASIC_ACCOUNT", 0, 10, &page, &err) ==
          EIAM_STATUS_OK);
    CHECK(page.len == 2 && page.total == 2);
    CHECK(eiam_list_accounts(c, "demo-app", NULL, 0, 10, &page, &err) == EIAM_STATUS_OK);
    CHECK(page.len == 5 && page.total == 5); /* pub-1, pub-2 and the three above */
    CHECK(eiam_list_accounts(c, "demo-app", "", 0, 10, &page, &err) == EIAM_STATUS_OK);
    CHECK(page.len == 5 && page.total == 5);
    if (page.len == 5) CHECK(STREQ(page.items[0].id, "pub-1") && STREQ(page.items[4].id, orphan));
    eiam_account_page_clear(&page);
    eiam_string_free(basic);
    eiam_string_free(named);
    eiam_string_free(orphan);
    eiam_client_free(c);
}

/* ---- every documented error code, normalized --------------------------- */

static void test_documented_error_codes(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    char *const untouched = (char *)"untouched";
    char *id = untouched;
    eiam_account_fields bad_org = {0};
    bad_org.org_code = "no-such-org";
    const char *const zhangsan[] = {"zhangsan"};
    const char *const nobody[] = {"nobody"};
    eiam_account account = {0};
    eiam_account_user_page users = {0};

    check_failure(eiam_create_public_account(c, "no-such-app", "x", NULL, &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.0001", NULL);
    check_failure(eiam_create_orphan_account(c, "no-such-app", "x", NULL, &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.0001", NULL);
    check_failure(eiam_create_public_account(c, "demo-app", "x", &bad_org, &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ORG.0024", NULL);
    check_failure(eiam_create_orphan_account(c, "demo-app", "x", &bad_org, &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ORG.0024", NULL);
    check_failure(eiam_create_basic_account(c, "demo-app", "no-such-user", NULL, NULL, &id, &err),
                  &err, EIAM_STATUS_API_ERROR, 400, "USER.0001", NULL);
    check_failure(eiam_add_public_account_users(c, "demo-app", "pub-1", nobody, 1, &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "USER.0001", NULL);
    /* The mock sends " APP.ACCOUNT. 0028" on get, with an inner space. */
    check_failure(eiam_get_account(c, "demo-app", "missing", &account, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    check_account_is_zeroed(&account);
    check_failure(eiam_update_account(c, "demo-app", "missing", "n", NULL, &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    check_failure(eiam_disable_account(c, "demo-app", "missing", &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    check_failure(eiam_enable_account(c, "demo-app", "missing", &id, &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    check_failure(eiam_delete_account(c, "demo-app", "missing", &err), &err,
                  EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    check_failure(eiam_add_public_account_users(c, "demo-app", "missing", zhangsan, 1, &id, &err),
                  &err, EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0038", NULL);
    check_failure(eiam_remove_public_account_users(c, "demo-app", "missing", zhangsan, 1, &id, &err),
                  &err, EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0038", NULL);
    check_failure(eiam_list_public_account_users(c, "demo-app", "missing", 0, 10, &users, &err),
                  &err, EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0038", NULL);
    CHECK(users.len == 0 && users.items == NULL);
    CHECK(id == untouched); /* written only on success */
    long sent = api_requests();
    CHECK(sent == 14);

    /* Caught before the wire, with the service's own codes. */
    eiam_account_page page = {0};
    eiam_account_pager *pager = NULL;
    check_failure(eiam_list_accounts(c, "demo-app", "PRIVATE_ACCOUNT", 0, 10, &page, &err), &err,
                  EIAM_STATUS_INVALID_ARGUMENT, 0, "APP.ACCOUNT.0045", "account_type");
    check_failure(eiam_account_pager_new(c, "demo-app", "basic_account", 10, &pager, &err), &err,
                  EIAM_STATUS_INVALID_ARGUMENT, 0, "APP.ACCOUNT.0045", "account_type");
    CHECK(pager == NULL);
    const uint32_t bad_sizes[] = {0, EIAM_MIN_PAGE_SIZE - 1, EIAM_MAX_PAGE_SIZE + 1};
    for (size_t i = 0; i < 3; i++) {
        check_failure(eiam_list_accounts(c, "paging-app", NULL, 0, bad_sizes[i], &page, &err),
                      &err, EIAM_STATUS_INVALID_ARGUMENT, 0, "OAP.PAGE.0002", "page_size");
        check_failure(
            eiam_list_public_account_users(c, "demo-app", "pub-1", 0, bad_sizes[i], &users, &err),
            &err, EIAM_STATUS_INVALID_ARGUMENT, 0, "OAP.PAGE.0002", "page_size");
        /* A pager sends nothing until asked; then it fails once and ends. */
        pager = NULL;
        CHECK(eiam_account_pager_new(c, "paging-app", NULL, bad_sizes[i], &pager, &err) ==
              EIAM_STATUS_OK);
        check_failure(eiam_account_pager_next(pager, &page, &err), &err,
                      EIAM_STATUS_INVALID_ARGUMENT, 0, "OAP.PAGE.0002", "page_size");
        CHECK(eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK && page.len == 0);
        eiam_account_pager_free(pager);
        eiam_account_user_pager *upager = NULL;
        CHECK(eiam_account_user_pager_new(c, "demo-app", "pub-1", bad_sizes[i], &upager, &err) ==
              EIAM_STATUS_OK);
        check_failure(eiam_account_user_pager_next(upager, &users, &err), &err,
                      EIAM_STATUS_INVALID_ARGUMENT, 0, "OAP.PAGE.0002", "page_size");
        eiam_account_user_pager_free(upager);
    }
    CHECK(api_requests() == sent);
    /* The bounds themselves are accepted. */
    CHECK(eiam_list_accounts(c, "paging-app", NULL, 0, EIAM_MIN_PAGE_SIZE, &page, &err) ==
          EIAM_STATUS_OK);
    CHECK(page.len == EIAM_MIN_PAGE_SIZE);
    CHECK(eiam_list_accounts(c, "paging-app", NULL, 0, EIAM_MAX_PAGE_SIZE, &page, &err) ==
          EIAM_STATUS_OK);
    CHECK(page.len == EIAM_MAX_PAGE_SIZE);
    eiam_account_page_clear(&page);
    eiam_client_free(c);
}

/* ---- paging ----------------------------------------------------------- */

/* paging-app's ids are acct-001 ... acct-250: marks one seen, and says
 * whether it is one of them, seen for the first time. */
static int first_sight(const char *id, unsigned char seen[251]) {
    int n = 0;
    if (!id || sscanf(id, "acct-%d", &n) != 1 || n < 1 || n > 250 || seen[n]) return 0;
    seen[n] = 1;
    return 1;
}

static void test_paging(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    /* Page by page, into one reused page struct. */
    eiam_account_page page = {0};
    const size_t want_len[] = {100, 100, 50, 0};
    for (uint32_t p = 0; p < 4; p++) {
        CHECK(eiam_list_accounts(c, "paging-app", NULL, p, 100, &page, &err) == EIAM_STATUS_OK);
        CHECK(page.len == want_len[p] && page.total == 250 && page.page == p);
        CHECK((page.items == NULL) == (page.len == 0));
    }
    eiam_account_page_clear(&page);
    CHECK(api_requests() == 4);

    /* Through the pager: 250 items, no duplicates, 3 requests. */
    long before = api_requests();
    eiam_account_pager *pager = NULL;
    CHECK(eiam_account_pager_new(c, "paging-app", NULL, EIAM_DEFAULT_PAGE_SIZE, &pager, &err) ==
          EIAM_STATUS_OK);
    unsigned char seen[251] = {0};
    size_t items = 0, unique = 0, pages = 0;
    for (;;) {
        eiam_status st = eiam_account_pager_next(pager, &page, &err);
        CHECK(st == EIAM_STATUS_OK);
        if (st != EIAM_STATUS_OK || page.len == 0 || pages > 10) break;
        CHECK(page.page == pages && page.total == 250);
        pages++;
        for (size_t i = 0; i < page.len; i++) {
            items++;
            unique += (size_t)first_sight(page.items[i].id, seen);
        }
    }
    CHECK(pages == 3 && items == 250 && unique == 250);
    CHECK(page.len == 0 && page.items == NULL);
    CHECK(api_requests() - before == 3);
    /* After the end it stays ended, sending nothing. */
    CHECK(eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK && page.len == 0);
    CHECK(api_requests() - before == 3);
    eiam_account_pager_free(pager);

    /* By type: every account once. */
    const char *const types[] = {"PUBLIC_ACCOUNT", "BASIC_ACCOUNT", "ORPHAN_ACCOUNT"};
    const size_t per_type[] = {83, 84, 83};
    for (int t = 0; t < 3; t++) {
        pager = NULL;
        CHECK(eiam_account_pager_new(c, "paging-app", types[t], 10, &pager, &err) == EIAM_STATUS_OK);
        size_t n = 0;
        while (eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK && page.len > 0) {
            for (size_t i = 0; i < page.len; i++) CHECK(STREQ(page.items[i].account_type, types[t]));
            n += page.len;
        }
        CHECK(n == per_type[t]);
        eiam_account_pager_free(pager);
    }

    /* Freed half-way, its page still filled: nothing leaks (valgrind and
     * LeakSanitizer say so), and the page outlives the pager. */
    pager = NULL;
    CHECK(eiam_account_pager_new(c, "paging-app", NULL, 100, &pager, &err) == EIAM_STATUS_OK);
    CHECK(eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK && page.len == 100);
    eiam_account_pager_free(pager);
    CHECK(page.len == 100 && STREQ(page.items[99].id, "acct-100"));
    eiam_account_page_clear(&page);
    eiam_account_user_pager *upager = NULL;
    eiam_account_user_page users = {0};
    CHECK(eiam_account_user_pager_new(c, "demo-app", "pub-1", 10, &upager, &err) == EIAM_STATUS_OK);
    CHECK(eiam_account_user_pager_next(upager, &users, &err) == EIAM_STATUS_OK && users.len == 2);
    eiam_account_user_pager_free(upager);
    eiam_account_user_page_clear(&users);
    eiam_client_free(c);
}

/* A server that ignores the page number and answers every page alike. */
static void test_repeated_page(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    char accounts[2048] = "{\"total\":30,\"accounts\":[";
    char users_body[2048] = "{\"total\":30,\"associated_users\":[";
    for (int i = 0; i < 10; i++) {
        char item[160];
        snprintf(item, sizeof item, "%s{\"id\":\"r%d\",\"account_name\":\"r%d\","
                 "\"account_type\":\"ORPHAN_ACCOUNT\",\"disabled\":false,\"extension\":{}}",
                 i ? "," : "", i, i);
        strcat(accounts, item);
        snprintf(item, sizeof item, "%s{\"id\":\"u%d\",\"userName\":\"u%d\",\"disabled\":false}",
                 i ? "," : "", i, i);
        strcat(users_body, item);
    }
    strcat(accounts, "]}");
    strcat(users_body, "]}");

    inject_answer(5, 200, "application/json", accounts);
    long before = api_requests();
    eiam_account_pager *pager = NULL;
    eiam_account_page page = {0};
    CHECK(eiam_account_pager_new(c, "paging-app", NULL, 10, &pager, &err) == EIAM_STATUS_OK);
    CHECK(eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK);
    CHECK(page.len == 10 && page.total == 30 && STREQ(page.items[0].id, "r0"));
    /* The second page is the first again: an error, and the filled page
     * passed in is cleared. */
    check_failure(eiam_account_pager_next(pager, &page, &err), &err, EIAM_STATUS_PROTOCOL_ERROR, 0,
                  NULL, "same");
    CHECK(page.len == 0 && page.items == NULL);
    CHECK(eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK);
    CHECK(page.len == 0 && page.items == NULL && err.status == EIAM_STATUS_OK);
    CHECK(api_requests() - before == 2);
    eiam_account_pager_free(pager);
    clear_faults();

    inject_answer(5, 200, "application/json", users_body);
    before = api_requests();
    eiam_account_user_pager *upager = NULL;
    eiam_account_user_page users = {0};
    CHECK(eiam_account_user_pager_new(c, "demo-app", "pub-1", 10, &upager, &err) == EIAM_STATUS_OK);
    CHECK(eiam_account_user_pager_next(upager, &users, &err) == EIAM_STATUS_OK && users.len == 10);
    check_failure(eiam_account_user_pager_next(upager, &users, &err), &err,
                  EIAM_STATUS_PROTOCOL_ERROR, 0, NULL, "same");
    CHECK(users.len == 0 && users.items == NULL);
    CHECK(eiam_account_user_pager_next(upager, &users, &err) == EIAM_STATUS_OK && users.len == 0);
    CHECK(api_requests() - before == 2);
    eiam_account_user_pager_free(upager);
    clear_faults();
    eiam_client_free(c);
}

/* ---- retries that follow idempotence ---------------------------------- */

static void test_create_and_delete_after_lost_answers(void) {
    reset_mock();
    eiam_client *c = make_client(2);
    eiam_error err = {0};
    /* The create arrives, its answer is cut half-way: not sent again. */
    long count = account_count("demo-app");
    inject(1, "\"action\":\"normal\",\"cut\":\"mid_body\",\"ending\":\"reset\"");
    char *const untouched = (char *)"untouched";
    char *id = untouched;
    eiam_status st = eiam_create_orphan_account(c, "demo-app", "once", NULL, &id, &err);
    CHECK(st == EIAM_STATUS_TRANSPORT_ERROR || st == EIAM_STATUS_PROTOCOL_ERROR);
    CHECK(err.status == st && err.message != NULL);
    eiam_error_clear(&err);
    CHECK(id == untouched);
    CHECK(api_requests() == 1);
    CHECK(account_count("demo-app") == count + 1);

    /* The delete arrives and deletes, its answer is lost: the retry finds
     * no such account, which is success. */
    inject(1, "\"action\":\"normal\",\"cut\":\"before_status_line\"");
    CHECK(eiam_delete_account(c, "demo-app", "pub-2", &err) == EIAM_STATUS_OK);
    CHECK(err.status == EIAM_STATUS_OK && err.message == NULL);
    CHECK(api_requests() == 3);
    char body[256];
    admin_get("account", "demo-app", "pub-2", body, sizeof body);
    CHECK(STREQ(body, "{\"account\":null}"));
    CHECK(account_count("demo-app") == count);
    eiam_client_free(c);
}

/* ---- eiam_request ------------------------------------------------------ */

#define ACCOUNTS_PATH "/api/v2/tenant/applications/demo-app/accounts"

static void test_raw_request(void) {
    reset_mock();
    eiam_client *c = make_client(2);
    eiam_error err = {0};
    char *json = NULL;
    CHECK(eiam_request(c, "GET", ACCOUNTS_PATH "/pub-1", NULL, 0, NULL, EIAM_BOOL_UNSET, &json,
                       &err) == EIAM_STATUS_OK);
    CHECK(json && strstr(json, "\"id\":\"pub-1\"") && strstr(json, "\"account_type\":\"PUBLIC_ACCOUNT\""));
    eiam_string_free(json);

    /* Query pairs are encoded and sent; method names in any case. */
    const eiam_query_param query[] = {{"offset", "1"}, {"limit", "10"}};
    json = NULL;
    CHECK(eiam_request(c, "get", "/api/v2/tenant/applications/paging-app/accounts", query, 2, NULL,
                       EIAM_BOOL_UNSET, &json, &err) == EIAM_STATUS_OK);
    CHECK(json && strstr(json, "\"total\":250") && strstr(json, "\"acct-011\"") &&
          !strstr(json, "\"acct-010\"") && !strstr(json, "\"acct-021\""));
    eiam_string_free(json);

    /* A create through it. */
    json = NULL;
    CHECK(eiam_request(c, "POST", ACCOUNTS_PATH "/orphan-account", NULL, 0,
                       "{\"account_name\":\"raw\"}", EIAM_BOOL_UNSET, &json, &err) ==
          EIAM_STATUS_OK);
    char id[128] = "";
    const char *at = json ? strstr(json, "\"account_id\":\"") : NULL;
    CHECK(at != NULL);
    if (at) sscanf(at + strlen("\"account_id\":\""), "%127[^\"]", id);
    eiam_string_free(json);
    eiam_account account = {0};
    CHECK(eiam_get_account(c, "demo-app", id, &account, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(account.account_name, "raw") && STREQ(account.account_type, "ORPHAN_ACCOUNT"));
    eiam_account_clear(&account);

    /* A 204 has no body: *out_json is NULL. */
    char path[256];
    snprintf(path, sizeof path, ACCOUNTS_PATH "/%s", id);
    json = (char *)"untouched";
    CHECK(eiam_request(c, "DELETE", path, NULL, 0, NULL, EIAM_BOOL_UNSET, &json, &err) ==
          EIAM_STATUS_OK);
    CHECK(json == NULL);
    char body[256];
    admin_get("account", "demo-app", id, body, sizeof body);
    CHECK(STREQ(body, "{\"account\":null}"));

    /* Errors are the typed calls' errors. */
    char *const untouched = (char *)"untouched";
    json = untouched;
    check_failure(eiam_request(c, "GET", ACCOUNTS_PATH "/gone", NULL, 0, NULL, EIAM_BOOL_UNSET,
                               &json, &err),
                  &err, EIAM_STATUS_API_ERROR, 400, "APP.ACCOUNT.0028", NULL);
    CHECK(json == untouched);

    /* Refused before the wire. */
    long sent = api_requests();
    check_failure(eiam_request(c, "GET", "/__mock/stats", NULL, 0, NULL, EIAM_BOOL_UNSET, &json, &err),
                  &err, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "path");
    check_failure(eiam_request(c, "GET", "/api/../token", NULL, 0, NULL, EIAM_BOOL_UNSET, &json, &err),
                  &err, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "path");
    check_failure(eiam_request(c, "GET", ACCOUNTS_PATH "?offset=0", NULL, 0, NULL, EIAM_BOOL_UNSET,
                               &json, &err),
                  &err, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "path");
    check_failure(eiam_request(c, "FETCH", ACCOUNTS_PATH, NULL, 0, NULL, EIAM_BOOL_UNSET, &json, &err),
                  &err, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "method");
    check_failure(eiam_request(c, "GET", ACCOUNTS_PATH, NULL, 0, NULL, 7, &json, &err), &err,
                  EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "idempotent");
    check_failure(eiam_request(c, "POST", ACCOUNTS_PATH "/orphan-account", NULL, 0, "{not json",
                               EIAM_BOOL_UNSET, &json, &err),
                  &err, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "json_body");
    CHECK(json == untouched);
    CHECK(api_requests() == sent);

    /* idempotent: a POST whose answer is lost is sent again only when the
     * caller says it may be. */
    const char *bind = ACCOUNTS_PATH "/public-account/pub-1/users/bind";
    const char *lisi = "{\"user_names\":[\"lisi\"]}";
    const int modes[] = {EIAM_BOOL_UNSET, EIAM_BOOL_FALSE, EIAM_BOOL_TRUE};
    const long want_sent[] = {1, 1, 2};
    for (int m = 0; m < 3; m++) {
        sent = api_requests();
        inject(1, "\"action\":\"normal\",\"cut\":\"before_status_line\"");
        json = NULL;
        eiam_status st = eiam_request(c, "POST", bind, NULL, 0, lisi, modes[m], &json, &err);
        CHECK((st == EIAM_STATUS_OK) == (modes[m] == EIAM_BOOL_TRUE));
        CHECK(api_requests() - sent == want_sent[m]);
        if (st == EIAM_STATUS_OK) CHECK(json && strstr(json, "\"account_id\":\"pub-1\""));
        eiam_string_free(json);
        eiam_error_clear(&err);
    }
    /* ... and a PUT is retried unless the caller says it is not. */
    const char *disable = ACCOUNTS_PATH "/pub-2/disable";
    const long want_put[] = {2, 1, 2};
    for (int m = 0; m < 3; m++) {
        sent = api_requests();
        inject(1, "\"action\":\"normal\",\"cut\":\"before_status_line\"");
        json = NULL;
        eiam_status st = eiam_request(c, "PUT", disable, NULL, 0, NULL, modes[m], &json, &err);
        CHECK((st == EIAM_STATUS_OK) == (modes[m] != EIAM_BOOL_FALSE));
        CHECK(api_requests() - sent == want_put[m]);
        eiam_string_free(json);
        eiam_error_clear(&err);
    }
    eiam_client_free(c);
}

/* ---- the password ---------------------------------------------------- */

static void check_no_password(eiam_error *err) {
    CHECK(err->status != EIAM_STATUS_OK);
    CHECK(err->message != NULL && strstr(err->message, "hunter2") == NULL);
    char *text = NULL;
    CHECK(eiam_error_to_string(err, &text, NULL) == EIAM_STATUS_OK);
    CHECK(text != NULL && strstr(text, "hunter2") == NULL);
    if (err->message && strstr(err->message, "hunter2"))
        fprintf(stderr, "  the message shows the password: %s\n", err->message);
    eiam_string_free(text);
}

static void test_password_never_shows(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    eiam_account_fields f = {0};
    f.password = PASSWORD;
    char *id = NULL;
    CHECK(eiam_create_public_account(c, "demo-app", "pw", &f, &id, &err) == EIAM_STATUS_OK);
    CHECK(id && password_is("demo-app", id, PASSWORD));

    /* Error bodies that echo it. */
    inject_answer(1, 400, "application/json",
                  "{\"error_code\":\" APP.0001\",\"error_msg\":\"bad password " PASSWORD "\"}");
    char *other = NULL;
    CHECK(eiam_create_public_account(c, "demo-app", "pw2", &f, &other, &err) ==
          EIAM_STATUS_API_ERROR);
    CHECK(STREQ(err.code, "APP.0001"));
    check_no_password(&err);
    inject_answer(1, 500, "text/html", "<html>" PASSWORD "</html>");
    CHECK(eiam_update_account(c, "demo-app", id ? id : "pub-1", "pw", &f, &other, &err) ==
          EIAM_STATUS_PROTOCOL_ERROR);
    CHECK(err.http_status == 500);
    check_no_password(&err);
    inject_answer(1, 400, "application/json",
                  "{\"error_code\":\" APP.0001\",\"error_msg\":\"" PASSWORD "\"}");
    CHECK(eiam_create_basic_account(c, "demo-app", ZHANGSAN_ID, NULL, &f, &other, &err) ==
          EIAM_STATUS_API_ERROR);
    check_no_password(&err);
    /* Through eiam_request: the body's "password" values are hidden too. */
    inject_answer(1, 400, "application/json",
                  "{\"error_code\":\" APP.0001\",\"error_msg\":\"echo " PASSWORD "\"}");
    CHECK(eiam_request(c, "POST", ACCOUNTS_PATH "/orphan-account", NULL, 0,
                       "{\"account_name\":\"x\",\"password\":\"" PASSWORD "\"}", EIAM_BOOL_UNSET,
                       &other, &err) == EIAM_STATUS_API_ERROR);
    check_no_password(&err);
    CHECK(other == NULL);
    eiam_error_clear(&err);
    eiam_string_free(id);
    eiam_client_free(c);
}

/* ---- structs reused, clears and frees ----------------------------------- */

static void test_filled_structs_are_cleared_first(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    eiam_account a = {0};
    CHECK(eiam_get_account(c, "demo-app", "pub-1", &a, &err) == EIAM_STATUS_OK);
    CHECK(eiam_get_account(c, "demo-app", "pub-2", &a, &err) == EIAM_STATUS_OK);
    CHECK(STREQ(a.id, "pub-2"));
    eiam_account_clear(&a);
    check_account_is_zeroed(&a);

    eiam_account_page page = {0};
    CHECK(eiam_list_accounts(c, "paging-app", NULL, 0, 10, &page, &err) == EIAM_STATUS_OK);
    CHECK(eiam_list_accounts(c, "paging-app", NULL, 1, 10, &page, &err) == EIAM_STATUS_OK);
    CHECK(page.len == 10 && STREQ(page.items[0].id, "acct-011"));
    /* A failed list into a filled page leaves it cleared. */
    eiam_status st = eiam_list_accounts(c, "no-such-app", NULL, 0, 10, &page, &err);
    CHECK(st != EIAM_STATUS_OK);
    CHECK(page.len == 0 && page.items == NULL && page.total == 0 && page.page == 0);
    eiam_error_clear(&err);
    eiam_account_page_clear(&page);

    eiam_account_user_page users = {0};
    CHECK(eiam_list_public_account_users(c, "demo-app", "pub-1", 0, 10, &users, &err) ==
          EIAM_STATUS_OK);
    CHECK(eiam_list_public_account_users(c, "demo-app", "pub-1", 0, 10, &users, &err) ==
          EIAM_STATUS_OK);
    CHECK(users.len == 2);
    eiam_account_user_page_clear(&users);
    eiam_client_free(c);
}

static void test_clear_and_free_are_null_safe_and_idempotent(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_account_clear(NULL);
    eiam_account_page_clear(NULL);
    eiam_account_user_page_clear(NULL);
    eiam_account_pager_free(NULL);
    eiam_account_user_pager_free(NULL);
    eiam_account a = {0};
    eiam_account_clear(&a);
    eiam_account_clear(&a);
    check_account_is_zeroed(&a);
    CHECK(eiam_get_account(c, "demo-app", "pub-1", &a, NULL) == EIAM_STATUS_OK);
    eiam_account_clear(&a);
    eiam_account_clear(&a);
    check_account_is_zeroed(&a);
    eiam_account_page page = {0};
    eiam_account_page_clear(&page);
    CHECK(eiam_list_accounts(c, "paging-app", NULL, 0, 10, &page, NULL) == EIAM_STATUS_OK);
    eiam_account_page_clear(&page);
    eiam_account_page_clear(&page);
    CHECK(page.items == NULL && page.len == 0 && page.total == 0 && page.page == 0);
    eiam_account_user_page users = {0};
    eiam_account_user_page_clear(&users);
    CHECK(eiam_list_public_account_users(c, "demo-app", "pub-1", 0, 10, &users, NULL) ==
          EIAM_STATUS_OK);
    eiam_account_user_page_clear(&users);
    eiam_account_user_page_clear(&users);
    CHECK(users.items == NULL && users.len == 0 && users.total == 0 && users.page == 0);
    eiam_client_free(c);
}

/* ---- bad fields ------------------------------------------------------- */

static void test_bad_fields(void) {
    reset_mock();
    eiam_client *c = make_client(0);
    eiam_error err = {0};
    char *const untouched = (char *)"untouched";
    char *id = untouched;
    long sent = api_requests();
    long count = account_count("demo-app");
    eiam_account_fields f = {0};
    f.disabled = 7;
    check_failure(eiam_create_public_account(c, "demo-app", "x", &f, &id, &err), &err,
                  EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "fields->disabled");
    check_failure(eiam_update_account(c, "demo-app", "pub-1", "x", &f, &id, &err), &err,
                  EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "fields->disabled");
    f.disabled = -1;
    check_failure(eiam_create_orphan_account(c, "demo-app", "x", &f, &id, &err), &err,
                  EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "fields->disabled");
    f.disabled = EIAM_BOOL_UNSET;
    const char *const not_objects[] = {"[1,2]", "\"text\"", "42", "null", "{\"a\":", "", "{} {}"};
    for (size_t i = 0; i < sizeof not_objects / sizeof not_objects[0]; i++) {
        f.extension = not_objects[i];
        snprintf(check_context, sizeof check_context, "extension %s", not_objects[i]);
        check_failure(eiam_create_basic_account(c, "demo-app", ZHANGSAN_ID, NULL, &f, &id, &err),
                      &err, EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "fields->extension");
        check_failure(eiam_update_account(c, "demo-app", "pub-1", "pub-1", &f, &id, &err), &err,
                      EIAM_STATUS_INVALID_ARGUMENT, 0, NULL, "fields->extension");
    }
    check_context[0] = '\0';
    CHECK(id == untouched);
    CHECK(api_requests() == sent);
    CHECK(account_count("demo-app") == count);
    eiam_client_free(c);
}

int main(void) {
    read_mock_env();
    test_public_account_lifecycle();
    test_basic_and_orphan_accounts();
    test_documented_error_codes();
    test_paging();
    test_repeated_page();
    test_create_and_delete_after_lost_answers();
    test_raw_request();
    test_password_never_shows();
    test_filled_structs_are_cleared_first();
    test_clear_and_free_are_null_safe_and_idempotent();
    test_bad_fields();
    printf("accounts: %d passed, %d failed\n", check_passed, check_failed);
    return check_exit_status();
}

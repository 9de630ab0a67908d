/* The eiam quickstart in C: bind a public account's owner, then query it.
 *
 *   EIAM_BASE_URL=https://acme.idaas.example.com \
 *   EIAM_CLIENT_ID=... EIAM_CLIENT_SECRET=... ./quickstart
 *
 * scripts/quickstart.sh builds it and runs it against the embedded mock. */
#include <stdio.h>
#include <stdlib.h>

#include "eiam.h"

static int fail(const char *what, eiam_error *err) {
    fprintf(stderr, "%s failed: status %d, HTTP %u, code %s: %s\n", what, (int)err->status,
            (unsigned)err->http_status, err->code ? err->code : "-", err->message);
    eiam_error_clear(err);
    return 1;
}

int main(void) {
    const char *base_url = getenv("EIAM_BASE_URL");
    const char *client_id = getenv("EIAM_CLIENT_ID");
    const char *client_secret = getenv("EIAM_CLIENT_SECRET");
    if (!base_url || !client_id || !client_secret) {
        fprintf(stderr, "set EIAM_BASE_URL, EIAM_CLIENT_ID and EIAM_CLIENT_SECRET\n");
        return 2;
    }
    printf("eiam %s, tenant %s\n", eiam_version(), base_url);

    eiam_error err = {0}; /* always start zeroed */
    eiam_config *cfg = eiam_config_new();
    if (eiam_config_set_base_url(cfg, base_url, &err) != EIAM_STATUS_OK ||
        eiam_config_set_client_credentials(cfg, client_id, client_secret, &err) !=
            EIAM_STATUS_OK) {
        eiam_config_free(cfg);
        return fail("configuration", &err);
    }
    eiam_client *client = NULL;
    eiam_status st = eiam_client_new(cfg, &client, &err);
    eiam_config_free(cfg); /* the client keeps its own copy */
    if (st != EIAM_STATUS_OK) return fail("eiam_client_new", &err);

    char *account_id = NULL;
    if (eiam_bind_public_account_owner(client, "demo-app", "pub-2", "cq04130006", &account_id,
                                       &err) != EIAM_STATUS_OK) {
        eiam_client_free(client);
        return fail("bind", &err);
    }
    printf("bound cq04130006 as owner of demo-app/pub-2: account_id %s\n", account_id);
    eiam_string_free(account_id); /* never free() */

    eiam_owner owner = {0};
    if (eiam_get_public_account_owner(client, "demo-app", "pub-2", &owner, &err) !=
        EIAM_STATUS_OK) {
        eiam_client_free(client);
        return fail("query", &err);
    }
    printf("owner of demo-app/pub-2: %s (user_id %s, disabled %s)\n", owner.user_name,
           owner.user_id, owner.disabled ? "yes" : "no");
    eiam_owner_clear(&owner);

    /* Errors are typed: an unknown application is an API error with the
     * service's code. */
    if (eiam_get_public_account_owner(client, "no-such-app", "pub-1", &owner, &err) ==
        EIAM_STATUS_API_ERROR)
        printf("unknown application -> API error %s (HTTP %u): %s\n", err.code,
               (unsigned)err.http_status, err.message);
    eiam_error_clear(&err);

    eiam_client_free(client);
    printf("quickstart: OK\n");
    return 0;
}

/* A program that knows eiam only through an install prefix: built once with
 * pkg-config and once with CMake's find_package(eiam). It queries the mock
 * named by EIAM_MOCK_URL and prints the owner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eiam.h>

int main(void) {
    const char *url = getenv("EIAM_MOCK_URL");
    if (!url) return 2;
    eiam_error err = {0};
    eiam_config *cfg = eiam_config_new();
    eiam_config_set_base_url(cfg, url, &err);
    eiam_config_set_client_credentials(cfg, getenv("EIAM_MOCK_CLIENT_ID"),
                                       getenv("EIAM_MOCK_CLIENT_SECRET"), &err);
    eiam_client *client = NULL;
    eiam_status st = eiam_client_new(cfg, &client, &err);
    eiam_config_free(cfg);
    if (st != EIAM_STATUS_OK) return 1;
    eiam_owner owner = {0};
    st = eiam_get_public_account_owner(client, "demo-app", "pub-1", &owner, &err);
    int ok = st == EIAM_STATUS_OK && strcmp(owner.user_name, "zhangsan") == 0;
    printf("consumer (eiam %s): owner %s\n", eiam_version(), ok ? owner.user_name : "?");
    eiam_owner_clear(&owner);
    eiam_error_clear(&err);
    eiam_client_free(client);
    return ok ? 0 : 1;
}

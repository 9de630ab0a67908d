/* The smallest eiam program: links to libeiam, builds a configuration and
 * a client (nothing is sent), and prints the library's version. The
 * README's build and link lines are tested with it (scripts/readme-c.sh). */
#include <stdio.h>

#include "eiam.h"

int main(void) {
    eiam_error err = {0};
    eiam_config *cfg = eiam_config_new();
    eiam_config_set_base_url(cfg, "https://acme.idaas.example.com", &err);
    eiam_config_set_client_credentials(cfg, "my-client-id", "my-client-secret", &err);
    eiam_client *client = NULL;
    eiam_status status = eiam_client_new(cfg, &client, &err);
    eiam_config_free(cfg);
    if (status != EIAM_STATUS_OK) {
        fprintf(stderr, "%s error: %s\n", eiam_status_name(status), err.message);
        eiam_error_clear(&err);
        return 1;
    }
    printf("eiam %s: client ready\n", eiam_version());
    eiam_client_free(client);
    return 0;
}

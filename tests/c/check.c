#include "check.h"

#include <stdlib.h>

#include "mock_admin.h"

int check_passed, check_failed;
char check_context[160];
const char *mock_url, *client_id, *client_secret;

static const char *env_or_die(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "%s is not set: run this through scripts/c-tests.sh\n", name);
        exit(2);
    }
    return v;
}

void read_mock_env(void) {
    mock_url = env_or_die("EIAM_MOCK_URL");
    client_id = env_or_die("EIAM_MOCK_CLIENT_ID");
    client_secret = env_or_die("EIAM_MOCK_CLIENT_SECRET");
}

void reset_mock(void) { CHECK(mock_admin(mock_url, "POST", "/__mock/reset", NULL, NULL, 0) == 200); }

int check_exit_status(void) { return check_failed == 0 && check_passed > 0 ? 0 : 1; }

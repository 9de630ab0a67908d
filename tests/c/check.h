/* What every C test program shares: the CHECK counters, string
 * comparison, and the mock's address and credentials from the environment
 * that scripts/c-tests.sh sets. Link check.c and mock_admin.c with it. */
#ifndef EIAM_TEST_CHECK_H
#define EIAM_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

/* How many checks passed and failed so far. */
extern int check_passed, check_failed;
/* The case being run, printed with every failed check ("" for none). */
extern char check_context[160];

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            check_passed++;                                                           \
        } else {                                                                      \
            check_failed++;                                                           \
            fprintf(stderr, "%s:%d: %s%s%sCHECK failed: %s\n", __FILE__, __LINE__,    \
                    check_context[0] ? "[" : "", check_context,                       \
                    check_context[0] ? "] " : "", #cond);                             \
        }                                                                             \
    } while (0)

/* Both non-NULL and equal. */
#define STREQ(a, b) ((a) != NULL && (b) != NULL && strcmp((a), (b)) == 0)

/* EIAM_MOCK_URL, EIAM_MOCK_CLIENT_ID and EIAM_MOCK_CLIENT_SECRET, set by
 * read_mock_env(). */
extern const char *mock_url, *client_id, *client_secret;

/* Reads the three variables above, or exits with status 2 saying that the
 * program runs through scripts/c-tests.sh. */
void read_mock_env(void);

/* Resets the mock's state, faults and counters (a CHECKed 200). */
void reset_mock(void);

/* The exit status of a test program: 0 when something passed and nothing
 * failed. */
int check_exit_status(void);

#endif

/* Preloaded (LD_PRELOAD) into the program the callgrind gate counts, and
 * into nothing else, so that every run executes the same instructions:
 *
 * - getrandom: std keys its hash maps with random bytes (serde_json keeps
 *   an object's keys in an IndexMap with std's RandomState), and how many
 *   slots an insert probes depends on the keys: the same bytes every run.
 * - clock_gettime: ureq picks the nearest of its timeouts by comparing
 *   instants, and which branch that takes depends on the clock's digits:
 *   a clock that starts at the same time every run and advances 1 µs per
 *   reading. No call the gate makes waits for the clock to pass a time.
 */
#include <string.h>
#include <sys/types.h>
#include <time.h>

ssize_t getrandom(void *buf, size_t len, unsigned int flags) {
    (void)flags;
    memset(buf, 0x5a, len);
    return (ssize_t)len;
}

static unsigned long long readings;

int clock_gettime(clockid_t clock, struct timespec *ts) {
    /* 1,000 s after boot; the wall clock at 2026-01-01 on top. */
    unsigned long long ns = 1000000000ULL * 1000 + __atomic_add_fetch(&readings, 1, __ATOMIC_RELAXED) * 1000;
    if (clock == CLOCK_REALTIME)
        ns += 1767225600ULL * 1000000000ULL;
    ts->tv_sec = (time_t)(ns / 1000000000ULL);
    ts->tv_nsec = (long)(ns % 1000000000ULL);
    return 0;
}

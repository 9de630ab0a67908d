#!/usr/bin/env bash
# The quickstart, end to end on the embedded mock, with nothing to set up:
#  1. `eiam demo`: token, bind, query and a bulk bind, step by step;
#  2. the same bind and query from C: examples/c/quickstart.c compiled
#     against include/eiam.h and libeiam.so, run against the mock;
#  3. the lifecycle walk-through of docs/guides/account-lifecycle.md, run
#     as written with the `eiam` command line (by the docs' snippet runner,
#     against a mock of its own), and what it prints checked.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

build_libeiam
log "building the eiam command line"
cargo build -p eiam-cli
log "eiam demo"
target/debug/eiam demo

mkdir -p target/examples
cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/quickstart.c \
    -Ltarget/debug -Wl,-rpath,"$EIAM_ROOT/target/debug" -leiam -o target/examples/quickstart
start_mock
trap stop_mock EXIT
log "the C quickstart against the mock at $EIAM_MOCK_URL"
EIAM_BASE_URL=$EIAM_MOCK_URL EIAM_CLIENT_ID=$EIAM_MOCK_CLIENT_ID \
    EIAM_CLIENT_SECRET=$EIAM_MOCK_CLIENT_SECRET target/examples/quickstart

log "the lifecycle walk-through of docs/guides/account-lifecycle.md, with the eiam command line"
out=$(python3 scripts/docs-snippets.py --verbose docs/guides/account-lifecycle.md)
printf '%s\n' "$out"
for expected in 'now owns demo-app/' 'added cq04130006, lisi' '"disabled":true' 'deleted account' 'gone (exit 3)'; do
    grep -qF -- "$expected" <<<"$out" || { echo "the walk-through did not print: $expected" >&2; exit 1; }
done
grep -qE '^ *\| *251$' <<<"$out" || { echo "the walk-through did not list 250 accounts" >&2; exit 1; }

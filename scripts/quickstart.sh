#!/usr/bin/env bash
# The quickstart, end to end on the embedded mock, with nothing to set up:
#  1. `eiam demo`: token, bind, query and a bulk bind, step by step;
#  2. the same bind and query from C: examples/c/quickstart.c compiled
#     against include/eiam.h and libeiam.so, run against the mock;
#  3. the README's lifecycle walk-through, run as written with the `eiam`
#     command line against the same mock.
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

log "the README's lifecycle walk-through, with the eiam command line"
block=$(awk '/<!-- lifecycle:/ {found = 1; next} found && /^```sh/ {inside = 1; next} inside && /^```/ {exit} inside' README.md)
[ -n "$block" ] || { echo "no lifecycle block in README.md" >&2; exit 1; }
out=$(PATH="$EIAM_ROOT/target/debug:$PATH" EIAM_BASE_URL=$EIAM_MOCK_URL EIAM_CLIENT_ID=$EIAM_MOCK_CLIENT_ID \
    EIAM_CLIENT_SECRET=$EIAM_MOCK_CLIENT_SECRET bash -euo pipefail -c "$block")
printf '%s\n' "$out"
for expected in 'now owns demo-app/' 'added cq04130006, lisi' '"disabled":true' 'deleted account' 'gone (exit 3)'; do
    grep -qF -- "$expected" <<<"$out" || { echo "the walk-through did not print: $expected" >&2; exit 1; }
done
grep -qx ' *251' <<<"$out" || { echo "the walk-through did not list 250 accounts" >&2; exit 1; }

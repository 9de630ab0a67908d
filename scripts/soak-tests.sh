#!/usr/bin/env bash
# Memory over a long run: 100,000 calls through the C ABI against the mock
# (tests/c/soak_rss.c), resident size after the first 1,000 and after all,
# growth limited to 3 MiB. The Python counterpart is
# python/tests/test_soak.py; the Rust load test is tests/soak.rs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

build_libeiam
out=target/c-tests
mkdir -p "$out"
cc -std=c11 -Wall -Wextra -Werror -O1 -g -Iinclude tests/c/soak_rss.c \
    -Ltarget/debug -Wl,-rpath,"$EIAM_ROOT/target/debug" -leiam -lpthread -o "$out/soak_rss"

start_mock
trap stop_mock EXIT
start=$SECONDS
"$out/soak_rss"
log "100,000 C calls in $((SECONDS - start)) s"

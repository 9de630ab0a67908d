#!/usr/bin/env bash
# The quickstart, end to end on the embedded mock: builds libeiam and the
# mock server, starts the mock, compiles examples/c/quickstart.c against
# include/eiam.h and libeiam.so, and runs it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

build_libeiam
mkdir -p target/examples
cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/quickstart.c \
    -Ltarget/debug -Wl,-rpath,"$EIAM_ROOT/target/debug" -leiam -o target/examples/quickstart

start_mock
trap stop_mock EXIT
log "running the C quickstart against the mock at $EIAM_MOCK_URL"
EIAM_BASE_URL=$EIAM_MOCK_URL EIAM_CLIENT_ID=$EIAM_MOCK_CLIENT_ID \
    EIAM_CLIENT_SECRET=$EIAM_MOCK_CLIENT_SECRET target/examples/quickstart

#!/usr/bin/env bash
# The C++ wrapper (bindings/cpp): built with CMake against an installed
# eiam (make install into target/prefix), GoogleTest run by CTest under
# AddressSanitizer, against the mock (and `openssl s_server` for TLS).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

ensure_debs make cmake g++ libgtest-dev openssl
prefix="$EIAM_ROOT/target/prefix"
build="$EIAM_ROOT/target/cpp-tests"
log "make install PREFIX=$prefix"
make -s install PREFIX="$prefix" PROFILE=debug
build_libeiam
log "building the C++ tests"
cmake -S bindings/cpp -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j 2 >/dev/null

start_mock
trap stop_mock EXIT
log "ctest"
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "$build" --output-on-failure

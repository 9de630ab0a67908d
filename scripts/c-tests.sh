#!/usr/bin/env bash
# Builds the C tests against include/eiam.h and libeiam, starts the mock,
# and runs them four ways: linked to libeiam.so, linked to libeiam.a, under
# valgrind (no leaks, no errors), and with AddressSanitizer + UBSan.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

ensure_debs valgrind gcc libc6-dev
build_libeiam

out=target/c-tests
mkdir -p "$out"
lib=target/debug
cflags=(-std=c11 -Wall -Wextra -Werror -g -Iinclude -Itests/c)
# Each test program is built and run in all four ways.
tests=(test_eiam test_bad_input test_accounts test_async test_bulk_stream call_examples)
# The system libraries a static link of a Rust library needs
# (from `rustc --print native-static-libs`).
static_libs=(-lpthread -ldl -lm -lrt -lutil -lgcc_s -lc)

log "compiling the C tests"
for t in "${tests[@]}"; do
    srcs=("tests/c/$t.c" tests/c/check.c tests/c/mock_admin.c tests/c/completion.c)
    cc "${cflags[@]}" "${srcs[@]}" -L"$lib" -Wl,-rpath,"$EIAM_ROOT/$lib" -leiam -lpthread -o "$out/${t}_shared"
    cc "${cflags[@]}" "${srcs[@]}" "$lib/libeiam.a" "${static_libs[@]}" -o "$out/${t}_static"
    cc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer "${srcs[@]}" \
        -L"$lib" -Wl,-rpath,"$EIAM_ROOT/$lib" -leiam -lpthread -o "$out/${t}_asan"
    if readelf -d "$out/${t}_static" | grep 'libeiam' >/dev/null; then
        echo "${t}_static is dynamically linked to libeiam" >&2
        exit 1
    fi
done

start_mock
trap stop_mock EXIT

for t in "${tests[@]}"; do
    log "C tests ($t), shared library"
    "$out/${t}_shared"
    log "C tests ($t), static library"
    "$out/${t}_static"
    log "C tests ($t), AddressSanitizer + UBSan + LeakSanitizer"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$out/${t}_asan"
    log "C tests ($t), valgrind"
    valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        "$out/${t}_shared"
done

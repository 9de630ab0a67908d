#!/usr/bin/env bash
# Installs the C library into a scratch prefix with `make install`, then
# builds a consumer out of tree from that prefix alone, with pkg-config and
# with CMake (shared and static), and runs each against the mock.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

ensure_debs make cmake pkg-config
prefix="$EIAM_ROOT/target/prefix"
work="$EIAM_ROOT/target/packaging"
rm -rf "$prefix" "$work"
mkdir -p "$work"
log "make install PREFIX=$prefix"
make -s install PREFIX="$prefix" PROFILE=debug
build_libeiam

log "consumer via pkg-config"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror tests/packaging/consumer.c $(pkg-config --cflags --libs eiam) \
    -Wl,-rpath,"$prefix/lib" -o "$work/consumer_pkgconfig"
# Static: libeiam.a itself, then the system libraries of Libs.private.
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror tests/packaging/consumer.c $(pkg-config --cflags eiam) \
    -L"$prefix/lib" -l:libeiam.a $(pkg-config --static --libs-only-l eiam | sed 's/-leiam //') \
    -o "$work/consumer_pkgconfig_static"
# (grep >/dev/null, not grep -q: with pipefail, -q's early exit fails the pipe)
readelf -d "$work/consumer_pkgconfig" | grep 'NEEDED.*libeiam.so.0' >/dev/null \
    || { echo "the consumer is not linked against the SONAME libeiam.so.0" >&2; exit 1; }

log "consumer via CMake find_package(eiam)"
cmake -S tests/packaging -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null

start_mock
trap stop_mock EXIT
for program in "$work/consumer_pkgconfig" "$work/consumer_pkgconfig_static" \
    "$work/cmake/consumer_shared" "$work/cmake/consumer_static"; do
    "$program"
done
readelf -d "$work/consumer_pkgconfig_static" | grep 'NEEDED.*libeiam' >/dev/null \
    && { echo "consumer_pkgconfig_static is linked to libeiam.so" >&2; exit 1; }
ldd "$work/cmake/consumer_shared" | grep "$prefix/lib/libeiam.so.0" >/dev/null \
    || { echo "consumer_shared does not load libeiam from the prefix" >&2; exit 1; }
echo "packaging: 4 passed, 0 failed"

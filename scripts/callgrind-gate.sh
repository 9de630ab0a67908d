#!/usr/bin/env bash
# The regression gate on the Rust core's cost per call: instructions under
# callgrind (repeatable on a busy machine, unlike time) of the owner query,
# the bind, an API error, get_account and a list page, against the
# committed bench/callgrind-baseline.json. Fails when a call costs more than
# 5% over its baseline, and prints a table of baseline against now.
#
#   scripts/callgrind-gate.sh            check (CI runs this)
#   scripts/callgrind-gate.sh --update   rewrite the baseline; commit it
#                                        with the reason in the message
#   scripts/callgrind-gate.sh --repeat   check, and that every total comes
#                                        out the same twice
#
# It counts a release build, as libeiam and the wheel ship it (the one
# small program bench/callgrind and what it links: eiam and its
# dependencies); the mock is the debug build the other suites use.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

ensure_debs valgrind
log "release build of bench/callgrind (eiam-callgrind)"
cargo build --release -p eiam-callgrind
build_libeiam
mkdir -p target/callgrind
cc -shared -fPIC -O2 -Wall -Wextra -Werror -o target/callgrind/pinned.so bench/callgrind/pinned.c
log "instructions per call under callgrind"
python3 bench/callgrind_gate.py --program target/release/eiam-callgrind --mock target/debug/eiam-mock \
    --preload target/callgrind/pinned.so "$@"

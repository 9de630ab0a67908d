#!/usr/bin/env bash
# A short run of each fuzz target (fuzz/), so they keep building and a
# crash on the seed corpus shows up in CI. Long runs are done by hand:
#   cd fuzz && cargo +nightly fuzz run responses -O -- -max_total_time=600
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT/fuzz"

seconds=${EIAM_FUZZ_SECONDS:-20}
rustup run nightly rustc --version >/dev/null 2>&1 || {
    echo "the fuzz smoke run needs the nightly toolchain (rustup toolchain install nightly)" >&2
    exit 1
}
command -v cargo-fuzz >/dev/null || { log "installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
for target in responses ids; do
    log "fuzz $target for ${seconds}s"
    cargo +nightly fuzz run "$target" -O -- -max_total_time="$seconds" 2>&1 | tail -n 3
    test "${PIPESTATUS[0]}" -eq 0
done

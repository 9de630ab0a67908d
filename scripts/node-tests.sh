#!/usr/bin/env bash
# The Node.js binding (bindings/node): koffi loads target/debug/libeiam.so,
# `node --test` runs against the mock binary.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

command -v node >/dev/null || ensure_debs nodejs npm
build_libeiam
log "npm ci and node --test"
cd bindings/node
export EIAM_LIB="$EIAM_ROOT/target/debug/libeiam.so"
export EIAM_MOCK_BIN="$EIAM_ROOT/target/debug/eiam-mock"
npm ci --no-audit --no-fund
node --test

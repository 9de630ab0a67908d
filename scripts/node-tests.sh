#!/usr/bin/env bash
# The Node.js binding (bindings/node): `node --test` against the mock
# binary, with koffi loading the debug build named by EIAM_LIB (the binding
# itself looks for an installed libeiam first; see bindings/node/README.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

command -v node >/dev/null || ensure_debs nodejs npm
command -v openssl >/dev/null || ensure_debs openssl # certificates of the TLS tests
build_libeiam
cd bindings/node
export EIAM_LIB="$EIAM_ROOT/target/debug/libeiam.so"
export EIAM_MOCK_BIN="$EIAM_ROOT/target/debug/eiam-mock"
log "npm ci"
npm ci --no-audit --no-fund
log "node --test with EIAM_LIB=$EIAM_LIB"
node --test

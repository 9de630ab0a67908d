#!/usr/bin/env bash
# The Go binding (bindings/go): cgo against an installed eiam found with
# pkg-config (make install into target/prefix), `go test -race` against
# the mock binary.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

command -v go >/dev/null || ensure_debs golang-go
ensure_debs make pkg-config
prefix="$EIAM_ROOT/target/prefix"
make -s install PREFIX="$prefix" PROFILE=debug
build_libeiam
log "go vet and go test -race"
cd bindings/go
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig" LD_LIBRARY_PATH="$prefix/lib" CGO_ENABLED=1
export EIAM_MOCK_BIN="$EIAM_ROOT/target/debug/eiam-mock"
test -z "$(gofmt -l .)" || { gofmt -l . >&2; echo "gofmt: files need formatting" >&2; exit 1; }
go vet ./...
go test -race -count=1 -v ./... 2>&1 | tee "$EIAM_ROOT/target/go-test.log" | grep -E '^(--- |ok|FAIL|PASS)'
test "${PIPESTATUS[0]}" -eq 0

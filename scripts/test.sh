#!/usr/bin/env bash
# Every suite of the project, as CI runs it (.ci/run calls this script):
# formatting and lints, the Rust tests (core unit and integration tests,
# header freshness, mock server, CLI end to end), the C tests (shared,
# static, ASan, valgrind), the callgrind gate on the core's instructions
# per call, the C quickstart, the install step with its
# pkg-config and CMake consumers, the C++, Go, Node and Java bindings, and the Python
# package (installed with pip into a fresh venv, then pytest and the stub
# check), the documentation (the API reference generated, the site built
# strictly, every code block of README.md and docs/ run against the mock),
# then the benchmark harness in quick mode.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

for tool in cargo rustfmt cargo-clippy cc python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool: install the Rust toolchain and a C compiler" >&2; exit 1; }
done

# tests/proxy.rs runs calls through a real proxy, tests/toxiproxy.rs
# through a fault-injecting one (bench/run's latency rows too).
ensure_debs tinyproxy
ensure_toxiproxy

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings
log "Rust tests"
cargo test
log "quickstart: eiam demo and the C quickstart"
scripts/quickstart.sh
log "C tests"
scripts/c-tests.sh
log "Callgrind gate: instructions per call against bench/callgrind-baseline.json"
scripts/callgrind-gate.sh
log "Soak: resident size over 100,000 C calls"
scripts/soak-tests.sh
log "Packaging: make install, pkg-config and CMake consumers"
scripts/packaging-tests.sh
log "bindings against the header (every function of include/eiam.h)"
python3 scripts/header-parity.py
log "one description per call: docs/calls.toml in every binding's doc comments"
python3 scripts/call-docs.py --check
log "C++ binding"
scripts/cpp-tests.sh
log "Go binding"
scripts/go-tests.sh
log "Node binding"
scripts/node-tests.sh
log "Java binding"
scripts/java-tests.sh
log "fuzz targets, short smoke run"
scripts/fuzz-smoke.sh
log "Python tests"
scripts/python-tests.sh
log "Docs: the API reference (rustdoc with missing docs denied, pdoc, javadoc, C, Go, Node), mkdocs build --strict, then every code block of README.md and docs/"
scripts/docs-tests.sh
log "Benchmarks, quick mode (runs every row; judges no numbers)"
bench/run --quick
log "all suites passed"

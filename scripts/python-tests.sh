#!/usr/bin/env bash
# The Python suite: a fresh venv, `pip install ./python` exactly as users
# run it (maturin, declared as the build backend, builds the optimised
# abi3 extension: about 45 s from a cold target/ on 2 cores), then
#   - the stub check: mypy.stubtest compares eiam's .pyi stubs with the
#     installed module (a public name missing from the stubs fails),
#   - mypy --strict over the tests, which use the API as typed code would,
#   - pytest (which runs the stub check once more, so a bare `pytest` in
#     python/ covers it too). A run that collects no tests is a failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

venv="$EIAM_ROOT/target/py-venv"
python3 -m venv --help >/dev/null 2>&1 || ensure_debs python3-venv
log "fresh venv in target/py-venv"
rm -rf "$venv"
python3 -m venv "$venv" || { ensure_debs python3-venv && python3 -m venv "$venv"; }
"$venv/bin/python" -m pip install --quiet --upgrade pip
# uvloop: the async tests run under asyncio's own loop and under uvloop.
"$venv/bin/python" -m pip install --quiet "pytest>=7" "mypy>=1.10" "uvloop>=0.19"

# Built as a wheel first (what `pip install ./python` does inside), kept
# for bench/run --quick, which reports its size.
log "pip wheel ./python, then pip install the wheel"
start=$SECONDS
rm -rf target/py-wheel
"$venv/bin/python" -m pip wheel --no-deps ./python -w target/py-wheel
"$venv/bin/python" -m pip install target/py-wheel/eiam-*.whl
log "installed in $((SECONDS - start)) s"

# Everything below runs outside the source package: python/eiam has no
# compiled module, and importing it instead of the installed one would
# hide packaging mistakes.
export MYPY_CACHE_DIR="$EIAM_ROOT/target/py-mypy-cache"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

log "stub check (mypy.stubtest eiam)"
(cd "$workdir" && "$venv/bin/python" -m mypy.stubtest eiam)

log "mypy --strict python/tests"
(cd python/tests && "$venv/bin/python" -m mypy --strict .)

log "pytest"
# Plain `pytest` from python/, not `python -m pytest`: the latter would put
# python/ on sys.path and import the source package, not the installed one.
status=0
(cd python && "$venv/bin/pytest" -p no:cacheprovider -ra) || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$status"

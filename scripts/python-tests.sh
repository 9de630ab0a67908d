#!/usr/bin/env bash
# The Python suite: a fresh venv, `pip install ./python` exactly as users
# run it (maturin builds the extension), then pytest, whose suite includes
# the stub check (mypy.stubtest). Zero tests collected is a failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

venv=target/py-venv
python3 -m venv --help >/dev/null 2>&1 || ensure_debs python3-venv
log "fresh venv in $venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "pytest>=7" "mypy>=1.10"
log "pip install ./python"
"$venv/bin/pip" install ./python

log "pytest"
cd python
# Plain `pytest`, not `python -m pytest`: the latter would put python/ on
# sys.path and import the source package instead of the installed one.
set +e
"../$venv/bin/pytest" -p no:cacheprovider
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
    exit 1
fi
exit "$status"

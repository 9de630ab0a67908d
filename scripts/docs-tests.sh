#!/usr/bin/env bash
# The documentation: the reference pages generated (scripts/docs-reference.sh,
# when present), `mkdocs build --strict` into target/site (a broken link or
# anchor fails it), then every code block of README.md and docs/ run against
# the mock (scripts/docs-snippets.py). The blocks use the builds the other
# suites made: the Python venv, libeiam, the `make install` prefix the Go
# suite made, the Java jar and a JDK >= 22, and the Node binding's npm ci;
# so scripts/test.sh runs this after them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

venv="$EIAM_ROOT/target/docs-venv"
if [ ! -x "$venv/bin/mkdocs" ] || ! cmp -s docs/requirements.txt "$venv/requirements.txt"; then
    log "mkdocs into target/docs-venv"
    python3 -m venv "$venv" || { ensure_debs python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/python" -m pip install --quiet -r docs/requirements.txt
    cp docs/requirements.txt "$venv/requirements.txt"
fi

if [ -f scripts/docs-reference.sh ]; then
    log "reference pages (scripts/docs-reference.sh)"
    bash scripts/docs-reference.sh
fi

log "mkdocs build --strict"
export NO_MKDOCS_2_WARNING=1  # the theme's end-of-life banner, not a problem of this site
"$venv/bin/mkdocs" build --strict --site-dir "$EIAM_ROOT/target/site"

log "the blocks of README.md and docs/"
build_libeiam
cargo build -p eiam-cli
export EIAM_PYTHON="${EIAM_PYTHON:-$EIAM_ROOT/target/py-venv/bin/python}"
python3 scripts/docs-snippets.py

#!/usr/bin/env bash
# Runs the README's C build and link lines exactly as written, from the
# repository's root, with examples/c/hello.c as app.c: both programs must
# run. A README line that stops working fails here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

block=$(awk '/<!-- readme-c:/ {found = 1; next} found && /^```sh/ {inside = 1; next} inside && /^```/ {exit} inside' README.md)
[ -n "$block" ] || { echo "no readme-c block in README.md" >&2; exit 1; }
[ ! -e app.c ] && [ ! -e app ] || { echo "app.c or app already exists in $EIAM_ROOT" >&2; exit 1; }
cp examples/c/hello.c app.c
trap 'rm -f app.c app' EXIT
log "the README's C lines"
printf '%s\n' "$block" >&2
out=$(bash -euo pipefail -c "$block")
printf '%s\n' "$out"
[ "$(grep -c 'client ready' <<<"$out")" -eq 2 ] || { echo "expected both programs to run" >&2; exit 1; }

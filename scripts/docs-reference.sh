#!/usr/bin/env bash
# The API reference, generated into docs/reference/ (gitignored: it is made
# from the sources on every docs build, so it cannot go stale, and the
# rendered HTML is no reviewable diff):
#   index.md, c.md, go.md, node.md   scripts/docs-reference.py (the calls of
#                                    docs/calls.toml, the C header, go doc
#                                    -all, index.d.ts)
#   rust/     rustdoc, `cargo doc --no-deps` with warnings as errors (the
#             core denies missing docs)
#   python/   pdoc over the installed module and its stubs
#   java/     javadoc, with doclint's warnings as errors
# scripts/docs-tests.sh runs it before `mkdocs build`; scripts/test.sh runs
# it after the Python suite, whose venv (target/py-venv) has eiam installed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

out=docs/reference
rm -rf "$out"
mkdir -p "$out"

command -v go >/dev/null || ensure_debs golang-go
log "reference: calls, C header, Go and Node pages"
python3 scripts/docs-reference.py

log "reference: rustdoc"
# The CLI's binary is also named `eiam`, and its pages would land on the
# library's: its doc comments are checked on their own, and the pages dropped.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p eiam-cli
rm -rf target/doc/eiam
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p eiam -p eiam-mock
# --no-deps: our two crates and rustdoc's static files, about 3 MB.
cp -R target/doc "$out/rust"

log "reference: pdoc"
venv="$EIAM_ROOT/target/py-venv"
if ! "$venv/bin/python" -c "import eiam" 2>/dev/null; then
    python3 -m venv "$venv" || { ensure_debs python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/python" -m pip install --quiet ./python
fi
"$venv/bin/python" -m pip install --quiet -r docs/requirements-reference.txt
# Outside python/: the installed module, not the source package (which has
# no compiled part). pdoc only warns when it cannot read the stubs (the
# pages then lose their types), so a warning fails here.
pdoc_log="$(cd "$out" && "$venv/bin/python" -m pdoc --docformat markdown --output-directory python eiam eiam.testing 2>&1)"
if grep -q 'Warn' <<<"$pdoc_log"; then
    echo "$pdoc_log" >&2
    exit 1
fi

log "reference: javadoc"
JAVA_HOME="$(find_jdk)"
"$JAVA_HOME/bin/javadoc" -quiet -Xdoclint:all,-missing -Werror -d "$out/java" \
    -sourcepath bindings/java/src/main/java -subpackages io.github.eiam

# rustdoc and javadoc ship the licences of their fonts and scripts as .md
# files: as .txt they stay in the site without becoming pages of it (or
# snippets for scripts/docs-snippets.py to run).
find "$out/rust" "$out/java" -name '*.md' -exec sh -c 'mv "$1" "${1%.md}.txt"' _ {} \;

log "reference written to $out"

#!/usr/bin/env python3
"""Runs the fenced code blocks of README.md and docs/**/*.md, so that what
the documentation shows is what works.

The rules, per page (a Markdown file):
  - ```text blocks are output or illustration: never run;
  - a block with a title (```c title="app.c") is written as that file into
    the page's scratch directory before anything runs;
  - untitled ```sh (or ```bash) blocks run with `bash -euo pipefail`, and
    untitled ```python (or ```py) blocks with $EIAM_PYTHON, each in a
    process of its own, in page order, in that directory;
  - any other untitled block is an error.
Each page that runs something gets a fresh eiam-mock, whose address and
credentials are exported as EIAM_BASE_URL, EIAM_CLIENT_ID and
EIAM_CLIENT_SECRET, with target/debug on PATH and EIAM_ROOT set. The
variables below point the blocks at the builds of the other suites; each
has a default inside the checkout and may be overridden:
  EIAM_PYTHON   the Python with eiam installed  (target/py-venv/bin/python)
  EIAM_LIB      libeiam.so for Node and Java   (target/debug/libeiam.so)
  EIAM_PREFIX   a `make install` prefix, for pkg-config users such as Go
                                               (target/prefix)
  EIAM_JAR      the Java binding's jar          (bindings/java/target/eiam-0.1.0.jar)
  JAVA_HOME     a JDK >= 22: scripts/lib.sh's find_jdk, as the Java suite
                finds it (JAVA_HOME itself when it is one)

Usage: docs-snippets.py [-v] [PAGE...]   (default: README.md and docs/)
A run that runs no block fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHELLS = {"sh", "bash"}
PYTHONS = {"python", "py"}
BLOCK_TIMEOUT_S = 600
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclasses.dataclass
class Block:
    line: int  # 1-based line of the opening fence
    lang: str
    title: str | None
    body: str


class PageError(Exception):
    def __init__(self, message: str, ran: int = 0) -> None:
        super().__init__(message)
        self.ran = ran  # blocks of the page that ran before it failed


def blocks_of(path: pathlib.Path) -> list[Block]:
    """The fenced blocks of a Markdown page, in order (nested fences are
    part of their block's body; indentation of list items is removed)."""
    found = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m["indent"], m["fence"], m["info"].strip()
        start, body = i + 1, []
        i += 1
        while i < len(lines):
            close = FENCE.match(lines[i])
            if close and close["fence"][0] == fence[0] and len(close["fence"]) >= len(fence) and not close["info"].strip():
                break
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            i += 1
        else:
            raise PageError(f"{shown(path)}:{start}: the block is never closed")
        i += 1
        lang = info.split()[0].lstrip("{.").rstrip("}") if info else ""
        title = TITLE.search(info)
        found.append(Block(start, lang, next(g for g in title.groups() if g is not None) if title else None, "\n".join(body) + "\n"))
    return found


def runnable(block: Block) -> bool:
    return block.title is None and block.lang != "text"


def shown(page: pathlib.Path) -> pathlib.Path:
    return page.relative_to(ROOT) if page.is_relative_to(ROOT) else page


def check(page: pathlib.Path, blocks: list[Block]) -> None:
    page = shown(page)
    for b in blocks:
        if b.title is not None:
            target = pathlib.PurePosixPath(b.title)
            if target.is_absolute() or ".." in target.parts or not b.title:
                raise PageError(f"{page}:{b.line}: title {b.title!r} must be a relative path inside the scratch directory")
        elif b.lang not in SHELLS | PYTHONS | {"text"}:
            what = f"a ```{b.lang} block" if b.lang else "a block without a language"
            raise PageError(
                f"{page}:{b.line}: {what} without a title: mark output ```text, give a file a title=\"...\", "
                "or run code from a ```sh block"
            )


def environment() -> dict[str, str]:
    env = dict(os.environ)
    debug = ROOT / "target" / "debug"
    env["EIAM_ROOT"] = str(ROOT)
    env["PATH"] = f"{debug}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("EIAM_PYTHON", str(ROOT / "target" / "py-venv" / "bin" / "python"))
    env.setdefault("EIAM_LIB", str(debug / "libeiam.so"))
    env.setdefault("EIAM_PREFIX", str(ROOT / "target" / "prefix"))
    env.setdefault("EIAM_JAR", str(ROOT / "bindings" / "java" / "target" / "eiam-0.1.0.jar"))
    jdk = java_home()
    if jdk:
        env["JAVA_HOME"] = jdk
    # The blocks talk to their page's mock only: settings a caller's shell
    # may hold would send them elsewhere.
    for name in ("EIAM_ACCESS_TOKEN", "EIAM_CA_FILE", "EIAM_ACCOUNT_PASSWORD"):
        env.pop(name, None)
    return env


@functools.cache
def java_home() -> str | None:
    found = subprocess.run(
        ["bash", "-c", 'source "$1/scripts/lib.sh" && find_jdk', "find_jdk", str(ROOT)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    return found.stdout.strip() or None


class Mock:
    """An eiam-mock process; it exits when its stdin closes."""

    def __init__(self, env: dict[str, str]) -> None:
        binary = ROOT / "target" / "debug" / "eiam-mock"
        if not binary.exists():
            raise PageError(f"{binary} is missing: cargo build -p eiam-mock")
        self.proc = subprocess.Popen(
            [str(binary), "--exit-on-stdin-eof"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        self.vars = {}
        assert self.proc.stdout is not None
        for _ in range(3):
            line = self.proc.stdout.readline().strip()
            name, sep, value = line.partition("=")
            if not sep or not name.startswith("EIAM_MOCK_"):
                self.stop()
                raise PageError(f"eiam-mock did not start (it printed {line!r})")
            self.vars[name] = value

    def exports(self) -> dict[str, str]:
        return {
            "EIAM_BASE_URL": self.vars["EIAM_MOCK_URL"],
            "EIAM_CLIENT_ID": self.vars["EIAM_MOCK_CLIENT_ID"],
            "EIAM_CLIENT_SECRET": self.vars["EIAM_MOCK_CLIENT_SECRET"],
        }

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def command_for(block: Block, script: pathlib.Path, env: dict[str, str]) -> list[str]:
    if block.lang in SHELLS:
        return ["bash", "-euo", "pipefail", str(script)]
    python = env["EIAM_PYTHON"]
    if not pathlib.Path(python).exists():
        raise PageError(f"EIAM_PYTHON={python} does not exist: run scripts/python-tests.sh, or point it at a Python with eiam")
    return [python, str(script)]


def run_page(page: pathlib.Path, blocks: list[Block], verbose: bool) -> int:
    """Runs a page's blocks; returns how many ran. Raises PageError at the
    first failing block."""
    rel = shown(page)
    todo = [b for b in blocks if runnable(b)]
    print(f"{rel}: {len(todo)} block(s) to run, {sum(b.title is not None for b in blocks)} file(s)", flush=True)
    if not todo:
        return 0
    env = environment()
    with tempfile.TemporaryDirectory(prefix="eiam-docs-") as tmp:
        scratch, scripts = pathlib.Path(tmp) / "page", pathlib.Path(tmp) / "blocks"
        scratch.mkdir()
        scripts.mkdir()
        for b in blocks:
            if b.title is not None:
                target = scratch / b.title
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(b.body, encoding="utf-8")
        mock = Mock(env)
        try:
            env.update(mock.exports())
            for ran, b in enumerate(todo):
                # Blank lines first, so that an error's line number in the
                # script is the line on the page.
                script = scripts / f"line-{b.line}.{'py' if b.lang in PYTHONS else 'sh'}"
                script.write_text("\n" * b.line + b.body, encoding="utf-8")
                started = time.monotonic()
                output, status = run_block(command_for(b, script, env), scratch, env)
                took = time.monotonic() - started
                if status != 0:
                    raise PageError(
                        f"{rel}:{b.line}: the ```{b.lang} block failed (exit {status}, {took:.1f} s). Its output:\n"
                        + indent(output),
                        ran + 1,
                    )
                print(f"  {rel}:{b.line} {b.lang}: ok ({took:.1f} s)", flush=True)
                if verbose and output:
                    print(indent(output), end="", flush=True)
        finally:
            mock.stop()
    return len(todo)


def run_block(command: list[str], cwd: pathlib.Path, env: dict[str, str]) -> tuple[str, int]:
    """Runs one block in a session of its own, so that a timeout ends
    whatever it started too; returns its output and exit status."""
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=BLOCK_TIMEOUT_S)
        return out.decode("utf-8", "replace"), proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return out.decode("utf-8", "replace") + f"\n(killed after {BLOCK_TIMEOUT_S} s)", -1


def indent(text: str) -> str:
    return "".join(f"    | {line}\n" for line in text.splitlines())


def pages_from(args: list[str]) -> list[pathlib.Path]:
    if not args:
        return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    pages = []
    for arg in args:
        path = pathlib.Path(arg).resolve()
        if not path.exists():
            raise SystemExit(f"docs-snippets.py: no such page or folder: {arg}")
        pages.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every block's output, not only a failing one's")
    parser.add_argument("pages", nargs="*", help="Markdown files or folders (default: README.md and docs/)")
    opts = parser.parse_args()
    if shutil.which("bash") is None:
        print("bash is needed", file=sys.stderr)
        return 1
    ran, failures = 0, []
    for page in pages_from(opts.pages):
        try:
            blocks = blocks_of(page)
            check(page, blocks)
            ran += run_page(page, blocks, opts.verbose)
        except PageError as e:
            print(f"FAILED {e}", file=sys.stderr, flush=True)
            failures.append(str(e).split("\n", 1)[0])
            ran += e.ran
    print(f"\n{ran} block(s) ran, {len(failures)} page(s) failed")
    for failure in failures:
        print(f"  {failure}", file=sys.stderr)
    if ran == 0 and not failures:
        print("no block ran: that is a failure", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

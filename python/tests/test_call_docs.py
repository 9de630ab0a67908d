"""What help() shows of each call: the summary, errors line and example of
docs/calls.toml (scripts/call-docs.py copies them into python/src and the
stubs), and every example runs against a fresh mock, eiam.Client's as it
is and eiam.AsyncClient's (each call awaited) on an event loop."""

import ast
import asyncio
import builtins
import contextlib
import doctest
import io
import pathlib
import tomllib
import types
from typing import Any

import pytest

import eiam
from eiam.testing import MockServer

HOME = pathlib.Path(__file__).resolve().parents[2] / "docs" / "calls.toml"
ENTRIES: dict[str, Any] = {k: v for k, v in tomllib.loads(HOME.read_text()).items() if k != "languages"}
NAMES = sorted(entry.get("names", {}).get("python", call) for call, entry in ENTRIES.items())
BY_NAME = {entry.get("names", {}).get("python", call): entry for call, entry in ENTRIES.items()}


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_every_call_has_a_python_example() -> None:
    assert len(NAMES) == len(ENTRIES) > 0
    assert [n for n in NAMES if "python" not in BY_NAME[n].get("examples", {})] == []


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("cls", [eiam.Client, eiam.AsyncClient])
def test_help_shows_the_summary_errors_line_and_example(cls: type, name: str) -> None:
    doc = normalized(getattr(cls, name).__doc__ or "")
    entry = BY_NAME[name]
    # Python spells the summary's parameters and calls as calls.toml does.
    assert normalized(entry["summary"]) in doc
    assert "Errors: " in doc
    if cls is eiam.Client:
        assert normalized(entry["examples"]["python"]) in doc
    else:
        assert "Example (eiam.AsyncClient):" in doc and "Example (eiam.Client):" not in doc
        assert "await client." in doc or "async for " in doc


@pytest.mark.parametrize("name", NAMES)
def test_the_example_runs_against_the_mock(name: str) -> None:
    doc = getattr(eiam.Client, name).__doc__ or ""
    with MockServer() as mock, eiam.Client(
        mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, timeout=10.0
    ) as client:
        test = doctest.DocTestParser().get_doctest(doc, {"client": client, "eiam": eiam}, f"eiam.Client.{name}", None, 0)
        assert test.examples, f"eiam.Client.{name} has no example"
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        report: list[str] = []
        runner.run(test, out=report.append)
        assert runner.failures == 0, "".join(report)


def run_awaiting(test: doctest.DocTest, loop: asyncio.AbstractEventLoop) -> list[str]:
    """Runs `test`'s examples as the asyncio REPL does (`python -m
    asyncio`: top-level await), one after another in its globals; returns
    a report of each whose output differs from what the docstring shows."""
    checker, failures = doctest.OutputChecker(), []
    for example in test.examples:
        code = compile(example.source, test.name, "single", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = types.FunctionType(code, test.globs)()
            if asyncio.iscoroutine(result):
                loop.run_until_complete(result)
        if not checker.check_output(example.want, out.getvalue(), doctest.ELLIPSIS):
            failures.append(f"{example.source}expected {example.want!r}, got {out.getvalue()!r}")
    return failures


@pytest.mark.parametrize("name", NAMES)
def test_the_async_example_runs_against_the_mock(name: str) -> None:
    doc = getattr(eiam.AsyncClient, name).__doc__ or ""
    loop = asyncio.new_event_loop()
    with MockServer() as mock:
        client = eiam.AsyncClient(
            mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, timeout=10.0
        )
        try:
            # Unlike exec, a function made from code adds no __builtins__.
            globs = {"client": client, "eiam": eiam, "__builtins__": builtins}
            test = doctest.DocTestParser().get_doctest(doc, globs, f"eiam.AsyncClient.{name}", None, 0)
            assert test.examples, f"eiam.AsyncClient.{name} has no example"
            assert run_awaiting(test, loop) == []
        finally:
            loop.run_until_complete(client.close())
            loop.close()

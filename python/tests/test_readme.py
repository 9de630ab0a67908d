"""The README's Python examples run as written, against the mock server
(only the tenant URL and credentials of the first one are swapped)."""

import pathlib
import re
from typing import Any

import pytest

import eiam
from eiam.testing import MockServer

README = pathlib.Path(__file__).parents[2] / "README.md"


def python_blocks() -> "list[str]":
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Python\n") : text.index("\n## C\n")]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


ASYNC, QUICKSTART, ACCOUNTS, TESTING = range(4)


def test_readme_has_every_example() -> None:
    blocks = python_blocks()
    assert len(blocks) == 4
    assert "eiam.AsyncClient(" in blocks[ASYNC], "the async form comes first"
    assert "eiam.Client(" in blocks[QUICKSTART] and "from eiam.testing import MockServer" in blocks[TESTING]
    assert "create_public_account" in blocks[ACCOUNTS]


def with_the_mock(code: str, mock: MockServer) -> str:
    """`code` with the first example's tenant URL and credentials swapped for the mock's."""
    for placeholder, value in [
        ('"https://acme.idaas.example.com"', repr(mock.base_url)),
        ('client_id="..."', f"client_id={mock.client_id!r}"),
        ('client_secret="..."', f"client_secret={mock.client_secret!r}"),
    ]:
        assert placeholder in code, placeholder
        code = code.replace(placeholder, value)
    return code


def test_async_example_runs_against_the_mock(mock: MockServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = with_the_mock(python_blocks()[ASYNC], mock)
    mock.add_application("app1")
    mock.add_public_account("app1", "pub-1")
    mock.add_public_account("app1", "pub-2")
    exec(compile(code, "README.md (Python asyncio)", "exec"), {})
    assert (mock.owner_of("app1", "pub-1"), mock.owner_of("app1", "pub-2")) == ("zhangsan", "lisi")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "zhangsan"
    assert sorted(line.split()[0] for line in out[1:]) == ["pub-1", "pub-2"]


def test_quickstart_runs_against_the_mock(mock: MockServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = with_the_mock(python_blocks()[QUICKSTART], mock)
    mock.add_public_account("app1", "pub-1")
    mock.add_public_account("app1", "pub-2")
    exec(compile(code, "README.md (Python quickstart)", "exec"), {})
    assert mock.owner_of("app1", "pub-1") == "zhangsan"
    assert mock.owner_of("app1", "pub-2") == "lisi"
    out = capsys.readouterr().out
    assert "zhangsan" in out and "True" in out
    assert (mock.stats.token_requests, mock.stats.api_requests) == (1, 4)


def test_account_example_runs_against_the_mock(mock: MockServer, capsys: pytest.CaptureFixture[str]) -> None:
    mock.add_application("app1")
    mock.add_user("wangwu")
    before = mock.account_count("app1")
    with eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret) as client:
        exec(compile(python_blocks()[ACCOUNTS], "README.md (account calls)", "exec"), {"client": client, "eiam": eiam})
    assert mock.account_count("app1") == before, "created, then deleted"
    out = capsys.readouterr().out
    assert "lisi True" in out and "wangwu False" in out
    assert "1 ['team-mailbox']" in out


def test_testing_example_runs() -> None:
    bound: "list[eiam.Owner]" = []

    def my_code_under_test(c: eiam.Client) -> None:
        c.bind_public_account_owner("app1", "pub1", "zhangsan")
        bound.append(c.get_public_account_owner("app1", "pub1"))

    namespace: "dict[str, Any]" = {"my_code_under_test": my_code_under_test}
    exec(compile(python_blocks()[TESTING], "README.md (testing example)", "exec"), namespace)
    namespace["test_my_provisioning_script"]()  # its asserts must hold
    assert [o.user_name for o in bound] == ["zhangsan"]

"""Bad input to every parameter of every method and constructor keyword.

One table per kind of parameter: every cell says what the call must do
(return, or raise which exception with which words in its message), and
every case checks with the mock's counters that nothing reached the server
unless the table says so. The same inputs as the C test
(tests/c/test_bad_input.c), in Python's terms: wrong types (None, int,
bytes, list) instead of NULL, a lone surrogate instead of non-UTF-8 bytes.
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional

import pytest

import eiam
from eiam.testing import MockServer

HUGE = "x" * (1 << 20)  # 1 MiB


@dataclass(frozen=True)
class Expect:
    """What a call does: returns (`raises` None) or raises `raises` with a
    message matching `match` (anchored at the start), the given `code`, and
    `api_requests` requests reaching the mock (token requests included)."""

    raises: "Optional[type[BaseException]]" = None
    match: str = ""
    code: Optional[str] = None
    api_requests: int = 0


OK = Expect()


def typeerror(match: str) -> Expect:
    return Expect(TypeError, match)


def invalid(match: str, code: Optional[str] = None) -> Expect:
    return Expect(eiam.InvalidArgumentError, match, code)


def api_error(code: str) -> Expect:
    return Expect(eiam.ApiError, "", code, api_requests=1)


# The inputs, by name (the names are the test ids). `None` is the default
# of the optional keywords, so for those it is a valid value.
WRONG_TYPES: "dict[str, object]" = {"None": None, "int": 5, "bytes": b"demo", "list": ["demo"]}
STRINGS: "dict[str, str]" = {
    "empty": "",
    "blank": "  ",
    "dot": ".",
    "dotdot": "..",
    "crlf": "a\r\nb",
    "1MiB": HUGE,
    "surrogate": "\ud800",
    # C strings end at a NUL: a binding that passed this on as one would
    # send "pub-2" and change the wrong account.
    "nul": "pub-2\x00-other",
}
INPUTS: "dict[str, object]" = {**WRONG_TYPES, **STRINGS}


def row(**cells: Expect) -> "dict[str, Expect]":
    """A table row: every input must have a cell, so no case is forgotten."""
    assert set(cells) == set(INPUTS), set(INPUTS) ^ set(cells)
    return cells


def cases(table: "dict[str, dict[str, Expect]]") -> "list[Any]":
    return [
        pytest.param(param, INPUTS[name], expect, id=f"{param}-{name}")
        for param, cells in table.items()
        for name, expect in cells.items()
    ]


def check(expect: Expect, mock: MockServer, call: Any) -> Any:
    """Runs `call()` and checks it against `expect` and the mock's counters."""
    before = mock.stats
    result = None
    if expect.raises is None:
        result = call()
    else:
        with pytest.raises(expect.raises) as caught:
            call()
        error = caught.value
        # An EiamError's message without the code str() puts before it.
        message = error.message if isinstance(error, eiam.EiamError) else str(error)
        assert re.match(expect.match, message), message[:300]
        assert len(message) < 1024, "a huge input was echoed back"
        if isinstance(error, eiam.EiamError):
            assert error.code == expect.code
            if isinstance(error, eiam.InvalidArgumentError):
                assert error.http_status is None
    after = mock.stats
    assert after.requests - before.requests == expect.api_requests
    assert after.api_requests - before.api_requests == expect.api_requests
    return result


# ---- Client(...) string keywords ------------------------------------------


def credentials_row(name: str, when_none: Expect) -> "dict[str, Expect]":
    # "." and ".." are odd but harmless credentials: they never enter a URL.
    return row(
        **{"None": when_none},
        int=typeerror(f"{name} must be str or None, not int"),
        bytes=typeerror(f"{name} must be str or None, not bytes"),
        list=typeerror(f"{name} must be str or None, not list"),
        empty=invalid(f"{name} is empty"),
        blank=invalid(f"{name} is empty"),
        dot=OK,
        dotdot=OK,
        crlf=invalid(f"{name} contains control characters"),
        **{"1MiB": invalid(f"{name} is longer than 8192 bytes")},
        surrogate=invalid(f"{name} is not valid Unicode text"),
        nul=invalid(f"{name} contains control characters"),
    )


CLIENT_STRINGS: "dict[str, dict[str, Expect]]" = {
    "base_url": row(
        **{"None": typeerror("base_url must be str, not NoneType")},
        int=typeerror("base_url must be str, not int"),
        bytes=typeerror("base_url must be str, not bytes"),
        list=typeerror("base_url must be str, not list"),
        empty=invalid("base_url is empty"),
        blank=invalid("base_url is empty"),
        dot=invalid('base_url "." has no scheme'),
        dotdot=invalid('base_url ".." has no scheme'),
        crlf=invalid(r'base_url "a\\r\\nb" is not a valid absolute URL'),
        **{"1MiB": invalid(r'base_url "x{160}"\.\.\. \(1048576 bytes\) is not a valid')},
        surrogate=invalid("base_url is not valid Unicode text"),
        nul=invalid(r'base_url "pub-2\\0-other" is not a valid absolute URL'),
    ),
    # client_id=None with a client_secret: half a pair of credentials.
    "client_id": credentials_row(
        "client_id", invalid("client credentials need both client_id and client_secret")
    ),
    "client_secret": credentials_row(
        "client_secret", invalid("client credentials need both client_id and client_secret")
    ),
    # Tested without client credentials, so access_token=None leaves none.
    "access_token": credentials_row("access_token", invalid("no credentials")),
    # A blank name, a dot or CR/LF can be a file name on POSIX: the path is
    # taken, and found not to be a readable file.
    "ca_file": row(
        **{"None": OK},
        int=typeerror("ca_file must be str, os.PathLike or None, not int"),
        bytes=typeerror("ca_file must be str, os.PathLike or None, not bytes"),
        list=typeerror("ca_file must be str, os.PathLike or None, not list"),
        empty=invalid('ca_file "" is not a readable file'),
        blank=invalid('ca_file "  " is not a readable file'),
        dot=invalid('ca_file "." is not a readable file'),
        dotdot=invalid('ca_file ".." is not a readable file'),
        crlf=invalid(r'ca_file "a\\r\\nb" is not a readable file'),
        **{"1MiB": invalid(r'ca_file "x{160}"\.\.\. \(1048576 bytes\) is not a readable file')},
        surrogate=invalid("ca_file is not a valid file path"),
        nul=invalid(r'ca_file "pub-2\\0-other" is not a readable file'),
    ),
    "proxy": row(
        **{"None": OK},
        int=typeerror("proxy must be str or None, not int"),
        bytes=typeerror("proxy must be str or None, not bytes"),
        list=typeerror("proxy must be str or None, not list"),
        empty=invalid('proxy URL "" is not valid'),
        blank=invalid('proxy URL "  " is not valid'),
        dot=invalid('proxy URL "." is not valid'),
        dotdot=invalid('proxy URL ".." is not valid'),
        crlf=invalid(r'proxy URL "a\\r\\nb" is not valid'),
        **{"1MiB": invalid(r'proxy URL "x{160}"\.\.\. \(1048576 bytes\) is not valid')},
        surrogate=invalid("proxy is not valid Unicode text"),
        nul=invalid(r'proxy URL "pub-2\\0-other" is not valid'),
    ),
    # An empty or blank product means none (User-Agent: eiam/<version>);
    # "." and ".." are harmless product tokens.
    "user_agent": row(
        **{"None": OK},
        int=typeerror("user_agent must be str or None, not int"),
        bytes=typeerror("user_agent must be str or None, not bytes"),
        list=typeerror("user_agent must be str or None, not list"),
        empty=OK,
        blank=OK,
        dot=OK,
        dotdot=OK,
        crlf=invalid("user_agent contains control characters"),
        **{"1MiB": invalid("user_agent is longer than 8192 bytes")},
        surrogate=invalid("user_agent is not valid Unicode text"),
        nul=invalid("user_agent contains control characters"),
    ),
}


def client_kwargs(mock: MockServer, param: str) -> "dict[str, Any]":
    """Valid keywords around `param`."""
    if param == "access_token":
        return {"base_url": mock.base_url}
    return {"base_url": mock.base_url, "client_id": mock.client_id, "client_secret": mock.client_secret}


@pytest.mark.parametrize(("param", "value", "expect"), cases(CLIENT_STRINGS))
def test_client_string_keywords(mock: MockServer, param: str, value: object, expect: Expect) -> None:
    kwargs = {**client_kwargs(mock, param), param: value}
    client = check(expect, mock, lambda: eiam.Client(**kwargs))
    if client is not None:
        assert isinstance(client, eiam.Client)
        client.close()


# ---- Client(...) number and flag keywords ---------------------------------


def seconds_row(name: str) -> "dict[str, Expect]":
    # Python's type rules are checked here; the range is the core's
    # (ConfigBuilder::build), so these are its messages.
    number = f"{name} must be a number of seconds"
    positive = f"{name} must be greater than zero"
    bounded = f"{name} must be at most 86400 s"
    return {
        "None": typeerror(number),
        "str": typeerror(number),
        "bytes": typeerror(number),
        "list": typeerror(number),
        "bool": typeerror(number),
        "int": OK,
        "float": OK,
        "zero": invalid(positive),
        "negative": invalid(positive),
        "nan": invalid(positive),
        "1ns": OK,
        "below 1ns": invalid(positive),
        "1 day": OK,
        "1 day + 1 s": invalid(bounded),
        "inf": invalid(bounded),
        "1e19": invalid(bounded),  # used to panic in Instant arithmetic
        "huge": invalid(bounded),
        "2**70": invalid(bounded),
        "10**400": invalid(bounded),  # no float holds it
    }


def flag_row(name: str) -> "dict[str, Expect]":
    return {k: typeerror(f"{name} must be bool, not ") for k in ("None", "int", "str", "bytes", "list")}


NUMBER_INPUTS: "dict[str, object]" = {
    "None": None,
    "str": "30",
    "bytes": b"30",
    "list": [30],
    "bool": True,
    "int": 1,
    "float": 2.5,
    "zero": 0,
    "negative": -1,
    "nan": math.nan,
    "inf": math.inf,
    "huge": 1e300,
    "1ns": 1e-9,
    "below 1ns": 1e-10,
    "1 day": 86400,
    "1 day + 1 s": 86401,
    "1e19": 1e19,
    "2**32": 2**32,
    "2**70": 2**70,
    "10**400": 10**400,
}

CLIENT_OPTIONS: "dict[str, dict[str, Expect]]" = {
    "timeout": seconds_row("timeout"),
    "connect_timeout": seconds_row("connect_timeout"),
    "max_retries": {
        "None": typeerror("max_retries must be int, not NoneType"),
        "str": typeerror("max_retries must be int, not str"),
        "bytes": typeerror("max_retries must be int, not bytes"),
        "list": typeerror("max_retries must be int, not list"),
        "bool": typeerror("max_retries must be int, not bool"),
        "float": typeerror("max_retries must be int, not float"),
        "zero": OK,  # retries off
        "int": OK,
        "negative": invalid("max_retries must be between 0 and 4294967295, got -1"),
        "2**32": invalid("max_retries must be between 0 and 4294967295, got 4294967296"),
        "2**70": invalid("max_retries must be between 0 and 4294967295$"),
        "10**400": invalid("max_retries must be between 0 and 4294967295$"),
    },
    # False without a ca_file would trust nothing.
    "use_platform_roots": {**flag_row("use_platform_roots"), "bool": OK},
    "allow_insecure_http": {**flag_row("allow_insecure_http"), "bool": OK},
    "danger_accept_invalid_certs": {**flag_row("danger_accept_invalid_certs"), "bool": OK},
}


@pytest.mark.parametrize(
    ("param", "value", "expect"),
    [
        pytest.param(param, NUMBER_INPUTS[name], expect, id=f"{param}-{name}")
        for param, cells in CLIENT_OPTIONS.items()
        for name, expect in cells.items()
    ],
)
def test_client_number_and_flag_keywords(mock: MockServer, param: str, value: object, expect: Expect) -> None:
    kwargs = {**client_kwargs(mock, param), param: value}
    client = check(expect, mock, lambda: eiam.Client(**kwargs))
    if client is not None:
        client.close()


def test_use_platform_roots_false_needs_a_ca_file(mock: MockServer) -> None:
    check(
        invalid(r"use_platform_roots\(false\) needs a ca_file"),
        mock,
        lambda: eiam.Client(**client_kwargs(mock, ""), use_platform_roots=False),
    )


# ---- the API calls' ids ----------------------------------------------------


def id_row(name: str, empty_code: Optional[str]) -> "dict[str, Expect]":
    """An id goes into the URL path: everything but a plain, short text is
    refused before anything is sent. Empty and blank carry the service's
    own code for a missing id."""
    return row(
        **{t: typeerror(f"{name} must be str, not {type(v).__name__}") for t, v in WRONG_TYPES.items()},
        empty=invalid(f"{name} must not be empty", empty_code),
        blank=invalid(f"{name} must not be empty", empty_code),
        dot=invalid(f"{name} must not be '.' or '..'"),
        dotdot=invalid(f"{name} must not be '.' or '..'"),
        crlf=invalid(f"{name} must not contain control characters"),
        **{"1MiB": invalid(f"{name} is longer than 1024 bytes")},
        surrogate=invalid(f"{name} is not valid Unicode text"),
        nul=invalid(f"{name} must not contain control characters"),
    )


# A user name goes in the JSON body, not the URL: "." and ".." are sent,
# and the service (the mock) answers that there is no such user.
USER_NAME = row(
    **{**id_row("user_name", None), "dot": api_error("APP.ACCOUNT.0037"), "dotdot": api_error("APP.ACCOUNT.0037")}
)

GET_OWNER = {"app_id": id_row("app_id", "APP.0006"), "app_user_id": id_row("app_user_id", "APP.ACCOUNT.0047")}
BIND_OWNER = {**GET_OWNER, "user_name": USER_NAME}
VALID = {"app_id": "demo-app", "app_user_id": "pub-1", "user_name": "zhangsan"}


@pytest.fixture
def authenticated(client: eiam.Client) -> Iterator[eiam.Client]:
    """A client holding its token, so each case counts API requests only."""
    client.authenticate()
    yield client


@pytest.mark.parametrize(("param", "value", "expect"), cases(GET_OWNER))
@pytest.mark.parametrize("by_keyword", [False, True], ids=["positional", "keyword"])
def test_get_public_account_owner(
    authenticated: eiam.Client, mock: MockServer, param: str, value: object, expect: Expect, by_keyword: bool
) -> None:
    args: "dict[str, Any]" = {"app_id": VALID["app_id"], "app_user_id": VALID["app_user_id"], param: value}
    if by_keyword:
        check(expect, mock, lambda: authenticated.get_public_account_owner(**args))
    else:
        check(expect, mock, lambda: authenticated.get_public_account_owner(*args.values()))


@pytest.mark.parametrize(("param", "value", "expect"), cases(BIND_OWNER))
def test_bind_public_account_owner(
    authenticated: eiam.Client, mock: MockServer, param: str, value: object, expect: Expect
) -> None:
    args: "dict[str, Any]" = {**VALID, param: value}
    account_id = check(expect, mock, lambda: authenticated.bind_public_account_owner(**args))
    if expect.raises is None:
        assert isinstance(account_id, str)
    assert mock.owner_of("demo-app", "pub-1") == "zhangsan"  # nothing changed


# The account calls that take (app_id, account_id): the same id rules.
ACCOUNT_IDS = {"app_id": id_row("app_id", "APP.0006"), "account_id": id_row("account_id", "APP.ACCOUNT.0047")}
ACCOUNT_CALLS = ["get_account", "disable_account", "enable_account", "delete_account"]


@pytest.mark.parametrize(("param", "value", "expect"), cases(ACCOUNT_IDS))
@pytest.mark.parametrize("method", ACCOUNT_CALLS)
def test_account_calls_ids(
    authenticated: eiam.Client, mock: MockServer, method: str, param: str, value: object, expect: Expect
) -> None:
    args: "dict[str, Any]" = {"app_id": "demo-app", "account_id": "pub-1", param: value}
    check(expect, mock, lambda: getattr(authenticated, method)(**args))
    assert mock.account("demo-app", "pub-1") is not None  # nothing deleted


# ---- bulk binding: the items' fields ---------------------------------------


def bulk_cell(param: str, expect: Expect) -> Expect:
    """A wrong type in an item is a TypeError for the whole call, naming
    the item and field; a bad value fails that item alone."""
    if expect.raises is TypeError:
        index = list(VALID).index(param)
        return typeerror(rf"items\[1\]\[{index}\] \({param}\) " + re.escape(expect.match[len(param) + 1 :]))
    return expect


BULK_FIELDS = {param: {k: bulk_cell(param, e) for k, e in cells.items()} for param, cells in BIND_OWNER.items()}


@pytest.mark.parametrize(("param", "value", "expect"), cases(BULK_FIELDS))
def test_bind_public_account_owners_items(
    authenticated: eiam.Client, mock: MockServer, param: str, value: object, expect: Expect
) -> None:
    good = (VALID["app_id"], VALID["app_user_id"], VALID["user_name"])
    bad: "dict[str, Any]" = {**VALID, param: value}
    items: "list[tuple[Any, ...]]" = [good, tuple(bad.values()), good]
    before = mock.stats
    if expect.raises is TypeError:
        check(expect, mock, lambda: authenticated.bind_public_account_owners(items))
        return
    results = authenticated.bind_public_account_owners(items, concurrency=2)
    assert [r.ok for r in (results[0], results[2])] == [True, True]
    result = results[1]
    if expect.raises is None:
        assert result.ok
    else:
        assert not result.ok and result.account_id is None
        assert isinstance(result.error, expect.raises)
        assert re.match(expect.match, result.error.message), result.error.message[:300]
        assert len(result.error.message) < 1024
        assert result.error.code == expect.code
    # The two good items, plus whatever the table allows the bad one.
    assert mock.stats.api_requests - before.api_requests == 2 + expect.api_requests
    assert mock.stats.requests - before.requests == 2 + expect.api_requests


@pytest.mark.parametrize(
    ("items", "expect"),
    [
        pytest.param(None, typeerror(r"items must be an iterable of \(app_id, app_user_id, user_name\) tuples, not NoneType"), id="None"),
        pytest.param(5, typeerror(r"items must be an iterable of .* tuples, not int"), id="int"),
        pytest.param(b"abc", typeerror(r"items\[0\] must be an \(app_id, app_user_id, user_name\) tuple, got int"), id="bytes"),
        pytest.param("abc", typeerror(r"items\[0\] must be an .* tuple, got str"), id="str"),
        pytest.param([None], typeerror(r"items\[0\] must be an .* tuple, got NoneType"), id="[None]"),
        pytest.param([("a", "b")], typeerror(r"items\[0\] must be an .* tuple, got tuple"), id="pair"),
        pytest.param([("a", "b", "c", "d")], typeerror(r"items\[0\] must be an .* tuple, got tuple"), id="quadruple"),
        # Only sequences are items: a dict's keys, a set's (unordered)
        # members or a generator's output are not fields.
        pytest.param(
            [tuple(VALID.values()), dict(VALID)],
            typeerror(r"items\[1\] must be an .* tuple, got dict"),
            id="dict",
        ),
        pytest.param(
            [set(VALID.values())], typeerror(r"items\[0\] must be an .* tuple, got set"), id="set"
        ),
        pytest.param(
            [(v for v in VALID.values())],
            typeerror(r"items\[0\] must be an .* tuple, got generator"),
            id="generator",
        ),
        pytest.param(
            [iter(VALID.values())], typeerror(r"items\[0\] must be an .* tuple, got dict_valueiterator"), id="iterator"
        ),
        pytest.param([], OK, id="empty"),
    ],
)
def test_bind_public_account_owners_items_container(
    authenticated: eiam.Client, mock: MockServer, items: object, expect: Expect
) -> None:
    result = check(expect, mock, lambda: authenticated.bind_public_account_owners(items))  # type: ignore[arg-type]
    if expect.raises is None:
        assert result == []


@pytest.mark.parametrize(
    ("kwargs", "expect"),
    [
        pytest.param({"concurrency": None}, typeerror("concurrency must be int, not NoneType"), id="concurrency-None"),
        pytest.param({"concurrency": "8"}, typeerror("concurrency must be int, not str"), id="concurrency-str"),
        pytest.param({"concurrency": 2.0}, typeerror("concurrency must be int, not float"), id="concurrency-float"),
        pytest.param({"concurrency": True}, typeerror("concurrency must be int, not bool"), id="concurrency-bool"),
        pytest.param({"concurrency": 0}, invalid("concurrency must be at least 1"), id="concurrency-zero"),
        pytest.param({"concurrency": -1}, invalid("concurrency must be at least 1"), id="concurrency-negative"),
        pytest.param({"concurrency": 2**70}, invalid("concurrency is out of range"), id="concurrency-2**70"),
        pytest.param({"progress": 5}, typeerror("progress must be callable or None, not int"), id="progress-int"),
        pytest.param({"progress": "print"}, typeerror("progress must be callable or None, not str"), id="progress-str"),
    ],
)
def test_bind_public_account_owners_options(
    authenticated: eiam.Client, mock: MockServer, kwargs: "dict[str, Any]", expect: Expect
) -> None:
    items = [(VALID["app_id"], VALID["app_user_id"], VALID["user_name"])]
    check(expect, mock, lambda: authenticated.bind_public_account_owners(items, **kwargs))


def test_a_surrogate_item_fails_alone_and_counts_in_the_progress(
    authenticated: eiam.Client, mock: MockServer
) -> None:
    seen: "list[tuple[int, ...]]" = []
    items = [("demo-app", "pub-1", "zhangsan"), ("demo-app", "pub-\udcff", "zhangsan")]
    results = authenticated.bind_public_account_owners(
        items, concurrency=1, progress=lambda *p: seen.append(p)
    )
    assert results[0].ok and not results[1].ok
    assert isinstance(results[1].error, eiam.InvalidArgumentError)
    # The unreadable item is part of the job: progress reaches the total.
    assert seen == [(1, 2, 0), (2, 2, 1)]
    assert mock.stats.api_requests == 1


def test_table_size() -> None:
    # Every table row covers every input (row() checks that); this pins
    # the number of cases so that a shrinking table is noticed.
    assert len(cases(CLIENT_STRINGS)) == 7 * len(INPUTS)
    assert len(cases(BULK_FIELDS)) == 3 * len(INPUTS)
    assert len(cases(ACCOUNT_IDS)) * len(ACCOUNT_CALLS) == 8 * len(INPUTS)

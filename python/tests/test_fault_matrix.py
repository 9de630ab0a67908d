"""The fault matrix of docs/reliability.md, through the Python API: for each fault, the
exception (or success), the requests the server saw and the time taken; and
no secret or token in any exception, repr or log record."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import Callable

import pytest

import eiam
from eiam.testing import MockServer

SECRET = "matrix-secret-5f0c9e1d"
# The mock's tokens look like UUIDs; none may show up anywhere.
TOKEN_SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
OWNER = '{"user_id":"u1","user_name":"zhangsan","disabled":%s}'


@dataclass
class Row:
    fault: str
    setup: Callable[[MockServer], object]
    expect: type[BaseException] | None
    status: int | None = None
    requests: tuple[int, int] = (1, 1)  # token requests, API requests
    max_seconds: float = 0.3
    min_seconds: float = 0.0
    timeout: float = 3.0
    calls: int = 1
    bind: bool = False
    ids: list[str] = field(default_factory=list)


def token_answer(mock: MockServer, expires_in: str | None) -> None:
    token = mock.issue_token()
    lifetime = "" if expires_in is None else f',"expires_in":{expires_in}'
    mock.fail_next(1, status=200, body=f'{{"access_token":"{token}"{lifetime}}}', target="token")


ROWS = [
    Row("reset before the status line, once", lambda m: m.cut_next("before_status_line"), None, requests=(1, 2), max_seconds=0.6),
    Row("reset before the status line, every time", lambda m: m.cut_next("before_status_line", 9), eiam.TransportError, requests=(1, 3), max_seconds=1.0),
    Row("reset in the headers, once", lambda m: m.cut_next("in_headers"), None, requests=(1, 2), max_seconds=0.6),
    Row("reset mid-body, once", lambda m: m.cut_next("mid_body"), None, requests=(1, 2), max_seconds=0.6),
    Row("reset mid-body, every time", lambda m: m.cut_next("mid_body", 9), eiam.TransportError, 200, requests=(1, 3), max_seconds=1.0),
    Row("truncated body, once", lambda m: m.cut_next("mid_body", ending="close"), None, requests=(1, 2), max_seconds=0.6),
    Row("truncated body, every time", lambda m: m.cut_next("mid_body", 9, ending="close"), eiam.TransportError, 200, requests=(1, 3), max_seconds=1.0),
    Row("closed without an answer, once", lambda m: m.close_next(1), None, requests=(1, 2), max_seconds=0.6),
    Row("trickled past a 1 s deadline", lambda m: m.trickle_next(0.05), eiam.TimeoutError, timeout=1.0, min_seconds=0.95, max_seconds=1.5),
    Row("502 with an HTML page, once", lambda m: m.fail_next(1, 502, body=HTML_502, content_type="text/html"), None, requests=(1, 2), max_seconds=0.6),
    Row("502 with an HTML page, every time", lambda m: m.fail_next(9, 502, body=HTML_502, content_type="text/html"), eiam.ProtocolError, 502, requests=(1, 3), max_seconds=1.0),
    Row("503 twice, then success", lambda m: m.fail_next(2, 503), None, requests=(1, 3), max_seconds=1.0),
    Row("503 every time", lambda m: m.fail_next(9, 503), eiam.ApiError, 503, requests=(1, 3), max_seconds=1.0),
    Row("429 with Retry-After: 1 once", lambda m: m.fail_next(1, 429, retry_after="1"), None, requests=(1, 2), min_seconds=1.0, max_seconds=1.5),
    Row("429 with Retry-After: 1 every time, deadline 1.5 s", lambda m: m.fail_next(9, 429, retry_after="1"), eiam.ApiError, 429, requests=(1, 2), timeout=1.5, min_seconds=1.0, max_seconds=1.4),
    Row("503 with Retry-After beyond the deadline", lambda m: m.fail_next(9, 503, retry_after="30"), eiam.ApiError, 503),
    Row("10 MiB body", lambda m: m.fail_next(1, 200, body=b" " * (10 << 20)), eiam.ProtocolError, 200, max_seconds=1.0),
    Row("invalid UTF-8", lambda m: m.fail_next(1, 200, body=b'{"user_name":"\xff\xfe"}'), eiam.ProtocolError, 200),
    Row("invalid JSON", lambda m: m.fail_next(1, 200, body='{"user_id":'), eiam.ProtocolError, 200),
    Row("400 that is not JSON", lambda m: m.fail_next(1, 400, body="Bad Request", content_type="text/plain"), eiam.ProtocolError, 400),
    Row("extra fields", lambda m: m.fail_next(1, 200, body='{"user_id":"u1","user_name":"z","disabled":false,"x":[{}]}'), None),
    Row("a missing field", lambda m: m.fail_next(1, 200, body='{"user_id":"u1","disabled":false}'), eiam.ProtocolError, 200),
    Row("a null field", lambda m: m.fail_next(1, 200, body=OWNER % "null"), eiam.ProtocolError, 200),
    Row("a wrongly typed field", lambda m: m.fail_next(1, 200, body=OWNER % '"no"'), eiam.ProtocolError, 200),
    Row("bind answered without account_id", lambda m: m.fail_next(1, 200, body="{}"), eiam.ProtocolError, 200, bind=True),
    Row("token endpoint: 500", lambda m: m.fail_next(1, 500, target="token"), eiam.ApiError, 500, requests=(1, 0)),
    Row("token endpoint: 503 once", lambda m: m.fail_next(1, 503, target="token"), None, requests=(2, 1), max_seconds=0.6),
    Row("token endpoint: garbage", lambda m: m.fail_next(1, 200, body="<<garbage>>", target="token"), eiam.ProtocolError, 200, requests=(1, 0)),
    Row("token endpoint: no access_token", lambda m: m.fail_next(1, 200, body='{"expires_in":1}', target="token"), eiam.ProtocolError, 200, requests=(1, 0)),
    Row("expires_in 0: used once", lambda m: token_answer(m, "0"), None, requests=(2, 2), calls=2),
    Row("expires_in negative: used once", lambda m: token_answer(m, "-5"), None, requests=(2, 2), calls=2),
    Row("expires_in missing: default lifetime", lambda m: token_answer(m, None), None, requests=(1, 2), calls=2),
    Row("expires_in huge: capped", lambda m: token_answer(m, "1e300"), None, requests=(1, 2), calls=2),
    Row("expires_in not a number: default", lambda m: token_answer(m, '"soon"'), None, requests=(1, 2), calls=2),
]


def visible_strings(client: eiam.Client, errors: list[eiam.EiamError], records: list[logging.LogRecord]) -> list[str]:
    seen = [repr(client)]
    for e in errors:
        seen += [str(e), repr(e), e.message, repr(e.args), str(e.code)]
    seen += [r.getMessage() for r in records]
    return seen


@pytest.mark.parametrize("row", ROWS, ids=[r.fault for r in ROWS])
def test_fault(row: Row, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="eiam")
    with MockServer(client_secret=SECRET) as mock:
        row.setup(mock)
        client = eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=SECRET, timeout=row.timeout)
        errors: list[eiam.EiamError] = []
        started = time.monotonic()
        for _ in range(row.calls):
            try:
                if row.bind:
                    client.bind_public_account_owner("demo-app", "pub-2", "lisi")
                else:
                    client.get_public_account_owner("demo-app", "pub-1")
            except eiam.EiamError as e:
                errors.append(e)
        elapsed = time.monotonic() - started
        stats = mock.stats

    if row.expect is None:
        assert errors == []
    else:
        assert len(errors) == row.calls
        for error in errors:
            assert type(error) is row.expect, repr(error)
            assert error.http_status == row.status, repr(error)
    assert (stats.token_requests, stats.api_requests) == row.requests
    assert row.min_seconds <= elapsed <= row.max_seconds, elapsed
    for text in visible_strings(client, errors, caplog.records):
        assert SECRET not in text
        assert not TOKEN_SHAPE.search(text), text


def test_connection_refused_is_a_transport_error_after_three_attempts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="eiam")
    with MockServer() as mock:
        url = mock.base_url
    # The mock is closed: nothing listens on its port any more.
    client = eiam.Client(url, client_id="c", client_secret=SECRET, timeout=3.0)
    started = time.monotonic()
    with pytest.raises(eiam.TransportError) as info:
        client.get_public_account_owner("demo-app", "pub-1")
    assert time.monotonic() - started < 1.0
    retries = [r for r in caplog.records if " retry " in r.getMessage()]
    assert len(retries) == 2
    assert SECRET not in str(info.value) + repr(info.value) + repr(client)

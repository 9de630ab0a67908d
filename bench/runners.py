"""The contenders: eiam through Python, the Python HTTP libraries a user
would write instead (requests, httpx, urllib3, pycurl), the Rust and C
bench programs, and wrk.

Every contender does the same work per call: send the owner query (GET) or
the bind (POST) with a bearer token, Accept and Content-Type JSON, and parse
the JSON answer. A runner opens a session: a fresh client (one token
request), warmed up, that times as many calls as it is asked for.
"""

from __future__ import annotations

import json
import os
import re
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import eiam

from server import Mock

OWNER_PATH = "/api/v2/tenant/applications/demo-app/accounts/public-account/{}/owner"
GET_PATH = OWNER_PATH.format("pub-1")
BIND_PATH = OWNER_PATH.format("pub-2")
BIND_BODY = b'{"user_name":"zhangsan"}'
WARMUP = 100
THREADS = 8
BOTH = ("get", "bind")


@dataclass
class Session:
    """A contender's client, made and warmed up: `time(calls)` makes that
    many calls and returns the seconds they took; `close()` releases it."""

    time: Callable[[int], float]
    close: Callable[[], None] = lambda: None


# A contender: (mock, op, threads) -> a session of `threads` threads.
Runner = Callable[[Mock, str, int], Session]


@dataclass
class Contender:
    name: str
    runner: Runner
    threads: int = 1
    ops: tuple[str, ...] = ("get", "bind")
    # Talks over one connection at a time: runs pinned (see
    # `scheduling.placement`).
    sequential: bool = True
    # Can be timed in slices between other contenders' (keeps its client
    # between them): see `scheduling.measure_all`.
    sliceable: bool = True


def in_threads(calls: int, threads: int, work: Callable[[int, int], None]) -> float:
    """Runs work(thread index, share) in `threads` threads (one: the calling
    thread); returns the wall time."""
    if threads == 1:
        started = time.perf_counter()
        work(0, calls)
        return time.perf_counter() - started
    shares = [calls // threads + (i < calls % threads) for i in range(threads)]
    errors: list[BaseException] = []

    def body(index: int, share: int) -> None:
        try:
            work(index, share)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    workers = [threading.Thread(target=body, args=(i, s)) for i, s in enumerate(shares)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def eiam_runner(mode: str) -> Runner:
    def open_session(mock: Mock, op: str, threads: int) -> Session:
        client = eiam.Client(mock.url, client_id=mock.client_id, client_secret=mock.client_secret,
                             ca_file=mock.ca_file)

        def call() -> None:
            if op == "get":
                client.get_public_account_owner("demo-app", "pub-1")
            else:
                client.bind_public_account_owner("demo-app", "pub-2", "zhangsan")

        for _ in range(WARMUP):
            call()

        def bulk(calls: int) -> float:
            items = [("demo-app", "pub-2", "zhangsan")] * calls
            started = time.perf_counter()
            results = client.bind_public_account_owners(items, concurrency=THREADS)
            elapsed = time.perf_counter() - started
            assert all(r.ok for r in results)
            return elapsed

        def work(_: int, share: int) -> None:
            for _ in range(share):
                call()

        def calls_in_threads(calls: int) -> float:
            return in_threads(calls, threads, work)

        return Session(bulk if mode == "bulk" else calls_in_threads)

    return open_session


def http_runner(make: Callable[[Mock, str], Callable[[str], None]]) -> Runner:
    """A plain HTTP library: `make(mock, token)` returns a per-thread
    `call(op)`; each thread makes its own with a shared token."""

    def open_session(mock: Mock, op: str, threads: int) -> Session:
        token = mock.token()
        per_thread = [make(mock, token) for _ in range(threads)]
        for call in per_thread:
            for _ in range(WARMUP // threads + 1):
                call(op)

        def work(index: int, share: int) -> None:
            call = per_thread[index]
            for _ in range(share):
                call(op)

        return Session(lambda calls: in_threads(calls, threads, work))

    return open_session


def headers(token: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token, "Accept": "application/json", "Content-Type": "application/json"}


def make_requests(mock: Mock, token: str) -> Callable[[str], None]:
    import requests

    session = requests.Session()
    session.headers.update(headers(token))
    # Per request: a REQUESTS_CA_BUNDLE in the environment overrides the
    # session's `verify`.
    tls = {"verify": mock.ca_file} if mock.ca_file else {}

    def call(op: str) -> None:
        if op == "get":
            r = session.get(mock.url + GET_PATH, **tls)
        else:
            r = session.post(mock.url + BIND_PATH, data=BIND_BODY, **tls)
        r.raise_for_status()
        r.json()

    return call


def make_httpx(mock: Mock, token: str) -> Callable[[str], None]:
    import httpx

    client = httpx.Client(base_url=mock.url, headers=headers(token), verify=tls_context(mock))

    def call(op: str) -> None:
        r = client.get(GET_PATH) if op == "get" else client.post(BIND_PATH, content=BIND_BODY)
        r.raise_for_status()
        r.json()

    return call


def tls_context(mock: Mock) -> ssl.SSLContext:
    """Verification as each library does by default, trusting the mock's CA
    when it has one."""
    return ssl.create_default_context(cafile=mock.ca_file)


def setup_pycurl(handle: Any, mock: Mock, token: str) -> None:
    import pycurl

    handle.setopt(pycurl.HTTPHEADER, [f"{k}: {v}" for k, v in headers(token).items()])
    if mock.ca_file:
        handle.setopt(pycurl.CAINFO, mock.ca_file)


def make_urllib3(mock: Mock, token: str) -> Callable[[str], None]:
    import urllib3

    pool = urllib3.PoolManager(headers=headers(token), ssl_context=tls_context(mock) if mock.ca_file else None)

    def call(op: str) -> None:
        if op == "get":
            r = pool.request("GET", mock.url + GET_PATH)
        else:
            r = pool.request("POST", mock.url + BIND_PATH, body=BIND_BODY)
        assert r.status == 200, r.status
        json.loads(r.data)

    return call


def make_pycurl(mock: Mock, token: str) -> Callable[[str], None]:
    import io

    import pycurl

    handle = pycurl.Curl()
    setup_pycurl(handle, mock, token)

    def call(op: str) -> None:
        buffer = io.BytesIO()
        handle.setopt(pycurl.WRITEDATA, buffer)
        if op == "get":
            handle.setopt(pycurl.HTTPGET, 1)
            handle.setopt(pycurl.URL, mock.url + GET_PATH)
        else:
            handle.setopt(pycurl.URL, mock.url + BIND_PATH)
            handle.setopt(pycurl.POSTFIELDS, BIND_BODY)
        handle.perform()
        assert handle.getinfo(pycurl.RESPONSE_CODE) == 200
        json.loads(buffer.getvalue())

    return call


def program_session(argv: list[str], env: dict[str, str]) -> tuple[dict[str, object], Session]:
    """A bench program kept running for a session: it prints one JSON line
    once warmed up (returned here), then {"seconds"} for each number of
    calls written to its stdin, and exits with 0 when its stdin closes."""
    process = subprocess.Popen(argv, env=dict(os.environ, **env), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdin and process.stdout
    stdin, stdout = process.stdin, process.stdout
    shown = " ".join(argv)

    def answer() -> dict[str, object]:
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"{shown} failed: exit status {process.wait()}")
        return json.loads(line)  # type: ignore[no-any-return]

    def time_calls(calls: int) -> float:
        stdin.write(f"{calls}\n")
        stdin.flush()
        return float(answer()["seconds"])  # type: ignore[arg-type]

    def close() -> None:
        stdin.close()
        if process.wait(timeout=10) != 0:
            raise RuntimeError(f"{shown}: exit status {process.returncode}")

    try:
        ready = answer()
    except BaseException:
        process.kill()
        raise
    return ready, Session(time_calls, close)


def mock_env(mock: Mock) -> dict[str, str]:
    """What a bench program needs to find the mock and its credentials."""
    return {"EIAM_MOCK_URL": mock.url, "EIAM_MOCK_CLIENT_ID": mock.client_id,
            "EIAM_MOCK_CLIENT_SECRET": mock.client_secret,
            **({"EIAM_MOCK_CA_FILE": mock.ca_file} if mock.ca_file else {})}


def native_runner(program: Path) -> Runner:
    """The Rust or C bench program (see `program_session`); its first line
    is {"first_call_us"}."""

    def open_session(mock: Mock, op: str, threads: int) -> Session:
        ready, session = program_session([str(program), op, str(threads)], mock_env(mock))
        FIRST_CALL_US.setdefault(program, []).append(float(ready["first_call_us"]))  # type: ignore[arg-type]
        return session

    return open_session


# Microseconds to a first call, of every session of each native program.
FIRST_CALL_US: dict[Path, list[float]] = {}


def wrk_runner(connections: int, seconds: float) -> Runner:
    """wrk runs for a whole number of seconds rather than a number of
    calls; its session reports the time `calls` would take at its rate."""

    def open_session(mock: Mock, op: str, threads: int) -> Session:
        token = mock.token()
        return Session(lambda calls: calls / wrk_rate(mock, token, op, connections, seconds))

    return open_session


def wrk_rate(mock: Mock, token: str, op: str, connections: int, seconds: float) -> float:
    """Calls per second of one wrk run, every answer a 200."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    with script:
        script.write(f'wrk.method = "{"GET" if op == "get" else "POST"}"\n')
        for k, v in headers(token).items():
            script.write(f'wrk.headers["{k}"] = "{v}"\n')
        if op == "bind":
            script.write(f"wrk.body = '{BIND_BODY.decode()}'\n")
    path = GET_PATH if op == "get" else BIND_PATH
    try:
        out = subprocess.run(
            ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
             "-s", script.name, mock.url + path],
            check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert errors is None, out
    return rate


def contenders(rust: Path, c: Path, seconds: float, with_alternatives: bool) -> list[Contender]:
    ours = [
        Contender("Rust core", native_runner(rust)),
        Contender("C ABI", native_runner(c)),
        Contender("Python eiam", eiam_runner("calls")),
        Contender("Python eiam, 8 threads", eiam_runner("calls"), threads=THREADS, sequential=False),
        Contender("Python eiam, bulk (concurrency 8)", eiam_runner("bulk"), ops=("bind",), sequential=False),
        Contender("Rust core, 8 threads", native_runner(rust), threads=THREADS, sequential=False),
    ]
    others = [
        Contender("requests.Session", http_runner(make_requests)),
        Contender("httpx.Client", http_runner(make_httpx)),
        Contender("urllib3.PoolManager", http_runner(make_urllib3)),
        Contender("pycurl", http_runner(make_pycurl)),
        Contender("pycurl, 8 threads (a handle each)", http_runner(make_pycurl), threads=THREADS,
                  sequential=False),
    ]
    ceiling = [
        Contender("wrk -c1 (ceiling)", wrk_runner(1, seconds), sliceable=False),
        Contender("wrk -c8", wrk_runner(8, seconds), sequential=False),
    ]
    return ours + (others if with_alternatives else []) + ceiling


def first_call_python(mock: Mock) -> float:
    """Microseconds to create a Python client and make its first call."""
    started = time.perf_counter()
    client = eiam.Client(mock.url, client_id=mock.client_id, client_secret=mock.client_secret, ca_file=mock.ca_file)
    client.get_public_account_owner("demo-app", "pub-1")
    return (time.perf_counter() - started) * 1e6

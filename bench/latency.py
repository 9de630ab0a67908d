"""Latency rows (issue 20): the clients talk to the mock through toxiproxy,
which holds every chunk 20 ms on the way in and 20 ms on the way out, so
a round trip takes RTT = 40 ms as over a WAN; the mock itself answers at
once.

- Sequential owner queries: Python eiam against pycurl, in alternating
  runs on the same proxy.
- Bulk binding (`bind_public_account_owners`) at concurrency 8 and 64.
- Python eiam with 8 threads sharing one client.
- Token fetch: a fresh client's first call costs the token request's one
  round trip more than its second call, over the same connection (the
  mock counts the connections that carried a request).

Each rate is judged against the ideal, calls in flight / RTT.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import eiam

from runners import in_threads, make_pycurl
from server import Mock
from targets import Verdict

ONE_WAY_MS = 20
RTT = 2 * ONE_WAY_MS / 1000
THREADS = 8
BULK_CONCURRENCY = (8, 64)


class Toxiproxy:
    """toxiproxy's server on a loopback port, driven through its HTTP API."""

    def __init__(self, binary: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.api = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([str(binary), "-host", "127.0.0.1", "-port", str(port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.call("GET", "/version")
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"toxiproxy ({binary}) did not start on port {port}")
                time.sleep(0.05)

    def call(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.api + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as r:
            text = r.read()
        return json.loads(text) if text.strip().startswith((b"{", b"[")) else text

    def delayed(self, mock: Mock, name: str) -> Mock:
        """A proxy to `mock` that holds each chunk ONE_WAY_MS each way: the
        mock as the clients then see it."""
        upstream = mock.url.removeprefix("http://")
        created = self.call("POST", "/proxies", {"name": name, "listen": "127.0.0.1:0", "upstream": upstream})
        for stream in ("upstream", "downstream"):
            self.call("POST", f"/proxies/{name}/toxics",
                      {"type": "latency", "stream": stream, "attributes": {"latency": ONE_WAY_MS}})
        listen = created["listen"]  # type: ignore[index]
        return Mock(f"http://{listen}", mock.client_id, mock.client_secret, mock.process)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@dataclass
class LatencyResults:
    # calls/s of each run, by row name.
    rates: dict[str, list[float]] = field(default_factory=dict)
    # Per-run ratio of Python eiam to pycurl, sequential.
    to_pycurl: list[float] = field(default_factory=list)
    # Token fetch: extra round trips of a first call, connections it opened,
    # token requests it made; one of each per run.
    extra_round_trips: list[float] = field(default_factory=list)
    connections: list[int] = field(default_factory=list)
    token_requests: list[int] = field(default_factory=list)

    def add(self, row: str, calls: int, seconds: float) -> None:
        self.rates.setdefault(row, []).append(calls / seconds)


SEQUENTIAL, PYCURL, PY_THREADS = "Python eiam, sequential", "pycurl, sequential", f"Python eiam, {THREADS} threads"


def bulk_row(concurrency: int) -> str:
    return f"Python eiam, bulk bind (concurrency {concurrency})"


IDEAL = {SEQUENTIAL: 1 / RTT, PYCURL: 1 / RTT, PY_THREADS: THREADS / RTT,
         **{bulk_row(c): c / RTT for c in BULK_CONCURRENCY}}


def client(mock: Mock) -> eiam.Client:
    return eiam.Client(mock.url, client_id=mock.client_id, client_secret=mock.client_secret)


def timed(work: object, *args: object) -> float:
    started = time.perf_counter()
    work(*args)  # type: ignore[operator]
    return time.perf_counter() - started


def measure(toxiproxy_binary: Path, mock: Mock, runs: int, seconds: float) -> LatencyResults:
    """`runs` rounds of every row, each run about `seconds` long (at the
    ideal rate)."""
    proxy = Toxiproxy(toxiproxy_binary)
    try:
        slow = proxy.delayed(mock, "latency")
        return _measure(slow, runs, seconds)
    finally:
        proxy.stop()


def _measure(slow: Mock, runs: int, seconds: float) -> LatencyResults:
    out = LatencyResults()
    ours = client(slow)
    query = lambda: ours.get_public_account_owner("demo-app", "pub-1")  # noqa: E731
    pycurl_call = make_pycurl(slow, slow.token())
    for _ in range(3):
        query()
        pycurl_call("get")
    sequential_calls = max(3, round(seconds / RTT))
    thread_calls = max(THREADS, round(seconds * THREADS / RTT))
    ours.bind_public_account_owners([("demo-app", "pub-2", "zhangsan")] * max(BULK_CONCURRENCY),
                                    concurrency=max(BULK_CONCURRENCY))
    for _ in range(runs):
        ours_s = timed(lambda: [query() for _ in range(sequential_calls)])
        theirs_s = timed(lambda: [pycurl_call("get") for _ in range(sequential_calls)])
        out.add(SEQUENTIAL, sequential_calls, ours_s)
        out.add(PYCURL, sequential_calls, theirs_s)
        out.to_pycurl.append(theirs_s / ours_s)

        def work(_: int, share: int) -> None:
            for _ in range(share):
                query()

        out.add(PY_THREADS, thread_calls, in_threads(thread_calls, THREADS, work))
        for concurrency in BULK_CONCURRENCY:
            items = [("demo-app", "pub-2", "zhangsan")] * max(concurrency, round(seconds * concurrency / RTT))
            started = time.perf_counter()
            results = ours.bind_public_account_owners(items, concurrency=concurrency)
            out.add(bulk_row(concurrency), len(items), time.perf_counter() - started)
            failed = [r for r in results if not r.ok]
            assert not failed, failed[0]
        token_fetch(slow, out)
    return out


def token_fetch(slow: Mock, out: LatencyResults) -> None:
    """A fresh client: its first call (token request, then the query)
    against its second (the query alone)."""
    before = slow.stats()
    fresh = client(slow)
    first = timed(fresh.get_public_account_owner, "demo-app", "pub-1")
    second = timed(fresh.get_public_account_owner, "demo-app", "pub-1")
    after = slow.stats()
    out.extra_round_trips.append((first - second) / RTT)
    out.connections.append(after["connections"] - before["connections"])
    out.token_requests.append(after["token_requests"] - before["token_requests"])


def verdicts(r: LatencyResults) -> list[Verdict]:
    op = f"query or bind, {ONE_WAY_MS} ms each way (toxiproxy)"
    found = []

    def at_least(target: str, value: float, limit: float, shown: str) -> None:
        found.append(Verdict(target, op, shown, value >= limit, target))

    rtt_ms = round(RTT * 1000)
    for row, share, label in ((SEQUENTIAL, 0.95, f"1 / RTT ({rtt_ms} ms)"),
                              (PY_THREADS, 0.9, f"{THREADS} / RTT"),
                              *((bulk_row(c), 0.9, f"{c} / RTT") for c in BULK_CONCURRENCY)):
        if row in r.rates:
            value = statistics.median(r.rates[row]) / IDEAL[row]
            at_least(f"{row} ≥ {share} × {label}", value, share, f"{value:.2f}")
    if r.to_pycurl:
        value = statistics.median(r.to_pycurl)
        at_least("Python eiam, sequential, within 2% of pycurl (≥ 0.98 ×)", value, 0.98, f"{value:.3f}")
    if r.extra_round_trips:
        trips = statistics.median(r.extra_round_trips)
        one = 0.5 <= trips <= 1.5 and set(r.connections) == {1} and set(r.token_requests) == {1}
        found.append(Verdict("token fetch: one extra round trip, one connection", op,
                             f"{trips:.2f} round trips, {'/'.join(map(str, sorted(set(r.connections))))} "
                             "connection(s)", one, "token fetch: one extra round trip, one connection"))
    return found


def problems(r: LatencyResults) -> list[str]:
    """What says the rows did not run (checked in quick mode too)."""
    missing = [row for row in IDEAL if not r.rates.get(row) or not min(r.rates[row]) > 0]
    found = [f"latency row {row}: no rate" for row in missing]
    if not r.extra_round_trips:
        found.append("latency row token fetch: did not run")
    if set(r.connections) != {1} or set(r.token_requests) != {1}:
        found.append(f"token fetch: connections {r.connections}, token requests {r.token_requests} (expected 1 each)")
    return found


def section(r: LatencyResults, runs: int) -> list[str]:
    rtt_ms = round(RTT * 1000)
    lines = [
        "", f"## Latency (toxiproxy, {ONE_WAY_MS} ms each way)", "",
        f"toxiproxy between the clients and the mock holds every chunk {ONE_WAY_MS} ms on the way in and "
        f"{ONE_WAY_MS} ms on the way out (RTT {rtt_ms} ms); the mock answers at once. Median of {runs} "
        "runs; the ideal is the calls in flight / RTT.", "",
        "| row | calls/s | runs (calls/s) | × ideal |", "|---|---:|---:|---:|",
    ]
    for row, ideal in IDEAL.items():
        rates = r.rates.get(row)
        if rates:
            lines.append(f"| {row} | {statistics.median(rates):,.1f} | {min(rates):,.1f}–{max(rates):,.1f} | "
                         f"{statistics.median(rates) / ideal:.2f} |")
    if r.extra_round_trips:
        lines += ["", f"Token fetch: a fresh client's first call took "
                  f"{statistics.median(r.extra_round_trips):.2f} round trips more than its second "
                  f"(runs: {', '.join(f'{x:.2f}' for x in r.extra_round_trips)}), over "
                  f"{'/'.join(map(str, sorted(set(r.connections))))} connection(s), with "
                  f"{'/'.join(map(str, sorted(set(r.token_requests))))} token request(s)."]
    return lines

"""The HTTPS rows (issue 20): the contenders against `eiam-mock --https`
(a CA made at start, which every client trusts and verifies against),
keep-alive and with a new connection per call (with and without TLS
session resumption); each client's creation and first call over TLS; and
the CPU time per keep-alive call (getrusage) of the Python clients."""

from __future__ import annotations

import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import runners
from runners import BOTH, Contender, http_runner
from scheduling import measure_all, placement
from server import Mock, start_mock
from stats import Results, ratio

KEEP_ALIVE = ("Python eiam", "pycurl", "requests.Session", "httpx.Client", "Rust core", "wrk -c1 (ceiling)")
CPU_ROWS = ("Python eiam", "pycurl", "requests.Session", "httpx.Client")
# New connection per call: on a mock that closes every connection after one
# answer and resumes TLS sessions, and on one that resumes none.
RESUMED = ("Python eiam, new connection per call (resumed)", "pycurl, one handle, new connection per call (resumed)")
FULL = ("Python eiam, new connection per call (full handshake)", "pycurl, new handle per call")
FIRST_CALLS = 5


def make_pycurl_new_handle(mock: Mock, token: str) -> Callable[[str], None]:
    """pycurl as a short script writes it: a new handle for each call, so
    each call connects and handshakes afresh (no session cache kept)."""
    import json

    import pycurl

    def call(op: str) -> None:
        handle = pycurl.Curl()
        try:
            runners.setup_pycurl(handle, mock, token)
            buffer = io.BytesIO()
            handle.setopt(pycurl.WRITEDATA, buffer)
            if op == "get":
                handle.setopt(pycurl.URL, mock.url + runners.GET_PATH)
            else:
                handle.setopt(pycurl.URL, mock.url + runners.BIND_PATH)
                handle.setopt(pycurl.POSTFIELDS, runners.BIND_BODY)
            handle.perform()
            assert handle.getinfo(pycurl.RESPONSE_CODE) == 200
            json.loads(buffer.getvalue())
        finally:
            handle.close()

    return call


@dataclass
class HttpsResults:
    keep_alive: Results
    # Both mocks' rows, by (name, op).
    new_connection: Results
    # Microseconds to a client and its first call, by client.
    first_call: dict[str, float]
    # Microseconds of CPU (user + system) per call, by (name, op).
    cpu: dict[tuple[str, str], float]
    cpu_calls: int
    problems: list[str] = field(default_factory=list)


def start_https_mock(binary: Path, directory: str, *flags: str) -> Mock:
    ca_file = os.path.join(directory, f"ca-{len(os.listdir(directory))}.pem")
    return start_mock(binary, flags=("--https", ca_file, *flags), ca_file=ca_file)


def measure(binary: Path, rust: Path, c: Path, runs: int, seconds: float, seed: int,
            quick: bool) -> HttpsResults:
    every = {row.name: row for row in runners.contenders(rust, c, seconds, with_alternatives=True)}
    keep_alive = [every[name] for name in KEEP_ALIVE]
    eiam_calls = every["Python eiam"]
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="eiam-bench-tls-") as directory:
        mock = start_https_mock(binary, directory)
        try:
            kept = measure_all(mock, keep_alive, runs, seconds, seed)
            runners.FIRST_CALL_US.clear()
            for _ in range(FIRST_CALLS):
                for program in (rust, c):
                    runners.native_runner(program)(mock, "get", 1).close()
            first_call = {("Rust core" if k == rust else "C ABI"): statistics.median(v)
                          for k, v in runners.FIRST_CALL_US.items()}
            first_call["Python eiam (new process)"] = statistics.median(
                first_call_python_new_process(mock) for _ in range(FIRST_CALLS))
            first_call["Python eiam (trust store already loaded)"] = statistics.median(
                runners.first_call_python(mock) for _ in range(FIRST_CALLS))
            calls = 300 if quick else 20_000
            cpu = cpu_per_call(mock, [every[name] for name in CPU_ROWS], calls, 1 if quick else 5)
            stats = mock.stats()
            # Keep-alive: a handful of connections per session, not one per call.
            if stats["connections"] * 20 > stats["api_requests"]:
                problems.append(f"HTTPS keep-alive: {stats['connections']} connections for "
                                f"{stats['api_requests']} calls")
        finally:
            mock.stop()
        new_connection: Results = {}
        for names, flags, resumed in ((RESUMED, ("--close-connections",), True),
                                      (FULL, ("--close-connections", "--no-tls-resumption"), False)):
            rows = [Contender(names[0], eiam_calls.runner),
                    Contender(names[1], http_runner(runners.make_pycurl if resumed else make_pycurl_new_handle))]
            mock = start_https_mock(binary, directory, *flags)
            try:
                new_connection.update(measure_all(mock, rows, runs, seconds, seed))
                stats = mock.stats()
            finally:
                mock.stop()
            # Every call on a connection of its own, and resumed (or not) as meant.
            if stats["connections"] < stats["api_requests"]:
                problems.append(f"new connection per call: {stats['connections']} connections for "
                                f"{stats['api_requests']} calls")
            if resumed and stats["tls_resumed"] < stats["connections"] * 0.9:
                problems.append(f"resumption: only {stats['tls_resumed']} of {stats['connections']} resumed")
            if not resumed and stats["tls_resumed"]:
                problems.append(f"no resumption: yet {stats['tls_resumed']} resumed")
    return HttpsResults(kept, new_connection, first_call, cpu, calls, problems)


def cpu_per_call(mock: Mock, chosen: list[Contender], calls: int, rounds: int) -> dict[tuple[str, str], float]:
    """This process's user + system CPU time per call (getrusage: the
    client's threads, not the mock's process) of each contender's
    keep-alive session, over `calls` calls in each of `rounds` rounds,
    taken in turn; the median round."""
    per_round: dict[tuple[str, str], list[float]] = {}
    sessions = []
    try:
        for contender in chosen:
            for op in BOTH:
                sessions.append(((contender.name, op), contender, contender.runner(mock, op, 1)))
        for _ in range(rounds):
            for key, contender, session in sessions:
                with placement(mock, contender):
                    before = resource.getrusage(resource.RUSAGE_SELF)
                    session.time(calls)
                    after = resource.getrusage(resource.RUSAGE_SELF)
                used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                per_round.setdefault(key, []).append(used / calls * 1e6)
    finally:
        for _, _, session in sessions:
            session.close()
    return {key: statistics.median(values) for key, values in per_round.items()}


FIRST_CALL_SCRIPT = """
import sys, time
import eiam
url, client_id, secret, ca_file = sys.argv[1:]
started = time.perf_counter()
client = eiam.Client(url, client_id=client_id, client_secret=secret, ca_file=ca_file)
client.get_public_account_owner("demo-app", "pub-1")
print((time.perf_counter() - started) * 1e6)
"""


def first_call_python_new_process(mock: Mock) -> float:
    """Microseconds to a Python client and its first call in a process
    that has not read the platform trust store yet (`import eiam` not
    counted)."""
    assert mock.ca_file
    out = subprocess.run([sys.executable, "-c", FIRST_CALL_SCRIPT, mock.url, mock.client_id,
                          mock.client_secret, mock.ca_file], check=True, capture_output=True, text=True)
    return float(out.stdout)


def problems(results: HttpsResults, rows: tuple[str, ...]) -> list[str]:
    """Every row ran, with one token request per run."""
    found = list(results.problems)
    for table in (results.keep_alive, results.new_connection):
        for (name, op), r in table.items():
            if set(r.token_requests) != {1} or not r.rate > 0:
                found.append(f"HTTPS {name} {op}: token requests per run {r.token_requests}, rate {r.rate}")
    expected = {(name, op) for name in rows for op in BOTH}
    got = set(results.keep_alive) | set(results.new_connection)
    found += [f"HTTPS: missing {k}" for k in sorted(expected - got)]
    found += [f"CPU per call: missing {name} {op}" for name in CPU_ROWS for op in BOTH
              if (name, op) not in results.cpu]
    return found


ALL_ROWS = KEEP_ALIVE + RESUMED + FULL


def section(results: HttpsResults) -> list[str]:
    """The HTTPS and CPU tables of BENCHMARKS.md."""
    keep = results.keep_alive
    lines = [
        "", "## HTTPS", "",
        "A second mock, `eiam-mock --https CA_FILE`, serves TLS (rustls; TLS 1.3 here) with a certificate "
        "from a CA it makes at start; every client verifies it against that CA (eiam with `ca_file`, "
        "beside the platform store; pycurl `CAINFO`; requests `verify`; httpx an `ssl` context; wrk does "
        "not verify). Same runs, slices and ratios as the tables above.",
        "",
        "### Keep-alive, sequential", "",
        "| client | query calls/s | bind calls/s | × pycurl (query, bind) | × wrk -c1 (query, bind) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in KEEP_ALIVE:
        if (name, "get") not in keep:
            continue
        rates = " | ".join(f"{keep[(name, op)].rate:,.0f}" for op in BOTH)
        vs = " | ".join(", ".join(f"{ratio(keep, name, other, op):.2f}" for op in BOTH)
                        for other in ("pycurl", "wrk -c1 (ceiling)"))
        lines.append(f"| {name} | {rates} | {vs} |")
    fresh = results.new_connection
    lines += [
        "", "### A new connection per call", "",
        "The mock answers each request with `Connection: close`, so every call opens a connection "
        "and handshakes, as a short-lived CLI or cron job does. *resumed*: the mock keeps TLS sessions "
        "(rustls's in-memory cache, TLS 1.3 tickets) and the client presents the ticket of its last "
        "connection (an abbreviated handshake: no certificate sent or verified); *full handshake*: "
        "`--no-tls-resumption`. pycurl with a new handle per call has no session to resume. "
        "The rows of each mock ran in alternating slices; the two mocks one after the other.",
        "",
        "| client | query calls/s | bind calls/s |", "|---|---:|---:|",
    ]
    for name in RESUMED + FULL:
        if (name, "get") in fresh:
            lines.append(f"| {name} | " + " | ".join(f"{fresh[(name, op)].rate:,.0f}" for op in BOTH) + " |")
    if all((name, op) in fresh for name in (RESUMED[0], FULL[0]) for op in BOTH):
        saving = ", ".join(f"{fresh[(RESUMED[0], op)].rate / fresh[(FULL[0], op)].rate:.2f} ×" for op in BOTH)
        lines += ["", f"Resumption's saving for eiam (resumed over full handshake, query, bind): {saving}."]
    lines += ["", "### Client creation and first call over TLS", "",
              "A new client, its token request and its first owner query, on a new connection with a full "
              "handshake; the first client of a process also reads and parses the platform trust store "
              "(then kept for the process). Median of "
              f"{FIRST_CALLS}.", "",
              "| client | ms (median) |", "|---|---:|"]
    lines += [f"| {k} | {v / 1000:.2f} |" for k, v in results.first_call.items()]
    lines += ["", "## CPU per call", "",
              "User + system CPU time of the client's process (`getrusage`, every thread of it; the mock "
              f"is another process) per keep-alive call over TLS to the HTTPS mock: {results.cpu_calls:,} "
              "calls a round, the contenders in turn, the median round. Python eiam's calls run on the "
              "main thread, each watching for Ctrl-C as it waits (see Findings).",
              "", "| client | query µs CPU/call | bind µs CPU/call | × pycurl (query, bind) |",
              "|---|---:|---:|---:|"]
    for name in CPU_ROWS:
        if (name, "get") in results.cpu:
            cpu = results.cpu
            lines.append(f"| {name} | {cpu[(name, 'get')]:.1f} | {cpu[(name, 'bind')]:.1f} | "
                         + ", ".join(f"{cpu[(name, op)] / cpu[('pycurl', op)]:.2f}" for op in BOTH) + " |")
    return lines

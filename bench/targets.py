"""The targets the report marks PASS or FAIL."""

from __future__ import annotations

from dataclasses import dataclass

import https
import inflight
from runners import BOTH
from stats import Results, ratio, ratio_to_fastest, ratio_to_rate

OP_NAMES = {"get": "query (GET)", "bind": "bind (POST)"}

# (description, numerator, denominator, ops, at least). A per-call target
# holds for the query and for the bind alike.
TARGETS: list[tuple[str, str, str, tuple[str, ...], float]] = [
    ("Python sequential ≥ 0.9 × Rust core", "Python eiam", "Rust core", BOTH, 0.9),
    ("Python sequential ≥ 1.0 × pycurl", "Python eiam", "pycurl", BOTH, 1.0),
    ("Python sequential ≥ 6 × requests", "Python eiam", "requests.Session", BOTH, 6.0),
    ("Python 8 threads ≥ 1.0 × pycurl 8 threads", "Python eiam, 8 threads", "pycurl, 8 threads (a handle each)", BOTH, 1.0),
    ("C ABI ≥ 0.95 × Rust core", "C ABI", "Rust core", BOTH, 0.95),
    ("Rust core ≥ 0.85 × wrk -c1", "Rust core", "wrk -c1 (ceiling)", BOTH, 0.85),
    ("Python 8 threads ≥ 2.5 × Python sequential", "Python eiam, 8 threads", "Python eiam", BOTH, 2.5),
    ("bulk (concurrency 8) ≥ 3 × sequential binds", "Python eiam, bulk (concurrency 8)", "Python eiam", ("bind",), 3.0),
    ("mock not the bottleneck: wrk -c8 ≥ 3 × wrk -c1", "wrk -c8", "wrk -c1 (ceiling)", BOTH, 3.0),
]

# Async, 100 in flight, 20 ms latency: (description, numerator, the rows
# whose fastest is the denominator, or a rate, at least).
ASYNC_TARGETS: list[tuple[str, str, tuple[str, ...] | float, float]] = [
    ("Python AsyncClient ≥ 1.0 × the faster of httpx.AsyncClient and aiohttp", "Python eiam.AsyncClient",
     ("httpx.AsyncClient", "aiohttp"), 1.0),
    (f"Python AsyncClient ≥ 0.8 × the ideal ({inflight.IN_FLIGHT} / {inflight.LATENCY_MS} ms = "
     f"{inflight.IDEAL:,.0f} calls/s)", "Python eiam.AsyncClient", inflight.IDEAL, 0.8),
    ("Node promises ≥ 1.0 × Node fetch", "Node eiam (promises)", ("Node fetch (undici)",), 1.0),
    ("Go, 100 goroutines ≥ 0.9 × net/http, 100 goroutines", "Go eiam, 100 goroutines",
     ("Go net/http, 100 goroutines",), 0.9),
]
ASYNC_OPERATION = f"query, {inflight.IN_FLIGHT} in flight, {inflight.LATENCY_MS} ms"

# A client made and its first call answered within this many microseconds.
FIRST_CALL_LIMIT_US = 5000


# HTTPS (https.py): (description, numerator, denominator, table, at least).
HTTPS_TARGETS: list[tuple[str, str, str, str, float]] = [
    ("HTTPS: Python sequential ≥ 1.0 × pycurl", "Python eiam", "pycurl", "keep_alive", 1.0),
    ("HTTPS: Python sequential ≥ 6 × requests", "Python eiam", "requests.Session", "keep_alive", 6.0),
    ("HTTPS: Python sequential ≥ 3 × httpx", "Python eiam", "httpx.Client", "keep_alive", 3.0),
    ("HTTPS: Rust core ≥ 0.9 × wrk -c1", "Rust core", "wrk -c1 (ceiling)", "keep_alive", 0.9),
    ("HTTPS, new connection per call: Python ≥ 1.0 × pycurl with a new handle", *https.FULL,
     "new_connection", 1.0),
    ("HTTPS, new connection per call, resumed: Python ≥ 1.0 × pycurl's one handle", *https.RESUMED,
     "new_connection", 1.0),
]
# A client made and its first call answered over TLS, the platform store
# read, within this many microseconds.
TLS_FIRST_CALL_LIMIT_US = 20_000
# Python eiam's CPU time per keep-alive call over TLS at most this × pycurl's.
CPU_AT_MOST = 1.0


@dataclass
class Verdict:
    target: str
    operation: str
    measured: str
    ok: bool
    # What FAILED TARGET says when it is not met.
    failure: str


def judge(results: Results, first_call: dict[str, float], concurrent: Results) -> list[Verdict]:
    """Every target whose rows ran, then the first-call target of each
    client timed, then the async targets (`concurrent`: inflight's rows)."""
    verdicts = []
    for description, a, b, ops, at_least in TARGETS:
        for op in ops:
            if (a, op) not in results or (b, op) not in results:
                continue
            value = ratio(results, a, b, op)
            verdicts.append(Verdict(description, OP_NAMES[op], f"{value:.2f}", value >= at_least,
                                    f"{description} ({op})"))
    for name, micros in first_call.items():
        verdicts.append(Verdict(f"{name}: client + first call < 5 ms", OP_NAMES["get"],
                                f"{micros / 1000:.2f} ms", micros < FIRST_CALL_LIMIT_US,
                                f"{name}: first call < 5 ms"))
    op = inflight.OP
    for description, a, against, at_least in ASYNC_TARGETS:
        if isinstance(against, float):
            if (a, op) not in concurrent:
                continue
            value = ratio_to_rate(concurrent, a, against, op)
        else:
            if not all((name, op) in concurrent for name in (a, *against)):
                continue
            value = ratio_to_fastest(concurrent, a, against, op)
        verdicts.append(Verdict(description, ASYNC_OPERATION, f"{value:.2f}", value >= at_least, description))
    return verdicts


def judge_https(results: https.HttpsResults) -> list[Verdict]:
    """The HTTPS, TLS first-call and CPU-per-call targets whose rows ran."""
    verdicts = []
    for description, a, b, table, at_least in HTTPS_TARGETS:
        rows: Results = getattr(results, table)
        for op in BOTH:
            if (a, op) in rows and (b, op) in rows:
                value = ratio(rows, a, b, op)
                verdicts.append(Verdict(description, OP_NAMES[op], f"{value:.2f}", value >= at_least,
                                        f"{description} ({op})"))
    limit_ms = TLS_FIRST_CALL_LIMIT_US / 1000
    for name, micros in results.first_call.items():
        verdicts.append(Verdict(f"{name}: client + first call over TLS < {limit_ms:g} ms", OP_NAMES["get"],
                                f"{micros / 1000:.2f} ms", micros < TLS_FIRST_CALL_LIMIT_US,
                                f"{name}: first call over TLS < {limit_ms:g} ms"))
    cpu = results.cpu
    for op in BOTH:
        if ("Python eiam", op) in cpu and ("pycurl", op) in cpu:
            value = cpu[("Python eiam", op)] / cpu[("pycurl", op)]
            description = f"CPU per call over TLS: Python ≤ {CPU_AT_MOST:g} × pycurl"
            verdicts.append(Verdict(description, OP_NAMES[op], f"{value:.2f}", value <= CPU_AT_MOST,
                                    f"{description} ({op})"))
    return verdicts

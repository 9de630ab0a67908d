"""The targets the report marks PASS or MISS."""

from __future__ import annotations

from dataclasses import dataclass

from runners import BOTH
from stats import Results, ratio

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

# A client made and its first call answered within this many microseconds.
FIRST_CALL_LIMIT_US = 5000


@dataclass
class Verdict:
    target: str
    operation: str
    measured: str
    ok: bool
    # What MISSED TARGET says when it is not met.
    miss: str


def judge(results: Results, first_call: dict[str, float]) -> list[Verdict]:
    """Every target whose rows ran, then the first-call target of each
    client timed."""
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
    return verdicts

"""When and where the timed runs happen: each row's runs sized from a
probe, the sequential rows of an operation timed in interleaved slices,
runs round-robin in a shuffled order, each process placed on its CPU, and
runs the host disturbed taken again."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from runners import BOTH, THREADS, Contender, Session
from server import Mock
from stats import Result, Results


class placement:
    """Where a run's processes run. A sequential client spends most of a
    call waiting for the server to wake up and answer; on a small VM that
    wait depends on whether the scheduler put the two on the same CPU or
    not, and it decides anew for every run. So a sequential run has its
    client (this thread, and the programs it starts, which inherit the
    mask) on one CPU and the mock on another, the same for every contender;
    runs with several connections use every CPU."""

    def __init__(self, mock: Mock, contender: Contender) -> None:
        cpus = sorted(os.sched_getaffinity(0) | os.sched_getaffinity(mock.process.pid))
        self.all = set(cpus)
        self.split = contender.sequential and len(cpus) >= 2
        self.client, self.server = {cpus[0]}, {cpus[1]} if len(cpus) >= 2 else set(cpus)
        self.mock = mock

    def _pin_mock(self, cpus: set[int]) -> None:
        # Every thread of the mock; connection threads started later
        # inherit the accepting thread's mask.
        for task in os.listdir(f"/proc/{self.mock.process.pid}/task"):
            try:
                os.sched_setaffinity(int(task), cpus)
            except ProcessLookupError:
                pass  # a connection thread that has just ended

    def __enter__(self) -> None:
        if self.split:
            self._pin_mock(self.server)
            os.sched_setaffinity(0, self.client)

    def __exit__(self, *_: object) -> None:
        if self.split:
            os.sched_setaffinity(0, self.all)
            self._pin_mock(self.all)


# A run during which the hypervisor gave more than this share of the CPUs'
# time to other guests is taken again, at most ATTEMPTS times in all; the
# least disturbed attempt is kept. A call's rate falls with the time
# stolen, and the benchmark is about our code, not the neighbours.
STEAL_LIMIT = 0.02
ATTEMPTS = 3


def stolen_seconds() -> float:
    """CPU time the hypervisor has given to others, all CPUs together (the
    `steal` column of /proc/stat; 0 where there is none)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return 0.0
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


# A row of the report, and how many calls make one run of it.
Row = tuple[Contender, str, int]
# Each run of a sequential row is this many slices, taken in turn with the
# slices of the other sequential rows of its operation.
SLICES = 10


def interleaved_run(mock: Mock, rows: list[Row], slices: int, rng: random.Random,
                    results: Results) -> dict[tuple[str, str], float]:
    """One run of each row: opens a session of each, then times `slices`
    slices of each in turn (a new order every round). Returns each row's
    rate: its calls over its time, all slices together. Records the token
    requests each row made, counted from before its client was made."""
    sessions: list[tuple[Row, Session]] = []
    tokens: dict[tuple[str, str], int] = {}
    seconds: dict[tuple[str, str], float] = {}
    try:
        for row in rows:
            contender, op, _ = row
            key = (contender.name, op)
            before = mock.stats()["token_requests"]
            sessions.append((row, contender.runner(mock, op, contender.threads)))
            tokens[key] = mock.stats()["token_requests"] - before
            seconds[key] = 0.0
        for _ in range(slices):
            order = list(sessions)
            rng.shuffle(order)
            for (contender, op, calls), session in order:
                key = (contender.name, op)
                before = mock.stats()["token_requests"]
                seconds[key] += session.time(max(1, calls // slices))
                tokens[key] += mock.stats()["token_requests"] - before
    finally:
        for _, session in sessions:
            session.close()
    for key, count in tokens.items():
        results[key].token_requests.append(count)
    return {(c.name, op): max(1, calls // slices) * slices / seconds[(c.name, op)]
            for c, op, calls in rows}


def timed_run(mock: Mock, rows: list[Row], slices: int, rng: random.Random, results: Results) -> None:
    """One run of each row (interleaved, when several), taken again while
    the host steals too much."""
    attempts = []
    for _ in range(ATTEMPTS):
        stolen, started = stolen_seconds(), time.monotonic()
        with placement(mock, rows[0][0]):
            rates = interleaved_run(mock, rows, slices, rng, results)
        share = (stolen_seconds() - stolen) / ((time.monotonic() - started) * (os.cpu_count() or 1))
        for key in rates:
            results[key].attempts += 1
        attempts.append((share, rates))
        if share <= STEAL_LIMIT:
            break
    share, rates = min(attempts, key=lambda attempt: attempt[0])
    for key, rate in rates.items():
        results[key].steal.append(share)
        results[key].rates.append(rate)


def measure_all(mock: Mock, chosen: list[Contender], runs: int, seconds: float, seed: int) -> Results:
    """Probes each (contender, operation) to size its runs to about
    `seconds`, then makes the timed runs.

    A target between two sequential rows, such as the C ABI against the
    Rust core, is about a difference of a few percent, and on a shared host
    one client's rate moves by more than that from one moment to the next.
    So the sequential rows of an operation are timed together: each run of
    each is SLICES slices, taken in turn with the others' slices, and a
    slow spell falls on all of them alike. The other rows (several
    connections, or wrk, which runs for whole seconds) run alone. Runs go
    round-robin in a shuffled order, so that the position after a heavy
    contender hurts every contender alike."""
    sized: list[Row] = []
    for contender in chosen:
        for op in contender.ops:
            probe_calls = max(THREADS * 10, 200 if seconds < 1 else 500)
            with placement(mock, contender):
                session = contender.runner(mock, op, contender.threads)
                try:
                    probe = session.time(probe_calls)
                finally:
                    session.close()
            sized.append((contender, op, max(probe_calls, int(probe_calls / probe * seconds))))
    results = {(c.name, op): Result(c.name, op) for c, op, _ in sized}
    groups: list[list[Row]] = []
    for op in BOTH:
        together = [row for row in sized if row[1] == op and row[0].sequential and row[0].sliceable]
        if together:
            groups.append(together)
    groups += [[row] for row in sized if not any(row in g for g in groups)]
    # A new order each run, and a new seed each invocation: whoever runs
    # right after wrk -c8 (whose connections the mock is still tearing
    # down) is slowed, and a fixed seed would give every invocation the
    # same orders, so the same rows would pay each time.
    rng = random.Random(seed)
    for run in range(runs):
        order = list(groups)
        rng.shuffle(order)
        for group in order:
            timed_run(mock, group, SLICES if len(group) > 1 else 1, rng, results)
        print(f"run {run + 1} of {runs} done", flush=True)
    return results

"""Bulk jobs (issue 18): the CLI's `eiam owner bind-many` on a mock that
answers every bind 20 ms late (`eiam-mock --latency-ms 20`).

- 10,000 rows at concurrency 8, 32 and 64, against the ideal of
  concurrency / 20 ms.
- At concurrency 64, against the script a user would write instead: a
  Python `ThreadPoolExecutor(64)` with a `requests.Session` per thread,
  making the same binds. The two run in alternating runs.
- The CLI's peak resident memory (`ru_maxrss`) for 1,000,000 rows, on a
  mock that answers at once (at 20 ms the run would take five minutes).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from runners import BIND_BODY, BIND_PATH, headers
from server import Mock
from targets import Verdict

LATENCY_MS = 20
ROWS = 10_000
QUICK_ROWS = 300
CONCURRENCY = (8, 32, 64)
SCRIPT_THREADS = 64
MEMORY_ROWS = 1_000_000
QUICK_MEMORY_ROWS = 5_000
MEMORY_LIMIT_MIB = 64
ROW = "demo-app,pub-2,zhangsan\n"
# GNU time (Debian's `time`), which bench/run installs.
TIME = "/usr/bin/time"


def cli_row(concurrency: int) -> str:
    return f"eiam owner bind-many --concurrency {concurrency}"


SCRIPT = f"Python ThreadPoolExecutor({SCRIPT_THREADS}), requests.Session per thread"


@dataclass
class BulkResults:
    rows: int
    memory_rows: int
    # calls/s of each run, by row name.
    rates: dict[str, list[float]] = field(default_factory=dict)
    # Per-run ratio of the CLI at concurrency 64 to the script.
    to_script: list[float] = field(default_factory=list)
    peak_rss_mib: float | None = None

    def add(self, row: str, seconds: float) -> float:
        rate = self.rows / seconds
        self.rates.setdefault(row, []).append(rate)
        return rate


def rows_file(directory: Path, rows: int) -> Path:
    path = directory / f"rows-{rows}.csv"
    with path.open("w") as f:
        f.write("app_id,app_user_id,user_name\n")
        for _ in range(rows // 1000):
            f.write(ROW * 1000)
        f.write(ROW * (rows % 1000))
    return path


def run_cli(cli: Path, mock: Mock, rows: Path, count: int, concurrency: int) -> tuple[float, float]:
    """Runs the bind-many job; returns its wall time and peak RSS (MiB).
    Fails unless every row of the report is ok and the mock saw every bind."""
    report = rows.with_suffix(".report.csv")
    env = dict(os.environ, EIAM_BASE_URL=mock.url, EIAM_CLIENT_ID=mock.client_id,
               EIAM_CLIENT_SECRET=mock.client_secret)
    before = mock.stats()["api_requests"]
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak:
        # Through GNU time, not this process's wait4: a child's ru_maxrss
        # starts from the high-water mark of the process it was forked
        # from (kept across exec), here this harness's own 100 MiB.
        started = time.perf_counter()
        code = subprocess.run([TIME, "-f", "%M", "-o", peak.name, str(cli), "owner", "bind-many", str(rows),
                               "--report", str(report), "--concurrency", str(concurrency)], env=env,
                              stdout=subprocess.DEVNULL, stderr=errors).returncode
        elapsed = time.perf_counter() - started
        errors.seek(0)
        assert code == 0, f"bind-many exited with {code}: {errors.read().decode(errors='replace')}"
        peak_kib = int(peak.read().strip().splitlines()[-1])
    with report.open() as f:
        lines = sum(1 for _ in f) - 1
    assert lines == count, f"report has {lines} rows for {count}"
    sent = mock.stats()["api_requests"] - before
    assert sent == count, f"the mock saw {sent} binds for {count} rows"
    return elapsed, peak_kib / 1024


def run_script(mock: Mock, count: int) -> float:
    """The hand-written alternative: the same binds, 64 threads, a
    `requests.Session` each."""
    import requests

    token, local = mock.token(), threading.local()

    def bind(_: int) -> None:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.headers.update(headers(token))
        r = session.post(mock.url + BIND_PATH, data=BIND_BODY)
        r.raise_for_status()
        r.json()

    with ThreadPoolExecutor(SCRIPT_THREADS) as pool:
        started = time.perf_counter()
        list(pool.map(bind, range(count)))
        return time.perf_counter() - started


def measure(cli: Path, slow: Mock, fast: Mock, runs: int, quick: bool) -> BulkResults:
    """`slow`: a mock answering LATENCY_MS late; `fast`: one answering at
    once (for the memory row). Concurrency 8 and 32 run once (25 s and 6 s
    of 10,000 rows); 64 and the script alternate `runs` times."""
    out = BulkResults(QUICK_ROWS if quick else ROWS, QUICK_MEMORY_ROWS if quick else MEMORY_ROWS)
    with tempfile.TemporaryDirectory(prefix="eiam-bulk-") as tmp:
        rows = rows_file(Path(tmp), out.rows)
        for concurrency in CONCURRENCY[:-1]:
            out.add(cli_row(concurrency), run_cli(cli, slow, rows, out.rows, concurrency)[0])
        top = CONCURRENCY[-1]
        for _ in range(runs):
            ours = out.add(cli_row(top), run_cli(cli, slow, rows, out.rows, top)[0])
            theirs = out.add(SCRIPT, run_script(slow, out.rows))
            out.to_script.append(ours / theirs)
        big = rows_file(Path(tmp), out.memory_rows)
        out.peak_rss_mib = run_cli(cli, fast, big, out.memory_rows, top)[1]
    return out


def ideal(concurrency: int) -> float:
    return concurrency / (LATENCY_MS / 1000)


def verdicts(r: BulkResults) -> list[Verdict]:
    op = f"bind, {r.rows:,} rows, {LATENCY_MS} ms latency"
    found = []
    for c in CONCURRENCY:
        if cli_row(c) in r.rates:
            value = statistics.median(r.rates[cli_row(c)]) / ideal(c)
            target = f"bind-many, concurrency {c} ≥ 0.9 × {c} / {LATENCY_MS} ms"
            found.append(Verdict(target, op, f"{value:.2f}", value >= 0.9, target))
    if r.to_script:
        value = statistics.median(r.to_script)
        target = f"bind-many, concurrency {CONCURRENCY[-1]} ≥ 1.0 × {SCRIPT}"
        found.append(Verdict(target, op, f"{value:.2f}", value >= 1.0, target))
    if r.peak_rss_mib is not None:
        target = f"bind-many, {r.memory_rows:,} rows: peak RSS < {MEMORY_LIMIT_MIB} MiB"
        found.append(Verdict(target, f"bind, {r.memory_rows:,} rows", f"{r.peak_rss_mib:.1f} MiB",
                             r.peak_rss_mib < MEMORY_LIMIT_MIB, target))
    return found


def problems(r: BulkResults) -> list[str]:
    """What says the rows did not run (run_cli already checked each job's
    report and the mock's count)."""
    expected = [cli_row(c) for c in CONCURRENCY] + [SCRIPT]
    found = [f"bulk row {row}: no rate" for row in expected if not r.rates.get(row)]
    if not r.peak_rss_mib:
        found.append("bulk row memory: did not run")
    return found


def section(r: BulkResults, runs: int) -> list[str]:
    lines = [
        "", f"## Bulk jobs (`eiam owner bind-many`, {LATENCY_MS} ms latency)", "",
        f"`eiam owner bind-many rows.csv --report report.csv --concurrency N` on {r.rows:,} rows against "
        f"`eiam-mock --latency-ms {LATENCY_MS}`, each job's report and the mock's count of binds checked. "
        f"Concurrency 8 and 32: one run; concurrency {CONCURRENCY[-1]} and the Python script: {runs} runs, "
        "alternating, median. The ideal is concurrency / latency.", "",
        "| job | binds/s | runs (binds/s) | × ideal |", "|---|---:|---:|---:|",
    ]
    for row, concurrency in [(cli_row(c), c) for c in CONCURRENCY] + [(SCRIPT, SCRIPT_THREADS)]:
        rates = r.rates.get(row)
        if rates:
            lines.append(f"| {row} | {statistics.median(rates):,.0f} | {min(rates):,.0f}–{max(rates):,.0f} | "
                         f"{statistics.median(rates) / ideal(concurrency):.2f} |")
    if r.peak_rss_mib is not None:
        lines += ["", f"Peak resident memory of `eiam owner bind-many` for {r.memory_rows:,} rows "
                  f"(concurrency {CONCURRENCY[-1]}, a mock answering at once): {r.peak_rss_mib:.1f} MiB."]
    return lines

"""The benchmark harness: eiam (Rust core, C ABI, Python) against what a
Python user would write instead, and against wrk, on one mock server in one
run; then the async rows (issue 19: Python, Node and Go, 100 calls in
flight) on a second mock that answers 20 ms late; then the latency rows
through toxiproxy and the CLI's bulk jobs. Started by bench/run,
which builds what it needs; see BENCHMARKS.md.

The entry point. The work is in the modules beside it: server (the mock),
runners (the contenders), inflight (the async rows), latency (through
toxiproxy), bulk (`eiam owner bind-many`), scheduling (sizing,
interleaved slices, CPU placement, steal), stats (medians, ratios),
targets, figures (sizes, import time, idle memory), and report
(BENCHMARKS.md and its chart; the findings come from FINDINGS.md and the
Java section, measured by hand with JMH, from JAVA.md).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

import figures
import bulk
import https
import inflight
import latency
import report
import runners
import targets
from scheduling import measure_all
from server import start_mock


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rust", type=Path, required=True, help="the Rust bench program")
    parser.add_argument("--c", type=Path, required=True, help="the C bench program")
    parser.add_argument("--mock", type=Path, required=True, help="the eiam-mock binary")
    parser.add_argument("--prefix", type=Path, required=True,
                        help="an installed libeiam (make install PREFIX=...), for the Go and Node bindings")
    parser.add_argument("--build-dir", type=Path, required=True, help="where to build the Go bench programs")
    parser.add_argument("--wheel", type=Path, required=True, help="the eiam wheel installed in this venv")
    parser.add_argument("--libeiam", type=Path, required=True, help="the libeiam.so the C program links")
    parser.add_argument("--toxiproxy", type=Path, required=True, help="toxiproxy's server, for the latency rows")
    parser.add_argument("--eiam-cli", type=Path, required=True, help="the eiam CLI, for the bulk rows")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, help="seed of the row order (default: a new one, printed in the report)")
    parser.add_argument("--seconds", type=float, default=1.0, help="length of each timed run")
    parser.add_argument("--out", type=Path, help="write the report (Markdown) here, and a PNG beside it")
    parser.add_argument("--quick", action="store_true", help="check that everything runs; judge no numbers")
    parser.add_argument("--only", action="append", metavar="ROW",
                        help="run only this row (its name in the report; repeatable) and print "
                             "each run's rate instead of a report: for profiling")
    args = parser.parse_args()
    commit, command = report.source_commit(), report.command_line()

    chosen = runners.contenders(args.rust, args.c, args.seconds, with_alternatives=True)
    chosen_async = inflight.contenders(args.prefix.resolve(), args.build_dir.resolve())
    if args.only:
        unknown = set(args.only) - {c.name for c in chosen} - {c.name for c in chosen_async}
        if unknown:
            parser.error(f"no such row: {', '.join(sorted(unknown))}")
        chosen = [c for c in chosen if c.name in args.only]
        chosen_async = [c for c in chosen_async if c.name in args.only]
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    print(f"row order seed {seed}", flush=True)
    mock = start_mock(args.mock)
    try:
        results = measure_all(mock, chosen, args.runs, args.seconds, seed)
        first_call = {} if args.only else {
            "Python eiam": statistics.median(runners.first_call_python(mock) for _ in range(5))}
        first_call.update({("Rust core" if k == args.rust else "C ABI"): statistics.median(v)
                           for k, v in runners.FIRST_CALL_US.items()})
        other = None if args.only else figures.measure(mock, args.rust, args.c, args.wheel, args.libeiam)
    finally:
        mock.stop()
    secure = None if args.only else https.measure(args.mock, args.rust, args.c, args.runs, args.seconds,
                                                   seed, args.quick)
    slow = start_mock(args.mock, latency_ms=inflight.LATENCY_MS)
    try:
        concurrent = inflight.measure(slow, chosen_async, min(args.runs, inflight.RUNS),
                                      inflight.QUICK_CALLS if args.quick else inflight.CALLS, seed)
    finally:
        slow.stop()
    # The latency rows (through toxiproxy) and the bulk jobs (issue 18).
    delayed, jobs = None, None
    latency_runs, bulk_runs = (1, 1) if args.quick else (5, 3)
    if not args.only:
        fast, slow = start_mock(args.mock), start_mock(args.mock, latency_ms=bulk.LATENCY_MS)
        try:
            delayed = latency.measure(args.toxiproxy, fast, latency_runs, min(args.seconds, 1.0))
            jobs = bulk.measure(args.eiam_cli, slow, fast, bulk_runs, args.quick)
        finally:
            fast.stop()
            slow.stop()
    if args.only:
        for (name, op), r in results.items():
            print(f"{name:<40} {op:<5} median {r.rate:>8,.0f}  runs "
                  + " ".join(f"{x:,.0f} ({st:.0%})" for x, st in zip(r.rates, r.steal))
                  + f"  attempts {r.attempts}")
        for (name, _), r in concurrent.results.items():
            print(f"{name:<40} median {r.rate:>8,.0f}  runs " + " ".join(f"{x:,.0f}" for x in r.rates))
        for name, why in concurrent.unavailable.items():
            print(f"{name:<40} not in this build: {why}")
        return 0
    for (name, op), r in results.items():
        print(f"{name:<40} {op:<5} {r.rate:>10,.0f} calls/s  tokens/run {r.token_requests}")
    for (name, _), r in concurrent.results.items():
        print(f"{name:<40} {r.rate:>10,.0f} calls/s, {inflight.IN_FLIGHT} in flight  tokens/run {r.token_requests}")

    # That it ran: every row, one token request per run, positive rates.
    problems = [f"{name} {op}: token requests per run {r.token_requests}" for (name, op), r in results.items()
                if not r.token_requests or set(r.token_requests) != {1}]
    problems += [f"{name} {op}: no rate" for (name, op), r in results.items() if not r.rate > 0]
    expected = {(c.name, op) for c in chosen for op in c.ops}
    problems += [f"missing {k}" for k in sorted(expected - results.keys())]
    problems += [f"{name}, {inflight.IN_FLIGHT} in flight: token requests per run {r.token_requests}"
                 for (name, _), r in concurrent.results.items() if set(r.token_requests) != {1}]
    problems += [f"{name}, {inflight.IN_FLIGHT} in flight: no rate"
                 for (name, _), r in concurrent.results.items() if not r.rates or not r.rate > 0]
    assert other is not None
    problems += figures.problems(other)
    names = [c.name for c in chosen]
    chart = None
    if args.out:
        png = args.out.with_suffix(".png")
        report.plot(results, names, png)
        chart = png.name
    verdicts = targets.judge(results, first_call, concurrent.results)
    assert delayed and jobs
    verdicts += latency.verdicts(delayed) + bulk.verdicts(jobs)
    problems += latency.problems(delayed) + bulk.problems(jobs)
    sections = latency.section(delayed, latency_runs) + bulk.section(jobs, bulk_runs)
    if secure:
        verdicts += targets.judge_https(secure)
        problems += https.problems(secure, https.ALL_ROWS)
        sections += https.section(secure)
    text = report.report(results, names, report.machine(), first_call, verdicts, args.runs, args.seconds,
                         seed, command, commit, chart, concurrent, [c.name for c in chosen_async],
                         sections + figures.section(other))
    if args.out:
        args.out.write_text(text)
    print(text)
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    # Not a problem: the eiam async APIs are being written in other branches.
    for name, why in concurrent.unavailable.items():
        print(f"MISSING: {name}: {why}", file=sys.stderr)
    if not args.quick:
        for v in verdicts:
            if not v.ok:
                print("FAILED TARGET:", v.failure, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

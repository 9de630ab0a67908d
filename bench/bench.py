"""The benchmark harness: eiam (Rust core, C ABI, Python) against what a
Python user would write instead, and against wrk, on one mock server in one
run. Started by bench/run, which builds what it needs; see BENCHMARKS.md.

The entry point. The work is in the modules beside it: server (the mock),
runners (the contenders), scheduling (sizing, interleaved slices, CPU
placement, steal), stats (medians, ratios), targets, and report
(BENCHMARKS.md and its chart; the findings come from FINDINGS.md and the
Java section, measured by hand with JMH, from JAVA.md).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

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

    mock = start_mock(args.mock)
    try:
        chosen = runners.contenders(args.rust, args.c, args.seconds, with_alternatives=True)
        if args.only:
            unknown = set(args.only) - {c.name for c in chosen}
            if unknown:
                parser.error(f"no such row: {', '.join(sorted(unknown))}")
            chosen = [c for c in chosen if c.name in args.only]
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
        print(f"row order seed {seed}", flush=True)
        results = measure_all(mock, chosen, args.runs, args.seconds, seed)
        if args.only:
            for (name, op), r in results.items():
                print(f"{name:<40} {op:<5} median {r.rate:>8,.0f}  runs "
                      + " ".join(f"{x:,.0f} ({st:.0%})" for x, st in zip(r.rates, r.steal))
                      + f"  attempts {r.attempts}")
            return 0
        for (name, op), r in results.items():
            print(f"{name:<40} {op:<5} {r.rate:>10,.0f} calls/s  tokens/run {r.token_requests}")
        first_call = {"Python eiam": statistics.median(runners.first_call_python(mock) for _ in range(5))}
        first_call.update({("Rust core" if k == args.rust else "C ABI"): statistics.median(v)
                           for k, v in runners.FIRST_CALL_US.items()})
    finally:
        mock.stop()

    # That it ran: every row, one token request per run, positive rates.
    problems = [f"{name} {op}: token requests per run {r.token_requests}" for (name, op), r in results.items()
                if not r.token_requests or set(r.token_requests) != {1}]
    problems += [f"{name} {op}: no rate" for (name, op), r in results.items() if not r.rate > 0]
    expected = {(c.name, op) for c in chosen for op in c.ops}
    problems += [f"missing {k}" for k in sorted(expected - results.keys())]
    names = [c.name for c in chosen]
    chart = None
    if args.out:
        png = args.out.with_suffix(".png")
        report.plot(results, names, png)
        chart = png.name
    verdicts = targets.judge(results, first_call)
    text = report.report(results, names, report.machine(), first_call, verdicts, args.runs, args.seconds,
                         seed, command, commit, chart)
    if args.out:
        args.out.write_text(text)
    print(text)
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    if not args.quick:
        for v in verdicts:
            if not v.ok:
                print("MISSED TARGET:", v.miss, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

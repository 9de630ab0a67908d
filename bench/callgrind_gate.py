"""The callgrind regression gate (scripts/callgrind-gate.sh): instructions
per call of the Rust core, counted by callgrind, against the committed
baseline (bench/callgrind-baseline.json).

Each call is counted by difference: the program `eiam-callgrind`
(bench/callgrind) makes N calls of one kind after its set-up and warm-up,
then 2N; the second total less the first is N calls, with start-up,
client creation and the token request cancelled. The mock runs in its own
process (not under valgrind), so only the client is counted, and a fresh
one with a fixed seed for every run, so that each run gets the same token
and the same answers. The program runs with bench/callgrind/pinned.c
preloaded, which makes the random bytes of its hash maps' keys and its
clock the same in every run: the same total, run after run. Only the
standard library: the gate runs before any venv exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from server import start_mock

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "bench" / "callgrind-baseline.json"
# The calls, as the program names them (bench/callgrind/src/main.rs).
OPERATIONS = {
    "get": "owner query (GET)",
    "bind": "bind (POST)",
    "error": "API error (owner of a missing account)",
    "account": "get_account",
    "list": "list page (100 accounts)",
}
# N: large enough that a few stray instructions in one run's set-up move a
# call's count by well under 0.1%.
CALLS = 50
# A call may cost this much more than its baseline before the gate fails.
TOLERANCE = 0.05
MOCK_SEED = 20


@dataclass
class Count:
    """One call's instructions: per call, and the two totals it came from."""

    per_call: int
    totals: tuple[int, int]


def total_instructions(program: Path, mock_binary: Path, preload: Path, op: str, calls: int) -> int:
    """Instructions callgrind counts in one run of `program op calls`."""
    mock = start_mock(mock_binary, seed=MOCK_SEED)
    try:
        # Only what the program reads: nothing of the caller's environment
        # (a proxy variable, RUST_LOG) can change the path it takes.
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LD_PRELOAD": str(preload), "EIAM_MOCK_URL": mock.url,
               "EIAM_MOCK_CLIENT_ID": mock.client_id, "EIAM_MOCK_CLIENT_SECRET": mock.client_secret}
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "callgrind.out"
            run = subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                 str(program), op, str(calls)],
                env=env, capture_output=True, text=True)
            if run.returncode != 0:
                raise RuntimeError(f"{program.name} {op} {calls}: exit status {run.returncode}\n{run.stderr}")
            found = re.search(r"^(?:summary|totals): (\d+)$", out.read_text(), re.MULTILINE)
            if not found:
                raise RuntimeError(f"no total in {program.name} {op} {calls}'s callgrind output")
            return int(found.group(1))
    finally:
        mock.stop()


def count(program: Path, mock_binary: Path, preload: Path, op: str) -> Count:
    once = total_instructions(program, mock_binary, preload, op, CALLS)
    twice = total_instructions(program, mock_binary, preload, op, 2 * CALLS)
    return Count(round((twice - once) / CALLS), (once, twice))


def shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def versions(program: Path) -> dict[str, str]:
    """What the counts depend on besides the code: the compiler and valgrind."""
    def first_line(*argv: str) -> str:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()

    return {"rustc": first_line("rustc", "--version"), "valgrind": first_line("valgrind", "--version"),
            "program": shown(program)}


def table(baseline: dict[str, int], now: dict[str, Count]) -> list[str]:
    lines = ["| call | baseline | now | change | totals (N, 2N calls) |", "|---|---:|---:|---:|---:|"]
    for op, c in now.items():
        base = baseline.get(op)
        change = f"{c.per_call / base - 1:+.2%}" if base else "no baseline"
        lines.append(f"| {OPERATIONS[op]} | {f'{base:,}' if base else '–'} | {c.per_call:,} | {change} | "
                     f"{c.totals[0]:,}, {c.totals[1]:,} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--program", type=Path, required=True, help="the eiam-callgrind binary")
    parser.add_argument("--mock", type=Path, required=True, help="the eiam-mock binary")
    parser.add_argument("--preload", type=Path, required=True,
                        help="bench/callgrind/pinned.c built as a shared library")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--update", action="store_true",
                        help="write the counts measured now as the baseline (commit it with the reason)")
    parser.add_argument("--repeat", action="store_true",
                        help="measure everything twice and fail unless both totals of every run agree")
    args = parser.parse_args()
    program, preload = args.program.resolve(), args.preload.resolve()

    now = {op: count(program, args.mock, preload, op) for op in OPERATIONS}
    problems = []
    if args.repeat:
        again = {op: count(program, args.mock, preload, op) for op in OPERATIONS}
        for op in OPERATIONS:
            print(f"repeatability, {op}: totals {now[op].totals} then {again[op].totals}")
            if now[op].totals != again[op].totals:
                problems.append(f"{op}: the totals differ between two runs")

    seen = versions(program)
    recorded = json.loads(args.baseline.read_text()) if args.baseline.exists() else {}
    baseline: dict[str, int] = recorded.get("instructions_per_call", {})
    if args.update:
        args.baseline.write_text(json.dumps({
            "about": "Instructions per call under callgrind (bench/callgrind_gate.py); "
                     "`scripts/callgrind-gate.sh --update` rewrites this file: commit it with the reason.",
            **seen,
            "instructions_per_call": {op: c.per_call for op, c in now.items()},
        }, indent=2) + "\n")
        print(f"wrote {args.baseline}; the previous baseline against the new counts:\n")
        print("\n".join(table(baseline, now)))
        return 1 if problems else 0

    print(f"Instructions per call (callgrind), against {shown(args.baseline)}; "
          f"fails above +{TOLERANCE:.0%}:\n")
    print("\n".join(table(baseline, now)))
    for op, c in now.items():
        if op not in baseline:
            problems.append(f"{op}: no baseline (scripts/callgrind-gate.sh --update, then commit it)")
        elif c.per_call > baseline[op] * (1 + TOLERANCE):
            problems.append(f"{OPERATIONS[op]}: {c.per_call:,} instructions per call, "
                            f"{c.per_call / baseline[op] - 1:+.1%} over the baseline's {baseline[op]:,}")
    if problems:
        differ = [f"{k}: baseline {recorded.get(k)!r}, now {v!r}" for k, v in seen.items()
                  if k != "program" and recorded.get(k) != v]
        if differ:
            print("\nThe baseline was counted with another toolchain (" + "; ".join(differ) + "): "
                  "if the code did not change, the compiler did; count again with --update and commit "
                  "that with the reason.", file=sys.stderr)
    for p in problems:
        print("CALLGRIND GATE:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

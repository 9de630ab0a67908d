"""The report: BENCHMARKS.md (the tables, the targets, the findings) and
its chart, BENCHMARKS.png."""

from __future__ import annotations

import os
import platform
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

import eiam

import inflight
from scheduling import ATTEMPTS, SLICES, STEAL_LIMIT
from stats import Results, ratio, ratio_to_rate
from targets import Verdict

ROOT = Path(__file__).resolve().parents[1]
# Written by hand, and appended to every report under "Findings".
FINDINGS = ROOT / "bench" / "FINDINGS.md"
# Measured by hand with JMH (bindings/java/bench), and kept in every report
# under "Java": bench/run does not run the JVM.
JAVA = ROOT / "bench" / "JAVA.md"
OPERATIONS = (("get", "Owner query (GET)"), ("bind", "Bind (POST)"))


def command_line() -> str:
    """This invocation, as run from the repository's root, and the
    `bench/run` command that started it, which names it in EIAM_BENCH_RUN."""
    def shown(arg: str) -> str:
        path = Path(arg)
        if path.is_absolute() and path.is_relative_to(ROOT):
            return str(path.relative_to(ROOT))
        return arg

    harness = f"`{shlex.join(shown(a) for a in sys.argv)}`"
    run = os.environ.get("EIAM_BENCH_RUN")
    return f"`{run}`, which ran {harness}" if run else harness


def source_commit() -> str:
    """The commit measured, `-dirty` if tracked files differ from it. Taken
    before the run, since the run rewrites the committed report."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
        dirty = git("status", "--porcelain", "--untracked-files=no").strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    versions = {"Python": platform.python_version(), "eiam": eiam.__version__}
    for module in ("requests", "httpx", "urllib3", "aiohttp"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            pass
    try:
        import pycurl

        versions["pycurl"] = pycurl.version.split()[0]
        versions["libcurl"] = pycurl.version.split()[1]
    except ImportError:
        pass
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    versions["wrk"] = (wrk.stdout + wrk.stderr).split()[1]
    # `v20.1.0`; `go version go1.23.4 linux/amd64`.
    for tool, flag, word in (("node", "--version", 0), ("go", "version", 2)):
        try:
            out = subprocess.run([tool, flag], capture_output=True, text=True).stdout.split()
            versions[tool] = out[word].removeprefix("go").removeprefix("v")
        except (OSError, IndexError):
            pass
    versions["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.split()[1]
    return {"cores": str(os.cpu_count()), "cpu": cpu, **versions}


def steal_summary(results: Results) -> str:
    runs = sum(len(r.rates) for r in results.values())
    attempts = sum(r.attempts for r in results.values())
    kept = sorted(st for r in results.values() for st in r.steal)
    return (f"Host interference: a run (of the sequential rows: their slices together) during which the "
            f"hypervisor gave more than {STEAL_LIMIT:.0%} of the CPUs' time to other guests (steal) was taken "
            f"again, up to {ATTEMPTS} attempts, keeping the least disturbed: {attempts - runs} of {runs} "
            "runs were taken again; steal in the kept runs: "
            f"median {statistics.median(kept):.1%}, highest {kept[-1]:.1%}.")


def hand_written(title: str, path: Path) -> list[str]:
    """A section kept in its own file, without the note to its editors."""
    text = path.read_text()
    if text.startswith("<!--"):
        text = text.split("-->", 1)[1]
    return ["", f"## {title}", "", text.strip()]



def async_section(concurrent: inflight.AsyncResults, names: list[str]) -> list[str]:
    """The table of `inflight`'s rows, and the rows this build lacks."""
    n, latency = inflight.IN_FLIGHT, inflight.LATENCY_MS
    lines = [
        "", f"## Async, {n} in flight, {latency} ms latency", "",
        f"A second mock, `eiam-mock --latency-ms {latency}`, answers every query {latency} ms late, like a "
        f"round trip over a WAN (its token requests at once). Each run: a fresh client (one token "
        f"request), warmed up with {2 * n} calls, then {concurrent.calls:,} owner queries with {n} in "
        f"flight: in Python, asyncio tasks behind a semaphore of {n}; in Node, {n} loops of awaited "
        f"promises; in Go, {n} goroutines. The competitors keep {n} connections or more open (httpx's "
        f"default keeps 20 idle, Go's `http.Transport` 2 per host). Median of {concurrent.runs} runs, "
        f"the rows in a new random order each round; the ideal is {n} / {latency} ms = "
        f"{inflight.IDEAL:,.0f} calls/s.",
        "",
        "| client | calls/s | runs (calls/s) | × ideal | token requests per run |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in names:
        r = concurrent.results.get((name, inflight.OP))
        if r is not None:
            lines.append(f"| {name} | {r.rate:,.0f} | {min(r.rates):,.0f}–{max(r.rates):,.0f} | "
                         f"{ratio_to_rate(concurrent.results, name, inflight.IDEAL, inflight.OP):.2f} | "
                         f"{', '.join(map(str, sorted(set(r.token_requests))))} |")
        elif name in concurrent.unavailable:
            lines.append(f"| {name} | not in this build: {concurrent.unavailable[name]} | | | |")
    return lines


def report(results: Results, names: list[str], info: dict[str, str], first_call: dict[str, float],
           verdicts: list[Verdict], runs: int, seconds: float, seed: int, command: str, commit: str,
           chart: str | None, concurrent: inflight.AsyncResults, async_names: list[str],
           sections: list[str]) -> str:
    """`sections`: the lines of the tables of other modules (latency, bulk, HTTPS, CPU, figures), after the async one."""
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run` (do not edit). One mock server (`eiam-mock`, release build, its own "
        "process) on loopback; every contender in the same run, the runs taken round-robin in a new "
        f"random order each time (seed {seed}; `--seed {seed}` repeats the order). Each row: "
        f"median of {runs} runs of about {seconds:g} s each, after a warm-up; every run made exactly one "
        f"token request. The sequential rows of an operation (one connection; all but wrk) run together: "
        f"each run of each is {SLICES} slices, taken in turn with the others' slices, so that the host's "
        "slow spells fall on all of them alike. The ratios are the median over the runs of the ratio "
        "within each run.",
        "",
        f"Command: {command}; at commit `{commit}`.",
        "",
        steal_summary(results),
        "",
        f"Machine: {info['cores']} cores, {info['cpu']}, {platform.system()} {platform.release()}.  ",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info.items() if k not in ("cores", "cpu")) + ".",
        "",
    ]
    for op, title in OPERATIONS:
        lines += [f"## {title}", "",
                  "| client | calls/s | µs/call | runs (calls/s) | × Rust core | × wrk -c1 | token requests per run |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name in names:
            r = results.get((name, op))
            if r is None:
                continue
            lines.append(
                f"| {name} | {r.rate:,.0f} | {1e6 / r.rate:,.1f} | {min(r.rates):,.0f}–{max(r.rates):,.0f} | {ratio(results, name, 'Rust core', op):.2f} | "
                f"{ratio(results, name, 'wrk -c1 (ceiling)', op):.2f} | {', '.join(map(str, sorted(set(r.token_requests))))} |")
        lines.append("")
    lines += async_section(concurrent, async_names)
    lines += sections
    lines += ["", "## Client creation and first call (no TLS)", "", "| client | µs (median) |", "|---|---:|"]
    lines += [f"| {k} | {v:,.0f} |" for k, v in first_call.items()]
    lines += ["", "## Targets", "", "| target | operation | measured | |", "|---|---|---:|---|"]
    lines += [f"| {v.target} | {v.operation} | {v.measured} | {'PASS' if v.ok else 'FAIL'} |" for v in verdicts]
    if chart:
        lines += ["", f"![calls per second]({chart})"]
    lines += hand_written("Java", JAVA)
    lines += hand_written("Findings", FINDINGS)
    return "\n".join(lines) + "\n"


def plot(results: Results, names: list[str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 6), sharey=True)
    for ax, (op, title) in zip(axes, OPERATIONS):
        shown = [n for n in names if (n, op) in results]
        rates = [results[(n, op)].rate for n in shown]
        colors = ["tab:orange" if n.startswith(("Rust", "C ABI", "Python eiam")) else
                  "tab:gray" if n.startswith("wrk") else "tab:blue" for n in shown]
        ax.barh(shown, rates, color=colors)
        ax.set_title(title)
        ax.set_xlabel("calls per second (median)")
        ax.invert_yaxis()
    fig.suptitle("eiam (orange) vs Python HTTP clients (blue) vs wrk (gray), one mock server")
    fig.tight_layout()
    fig.savefig(path, dpi=90)

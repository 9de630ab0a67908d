"""The other figures of the report: the wheel's size, the time `import
eiam` takes, libeiam.so's size stripped, and the resident memory of one
idle client in Rust, C and Python."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from runners import mock_env
from server import Mock

IMPORT_RUNS = 7
# A Python client made, warmed up like the Rust and C programs' (200 calls),
# then idle until its stdin closes.
IDLE_PYTHON = """
import os, sys, eiam
client = eiam.Client(os.environ["EIAM_MOCK_URL"], client_id=os.environ["EIAM_MOCK_CLIENT_ID"],
                     client_secret=os.environ["EIAM_MOCK_CLIENT_SECRET"])
for _ in range(200):
    client.get_public_account_owner("demo-app", "pub-1")
print("{}", flush=True)
sys.stdin.read()
"""
# The same interpreter with eiam imported and no client: what the client
# itself adds is the difference.
IMPORT_ONLY_PYTHON = 'import sys, eiam\nprint("{}", flush=True)\nsys.stdin.read()\n'


@dataclass
class Figures:
    wheel: str
    wheel_bytes: int
    import_ms: list[float]
    library: str
    library_bytes: int
    library_stripped_bytes: int
    # Client → resident KiB, idle after its warm-up.
    idle_rss_kib: dict[str, int]


def import_milliseconds(python: str) -> float:
    """`import eiam`'s cumulative time in a fresh interpreter, as
    `python -X importtime` reports it (interpreter start-up excluded)."""
    run = subprocess.run([python, "-X", "importtime", "-c", "import eiam"],
                         capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    for line in run.stderr.splitlines():
        # "import time:       self [us] | cumulative | imported package"
        found = re.match(r"import time:\s*\d+ \|\s*(\d+) \| eiam$", line)
        if found:
            return int(found.group(1)) / 1000
    raise RuntimeError(f"no `eiam` line in {python} -X importtime's output")


def stripped_bytes(library: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / library.name
        subprocess.run(["strip", "-o", str(out), str(library)], check=True)
        return out.stat().st_size


def idle_rss_kib(argv: list[str], env: dict[str, str]) -> int:
    """VmRSS of a program once it says it is ready (one line on stdout), in
    KiB; the program then exits when its stdin closes."""
    process = subprocess.Popen(argv, env=dict(os.environ, **env), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdin and process.stdout
    try:
        if not process.stdout.readline():
            raise RuntimeError(f"{argv[0]} exited before it was ready: status {process.wait()}")
        status = Path(f"/proc/{process.pid}/status").read_text()
        found = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
        if not found:
            raise RuntimeError(f"no VmRSS in /proc/{process.pid}/status")
        return int(found.group(1))
    finally:
        process.stdin.close()
        if process.wait(timeout=10) != 0:
            raise RuntimeError(f"{argv[0]}: exit status {process.returncode}")


def measure(mock: Mock, rust: Path, c: Path, wheel: Path, library: Path) -> Figures:
    env = mock_env(mock)
    python = sys.executable
    rss = {
        "Rust core (the bench program)": idle_rss_kib([str(rust), "get", "1"], env),
        "C ABI (the bench program)": idle_rss_kib([str(c), "get", "1"], env),
        "Python eiam": idle_rss_kib([python, "-c", IDLE_PYTHON], env),
        "Python, eiam imported, no client": idle_rss_kib([python, "-c", IMPORT_ONLY_PYTHON], env),
    }
    return Figures(
        wheel=wheel.name, wheel_bytes=wheel.stat().st_size,
        import_ms=[import_milliseconds(python) for _ in range(IMPORT_RUNS)],
        library=str(library), library_bytes=library.stat().st_size,
        library_stripped_bytes=stripped_bytes(library),
        idle_rss_kib=rss,
    )


def problems(f: Figures) -> list[str]:
    """What shows that a figure was not measured."""
    found = [f"idle resident memory of {name}: {kib} KiB" for name, kib in f.idle_rss_kib.items() if kib <= 0]
    if not f.import_ms or min(f.import_ms) <= 0:
        found.append(f"import eiam times {f.import_ms}")
    if not 0 < f.library_stripped_bytes <= f.library_bytes:
        found.append(f"libeiam.so {f.library_bytes} bytes, stripped {f.library_stripped_bytes}")
    return found


def section(f: Figures) -> list[str]:
    def mib(n: float) -> str:
        return f"{n / 2**20:.2f} MiB"

    lines = [
        "", "## Other figures", "",
        "| figure | value |", "|---|---:|",
        f"| wheel (`{f.wheel}`) | {mib(f.wheel_bytes)} |",
        f"| `import eiam` (`python -X importtime`, cumulative; median of {len(f.import_ms)} fresh "
        f"interpreters, {min(f.import_ms):.1f}–{max(f.import_ms):.1f} ms) | {statistics.median(f.import_ms):.1f} ms |",
        f"| `libeiam.so`, stripped (`strip`; {mib(f.library_bytes)} as built) | {mib(f.library_stripped_bytes)} |",
    ]
    for name, kib in f.idle_rss_kib.items():
        lines.append(f"| resident memory (VmRSS), {name} | {mib(kib * 1024)} |")
    lines += ["", "Resident memory: the whole process, idle after its client made 200 owner queries (the "
              "Rust and C bench programs' warm-up, and a Python script doing the same); the last row is "
              "the same interpreter with `eiam` imported and no client, so the difference is the "
              "client's own."]
    return lines

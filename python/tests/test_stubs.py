"""The .pyi stubs match the compiled module (mypy's stubtest)."""

import pathlib
import subprocess
import sys


def test_stubs_match_the_module(tmp_path: pathlib.Path) -> None:
    # Run outside the source tree, so the installed package is checked.
    # No --ignore-missing-stub: a public name missing from the stubs fails.
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "eiam"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr

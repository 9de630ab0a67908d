"""The .pyi stubs match the compiled module (mypy's stubtest)."""

import pathlib
import subprocess
import sys


def test_stubs_match_the_module(tmp_path: pathlib.Path) -> None:
    # Run outside the source tree, so the installed package is checked.
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "eiam", "--ignore-missing-stub"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr

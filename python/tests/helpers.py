"""Shared by the tests (imported as `helpers`: pytest puts tests/ on sys.path)."""

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Polls `condition` until it holds (True) or `timeout` passes (False).
    Waiting on a condition, not sleeping a fixed time: fast when things
    work, and a clear failure when they do not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return condition()

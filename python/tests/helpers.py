"""Shared by the tests (imported as `helpers`: pytest puts tests/ on sys.path)."""

import json
import time
from collections.abc import Callable

import eiam


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


def page_as_served(page: "eiam.Page[eiam.Account]", total: int) -> str:
    """The service's JSON for `page` of a list of `total` accounts: served
    for every page, it makes the service look as if it ignored the page
    number."""
    accounts = [
        {"id": a.id, "account_name": a.account_name, "account_type": a.account_type, "disabled": a.disabled}
        for a in page.items
    ]
    return json.dumps({"total": total, "accounts": accounts})

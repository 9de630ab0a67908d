"""A client used on both sides of a fork(): each process gets its own
answers. The pooled keep-alive connection a child inherits is its parent's,
so reusing it would interleave both processes' requests on one socket."""

import multiprocessing
import os
import time
import warnings
from collections.abc import Iterator
from typing import Optional

import pytest

import eiam
from eiam.testing import MockServer

# Python 3.12 on warns that fork() in a process with threads (the mock's)
# may deadlock the child; the child here only makes eiam calls.
pytestmark = pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")

APP = "fork-app"


@pytest.fixture
def owners(mock: MockServer, client: eiam.Client) -> "dict[str, str]":
    """Twenty accounts, each with an owner of its own."""
    expected = {}
    for i in range(20):
        account, user = f"acct-{i}", f"user-{i}"
        mock.add_public_account(APP, account)
        mock.add_user(user)
        client.bind_public_account_owner(APP, account, user)
        expected[account] = user
    return expected


def wait_for_child(pid: int, timeout: float = 20.0) -> Optional[int]:
    """The child's exit code, or None (after killing it) if it hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def test_parent_and_child_get_their_own_answers(
    client: eiam.Client, mock: MockServer, owners: "dict[str, str]"
) -> None:
    wrong: "list[str]" = []
    for trial in range(10):
        # Warm: the client holds a token and an idle keep-alive connection.
        client.get_public_account_owner(APP, "acct-0")
        # Both processes' requests are then at the server at once.
        mock.delay_next(0.1, count=2)
        mine, theirs = f"acct-{2 * trial}", f"acct-{2 * trial + 1}"
        pid = os.fork()
        if pid == 0:  # the child: report through the exit code only
            code = 3
            try:
                got = client.get_public_account_owner(APP, theirs).user_name
                code = 0 if got == owners[theirs] else 1
            except BaseException:
                code = 2
            finally:
                os._exit(code)
        try:
            got = client.get_public_account_owner(APP, mine).user_name
        finally:
            child = wait_for_child(pid)
        if got != owners[mine]:
            wrong.append(f"trial {trial}: the parent asked for {mine}'s owner and got {got}")
        if child != 0:
            wrong.append(f"trial {trial}: the child failed (exit {child}: 1 wrong owner, 2 error, None hung)")
    assert wrong == []


# The client the pool's workers inherit, as in a script with a global client.
_client: Optional[eiam.Client] = None


def owner_of(account: str) -> "tuple[str, str]":
    assert _client is not None
    return account, _client.get_public_account_owner(APP, account).user_name


@pytest.fixture
def global_client(client: eiam.Client) -> Iterator[eiam.Client]:
    global _client
    _client = client
    yield client
    _client = None


def test_a_global_client_in_a_fork_pool(
    global_client: eiam.Client, mock: MockServer, owners: "dict[str, str]"
) -> None:
    global_client.get_public_account_owner(APP, "acct-0")  # warm, then fork
    accounts = sorted(owners) * 5
    # Held answers make the workers' requests overlap.
    mock.delay_next(0.02, count=len(accounts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with multiprocessing.get_context("fork").Pool(4) as pool:
            answers = pool.map_async(owner_of, accounts, chunksize=1).get(timeout=60)
    assert [(a, owners[a]) for a in accounts] == answers

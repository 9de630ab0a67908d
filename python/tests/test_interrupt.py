"""Ctrl-C (SIGINT) interrupts a call made on the main thread, and stops a
bulk job, instead of waiting for the service's answer."""

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, Optional

import pytest

import eiam
from eiam.testing import MockServer
from helpers import wait_until


@pytest.fixture(autouse=True)
def default_sigint_handler() -> Iterator[None]:
    """Python's own handler, which raises KeyboardInterrupt, whatever the
    test runner installed."""
    assert threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class Interrupter:
    """Sends SIGINT to this process from a helper thread as soon as
    `ready()` holds, and records when."""

    def __init__(self, ready: Callable[[], bool]) -> None:
        self.sent_at: Optional[float] = None
        self._ready = ready
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # Only once the request is at the server: a SIGINT outside the
        # call would interrupt the test runner instead.
        if wait_until(self._ready, timeout=5.0):
            self.sent_at = time.monotonic()
            os.kill(os.getpid(), signal.SIGINT)

    def join(self) -> None:
        self._thread.join()


def test_sigint_interrupts_a_call_waiting_for_its_answer(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    mock.delay_next(4.0)
    interrupter = Interrupter(lambda: mock.stats.in_flight == 1)
    with pytest.raises(KeyboardInterrupt):
        client.get_public_account_owner("demo-app", "pub-1")
    raised_at = time.monotonic()
    interrupter.join()
    assert interrupter.sent_at is not None
    assert raised_at - interrupter.sent_at < 1.0
    # The client still works: the abandoned call does not hold it up.
    assert client.get_public_account_owner("demo-app", "pub-1").user_name == "zhangsan"


def test_sigint_interrupts_a_bind_too(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    mock.delay_next(4.0)
    interrupter = Interrupter(lambda: mock.stats.in_flight == 1)
    with pytest.raises(KeyboardInterrupt):
        client.bind_public_account_owner("demo-app", "pub-2", "lisi")
    raised_at = time.monotonic()
    interrupter.join()
    assert interrupter.sent_at is not None
    assert raised_at - interrupter.sent_at < 1.0


def test_a_signal_handler_that_returns_lets_the_call_finish(client: eiam.Client, mock: MockServer) -> None:
    client.authenticate()
    handled_at: "list[float]" = []

    def handler(signum: int, frame: Optional[FrameType]) -> Any:
        handled_at.append(time.monotonic())

    signal.signal(signal.SIGINT, handler)
    mock.delay_next(1.0)
    interrupter = Interrupter(lambda: mock.stats.in_flight == 1)
    owner = client.get_public_account_owner("demo-app", "pub-1")
    returned_at = time.monotonic()
    interrupter.join()
    assert owner.user_name == "zhangsan"
    # The handler ran while the call waited, not after it returned.
    assert interrupter.sent_at is not None and len(handled_at) == 1
    assert handled_at[0] - interrupter.sent_at < 0.5
    assert handled_at[0] < returned_at - 0.2


def test_sigint_stops_a_bulk_job_and_keeps_its_partial_results(client: eiam.Client, mock: MockServer) -> None:
    items = []
    for i in range(20):
        mock.add_public_account("demo-app", f"acct-{i}")
        items.append(("demo-app", f"acct-{i}", "lisi"))
    client.authenticate()
    mock.delay_next(0.5, count=20)
    interrupter = Interrupter(lambda: mock.stats.in_flight == 2)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt) as caught:
        client.bind_public_account_owners(items, concurrency=2)
    interrupter.join()
    assert interrupter.sent_at is not None
    # The two calls in flight finish (0.5 s each); no new item starts.
    assert time.monotonic() - interrupter.sent_at < 1.0
    assert time.monotonic() - started < 2.0
    partial: "list[eiam.BindResult]" = caught.value.partial_results  # type: ignore[attr-defined]
    assert len(partial) == 20
    done = [r for r in partial if r.ok]
    cancelled = [r for r in partial if isinstance(r.error, eiam.CancelledError)]
    assert 2 <= len(done) <= 4 and len(done) + len(cancelled) == 20
    assert all(r.account_id for r in done)
    assert mock.stats.api_requests == len(done)
    bound = [i for i in range(20) if mock.owner_of("demo-app", f"acct-{i}") == "lisi"]
    assert bound == [i for i, r in enumerate(partial) if r.ok]


def test_a_second_sigint_does_not_wait_for_the_calls_in_flight(client: eiam.Client, mock: MockServer) -> None:
    items = [("demo-app", "pub-1", "zhangsan")] * 4
    client.authenticate()
    mock.delay_next(4.0, count=4)
    first = Interrupter(lambda: mock.stats.in_flight == 2)
    # The second once the first has been seen: the job is then stopping.
    second = Interrupter(lambda: first.sent_at is not None and time.monotonic() > first.sent_at + 0.3)
    with pytest.raises(KeyboardInterrupt) as caught:
        client.bind_public_account_owners(items, concurrency=2)
    raised_at = time.monotonic()
    first.join()
    second.join()
    assert second.sent_at is not None
    assert raised_at - second.sent_at < 1.0  # not the 4 s the calls take
    # Abandoned: what the calls in flight did is unknown, so no results.
    assert not hasattr(caught.value, "partial_results")


def test_sigint_stops_a_streaming_job_and_hands_over_the_calls_in_flight(
    client: eiam.Client, mock: MockServer
) -> None:
    items = []
    for i in range(20):
        mock.add_public_account("demo-app", f"acct-{i}")
        items.append(("demo-app", f"acct-{i}", "lisi"))
    client.authenticate()
    mock.delay_next(0.5, count=20)
    interrupter = Interrupter(lambda: mock.stats.in_flight == 2)
    seen: "list[eiam.FinishedBind]" = []
    with pytest.raises(KeyboardInterrupt) as caught:
        for result in client.bind_public_account_owners_streaming(iter(items), concurrency=2):
            seen.append(result)
    interrupter.join()
    assert interrupter.sent_at is not None
    # The calls in flight finish (0.5 s each); no new item starts.
    assert time.monotonic() - interrupter.sent_at < 1.0
    partial: "list[eiam.FinishedBind]" = caught.value.partial_results  # type: ignore[attr-defined]
    finished = seen + partial
    assert 2 <= len(finished) <= 4
    assert len({r.index for r in finished}) == len(finished) and all(r.ok for r in finished)
    assert mock.stats.api_requests == len(finished)
    bound = [i for i in range(20) if mock.owner_of("demo-app", f"acct-{i}") == "lisi"]
    assert bound == sorted(r.index for r in finished)


def test_sigint_interrupts_a_call_that_had_to_connect(client: eiam.Client, mock: MockServer) -> None:
    # No connection yet: the call (token fetch, connect) runs on a helper
    # thread, since a connect cannot be cut short.
    mock.delay_next(4.0)
    interrupter = Interrupter(lambda: mock.stats.in_flight == 1)
    with pytest.raises(KeyboardInterrupt):
        client.get_public_account_owner("demo-app", "pub-1")
    raised_at = time.monotonic()
    interrupter.join()
    assert interrupter.sent_at is not None
    assert raised_at - interrupter.sent_at < 1.0


def test_a_call_with_an_idle_connection_runs_on_the_main_thread(
    mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    # No hand-off to a helper thread (two context switches a call): the
    # call's own log record comes from the main thread.
    caplog.set_level(logging.DEBUG, logger="eiam")
    with eiam.Client(mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret) as client:
        client.authenticate()
        caplog.clear()
        client.get_public_account_owner("demo-app", "pub-1")
    threads = {r.threadName for r in caplog.records if "-> HTTP 200" in r.getMessage()}
    assert threads == {"MainThread"}

"""eiam.AsyncClient against the mock, under asyncio's loop and uvloop:
every call's success and typed errors (the same as eiam.Client's),
concurrency without blocking the loop, cancellation, and async paging."""

import asyncio
import pathlib
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import uvloop

import eiam
import eiam._aio
from eiam.testing import MockServer
from helpers import page_as_served

T = TypeVar("T")
ZHANGSAN_ID = "20220331164602949-904C-D475B60AE"


class Runner:
    """Runs a coroutine to the end on a fresh loop of one kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, coro: "Coroutine[Any, Any, T]") -> T:
        loop = asyncio.new_event_loop() if self.kind == "asyncio" else uvloop.new_event_loop()
        try:
            return loop.run_until_complete(coro)
        finally:
            loop.close()


@pytest.fixture(params=["asyncio", "uvloop"])
def run(request: pytest.FixtureRequest) -> Runner:
    return Runner(request.param)


def async_client(mock: MockServer, **options: Any) -> eiam.AsyncClient:
    return eiam.AsyncClient(
        mock.base_url, client_id=mock.client_id, client_secret=mock.client_secret, timeout=20.0, **options
    )


@pytest.fixture
def aclient(mock: MockServer) -> Iterator[eiam.AsyncClient]:
    c = async_client(mock)
    yield c
    asyncio.run(c.close())


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Polls `condition` without blocking the loop, until it holds or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


# ---- every call's success ----------------------------------------------------


def test_every_call_succeeds_as_the_sync_one_does(
    run: Runner, aclient: eiam.AsyncClient, client: eiam.Client, mock: MockServer
) -> None:
    async def calls() -> None:
        await aclient.authenticate()
        pub = await aclient.create_public_account("demo-app", "shared-a", name="Shared", extension={"k": [1]})
        assert (await aclient.get_account("demo-app", pub)) == client.get_account("demo-app", pub)
        assert await aclient.bind_public_account_owner("demo-app", pub, "zhangsan") == pub
        owner = await aclient.get_public_account_owner("demo-app", pub)
        assert owner == client.get_public_account_owner("demo-app", pub) and owner.user_name == "zhangsan"
        results = await aclient.bind_public_account_owners([("demo-app", pub, "lisi"), ("demo-app", "nope", "lisi")])
        assert [r.ok for r in results] == [True, False]
        assert isinstance(results[1].error, eiam.ApiError)
        assert mock.owner_of("demo-app", pub) == "lisi"
        basic = await aclient.create_basic_account("demo-app", ZHANGSAN_ID, account_name="zs")
        assert mock.account("demo-app", basic) is not None
        orphan = await aclient.create_orphan_account("demo-app", "robot")
        assert (await aclient.get_account("demo-app", orphan)).account_type == eiam.AccountType.ORPHAN
        assert await aclient.add_public_account_users("demo-app", pub, ["zhangsan", "lisi"]) == pub
        page = await aclient.list_public_account_users("demo-app", pub, page_size=10)
        assert page == client.list_public_account_users("demo-app", pub, page_size=10)
        assert sorted(u.user_name for u in page.items) == ["lisi", "zhangsan"]
        assert [u.user_name async for u in aclient.iter_public_account_users("demo-app", pub)] == [
            u.user_name for u in page.items
        ]
        assert await aclient.remove_public_account_users("demo-app", pub, ["lisi"]) == pub
        assert mock.members_of("demo-app", pub) == ["zhangsan"]
        accounts = await aclient.list_accounts("demo-app", account_type=eiam.AccountType.PUBLIC)
        assert accounts == client.list_accounts("demo-app", account_type=eiam.AccountType.PUBLIC)
        assert await aclient.update_account("demo-app", pub, "shared-a", name="Renamed") == pub
        assert await aclient.disable_account("demo-app", pub) == pub
        raw = await aclient.request("GET", f"/api/v2/tenant/applications/demo-app/accounts/{pub}")
        assert (raw["name"], raw["disabled"]) == ("Renamed", True)
        assert await aclient.enable_account("demo-app", pub) == pub
        await aclient.delete_account("demo-app", pub)
        assert mock.account("demo-app", pub) is None

    run(calls())


# ---- typed errors: the sync client's exception, raised by the coroutine -------

ERRORS: "list[tuple[str, tuple[Any, ...], dict[str, Any]]]" = [
    ("bind_public_account_owner", ("demo-app", "missing", "zhangsan"), {}),
    ("get_public_account_owner", ("demo-app", "missing"), {}),
    ("create_public_account", ("demo-app", ""), {}),
    ("create_basic_account", ("demo-app", "no-such-user"), {}),
    ("create_orphan_account", ("demo-app", ""), {}),
    ("add_public_account_users", ("demo-app", "missing", ["zhangsan"]), {}),
    ("remove_public_account_users", ("demo-app", "missing", ["zhangsan"]), {}),
    ("list_public_account_users", ("demo-app", "pub-2"), {"page_size": 9}),
    ("get_account", ("demo-app", "missing"), {}),
    ("list_accounts", ("paging-app",), {"account_type": "BASIC"}),
    ("update_account", ("demo-app", "missing", "n"), {}),
    ("disable_account", ("demo-app", "missing"), {}),
    ("enable_account", ("demo-app", "missing"), {}),
    ("delete_account", ("demo-app", "missing"), {}),
    ("request", ("GET", "/api/v2/tenant/applications/demo-app/accounts/missing"), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), ERRORS, ids=[e[0] for e in ERRORS])
def test_a_failing_call_raises_what_the_sync_call_raises(
    run: Runner,
    aclient: eiam.AsyncClient,
    client: eiam.Client,
    name: str,
    args: "tuple[Any, ...]",
    kwargs: "dict[str, Any]",
) -> None:
    with pytest.raises(eiam.EiamError) as sync:
        getattr(client, name)(*args, **kwargs)

    async def call() -> None:
        await getattr(aclient, name)(*args, **kwargs)

    with pytest.raises(eiam.EiamError) as caught:
        run(call())
    assert type(caught.value) is type(sync.value)
    assert (caught.value.code, caught.value.http_status, str(caught.value)) == (
        sync.value.code,
        sync.value.http_status,
        str(sync.value),
    )


def test_bad_credentials_raise_auth_error(run: Runner, mock: MockServer) -> None:
    c = eiam.AsyncClient(mock.base_url, client_id=mock.client_id, client_secret="wrong")
    with pytest.raises(eiam.AuthError):
        run(c.authenticate())


def test_bad_arguments_raise_at_the_call_with_the_sync_messages(aclient: eiam.AsyncClient) -> None:
    with pytest.raises(TypeError, match="^app_id must be str, not NoneType$"):
        aclient.get_account(None, "x")  # type: ignore[arg-type, unused-coroutine]
    with pytest.raises(TypeError, match="^page_size must be int, not bool$"):
        aclient.iter_accounts("paging-app", page_size=True)
    with pytest.raises(eiam.InvalidArgumentError, match="async_workers"):
        eiam.AsyncClient("http://127.0.0.1:1", access_token="t", allow_insecure_http=True, async_workers=0)


# ---- never blocking the loop ----------------------------------------------------


def test_100_delayed_calls_run_at_once_and_the_loop_keeps_ticking(
    run: Runner, aclient: eiam.AsyncClient, mock: MockServer
) -> None:
    async def calls() -> "tuple[float, float, list[eiam.Account]]":
        await aclient.authenticate()
        mock.delay_next(0.2, 100)
        gaps: "list[float]" = []
        done = False

        async def ticker() -> None:
            last = time.monotonic()
            while not done:
                await asyncio.sleep(0.005)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        ticking = asyncio.create_task(ticker())
        start = time.monotonic()
        accounts = await asyncio.gather(*(aclient.get_account("demo-app", "pub-2") for _ in range(100)))
        elapsed = time.monotonic() - start
        done = True
        await ticking
        return elapsed, max(gaps), accounts

    elapsed, worst_gap, accounts = run(calls())
    assert [a.id for a in accounts] == ["pub-2"] * 100
    assert elapsed < 2.0, f"100 calls of 200 ms took {elapsed:.2f} s"
    # A call that waited for its answer on the loop would block it for the
    # answer's 200 ms; starting 100 calls in one burst legitimately takes the
    # loop a few ms, and tens on a loaded 2-core machine (51 ms seen).
    assert worst_gap < 0.1, f"the loop was blocked for {worst_gap * 1000:.0f} ms"
    assert mock.stats.max_in_flight > 50


def test_async_workers_bounds_the_calls_in_flight(run: Runner, mock: MockServer) -> None:
    c = async_client(mock, async_workers=2)

    async def calls() -> None:
        await c.authenticate()
        mock.delay_next(0.05, 6)
        await asyncio.gather(*(c.get_account("demo-app", "pub-2") for _ in range(6)))

    run(calls())
    assert mock.stats.max_in_flight == 2


def test_results_are_settled_on_the_loops_thread(run: Runner, aclient: eiam.AsyncClient) -> None:
    settled_on: "list[int]" = []

    def record(fut: "asyncio.Future[Any]") -> None:
        settled_on.append(threading.get_ident())

    async def call(account_id: str) -> Any:
        coroutine = aclient.get_account("demo-app", account_id)
        task = asyncio.ensure_future(coroutine)
        task.add_done_callback(record)
        return await task

    async def calls() -> int:
        # In debug mode asyncio raises when a future is settled from
        # another thread than its loop's.
        asyncio.get_running_loop().set_debug(True)
        accounts = await asyncio.gather(*(call("pub-2") for _ in range(20)))
        assert {a.id for a in accounts} == {"pub-2"}
        with pytest.raises(eiam.ApiError):
            await call("missing")
        return threading.get_ident()

    loop_thread = run(calls())
    assert settled_on == [loop_thread] * 21


# ---- cancellation ---------------------------------------------------------------


def test_cancelling_the_task_cancels_the_call(run: Runner, mock: MockServer) -> None:
    # One worker: the next call can only run once the cancelled one has
    # ended (the mock itself waits out its delay, so its in_flight cannot
    # show that).
    c = async_client(mock, async_workers=1)

    async def cancel() -> "tuple[float, float]":
        await c.authenticate()
        mock.delay_next(10.0, 1)
        task = asyncio.create_task(c.get_account("demo-app", "pub-2"))
        assert await wait_for(lambda: mock.stats.in_flight == 1)
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        cancelled_after = time.monotonic() - start
        assert (await c.get_account("demo-app", "pub-2")).id == "pub-2"
        return cancelled_after, time.monotonic() - start

    cancelled_after, next_call_after = run(cancel())
    assert cancelled_after < 0.1
    assert next_call_after < 2.0, "the cancelled call kept the only worker"


def test_a_cancelled_wait_for_raises_timeout_and_frees_the_worker(run: Runner, mock: MockServer) -> None:
    c = async_client(mock, async_workers=1)

    async def timed_out() -> float:
        await c.authenticate()
        mock.delay_next(10.0, 1)
        start = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.get_account("demo-app", "pub-2"), 0.05)
        await c.disable_account("demo-app", "pub-2")
        return time.monotonic() - start

    assert run(timed_out()) < 2.0


# ---- async paging ----------------------------------------------------------------


def test_async_for_walks_every_page_and_stops_early(run: Runner, aclient: eiam.AsyncClient, mock: MockServer) -> None:
    async def walk() -> "tuple[int, int, int, int]":
        await aclient.authenticate()
        before = mock.stats.api_requests
        everything = [a.id async for a in aclient.iter_accounts("paging-app", page_size=100)]
        full = mock.stats.api_requests - before
        before = mock.stats.api_requests
        first: "list[str]" = []
        async for account in aclient.iter_accounts("paging-app", page_size=100):
            first.append(account.id)
            if len(first) == 150:
                break
        assert first == everything[:150]
        return len(everything), len(set(everything)), full, mock.stats.api_requests - before

    assert run(walk()) == (250, 250, 3, 2)


def test_a_repeated_page_raises_protocol_error(run: Runner, aclient: eiam.AsyncClient, client: eiam.Client, mock: MockServer) -> None:
    page = client.list_accounts("paging-app", page_size=10)
    body = page_as_served(page, total=250)
    mock.fail_next(50, status=200, body=body)

    async def walk() -> "list[str]":
        seen: "list[str]" = []
        with pytest.raises(eiam.ProtocolError, match="same 10 items"):
            async for account in aclient.iter_accounts("paging-app", page_size=10):
                seen.append(account.id)
        return seen

    assert run(walk()) == [a.id for a in page.items]


def test_a_bad_page_size_raises_on_the_first_item(run: Runner, aclient: eiam.AsyncClient) -> None:
    async def walk() -> None:
        async for _ in aclient.iter_public_account_users("demo-app", "pub-2", page_size=9):
            pass

    with pytest.raises(eiam.InvalidArgumentError) as caught:
        run(walk())
    assert caught.value.code == "OAP.PAGE.0002"


# ---- the client's life ------------------------------------------------------------


def test_async_with_closes_the_client(run: Runner, mock: MockServer) -> None:
    async def use() -> None:
        async with async_client(mock) as c:
            assert isinstance(c, eiam.AsyncClient) and "closed" not in repr(c)
            walk = c.iter_accounts("paging-app")
            assert (await c.get_account("demo-app", "pub-2")).id == "pub-2"
        assert "closed" in repr(c)
        with pytest.raises(eiam.InvalidArgumentError, match="closed"):
            c.get_account("demo-app", "pub-2")  # type: ignore[unused-coroutine]
        with pytest.raises(eiam.InvalidArgumentError, match="closed"):
            await walk.__anext__()
        await c.close()  # closing twice is harmless

    run(use())


def test_a_call_is_a_coroutine_that_starts_when_awaited(run: Runner, aclient: eiam.AsyncClient, mock: MockServer) -> None:
    async def use() -> None:
        call = aclient.disable_account("demo-app", "pub-2")
        assert asyncio.iscoroutine(call)
        await asyncio.sleep(0)
        assert mock.account("demo-app", "pub-2")["disabled"] is False  # type: ignore[index]
        await asyncio.create_task(call)
        assert mock.account("demo-app", "pub-2")["disabled"] is True  # type: ignore[index]

    run(use())


EXIT_WITH_A_CALL_IN_FLIGHT = """
import asyncio, sys, eiam
client = eiam.AsyncClient(sys.argv[1], access_token=sys.argv[2])
loop = asyncio.new_event_loop()
async def start() -> None:
    loop.create_task(client.get_account("demo-app", "pub-2"))
    await asyncio.sleep(0)  # the call starts on a worker
loop.run_until_complete(start())
# Ends with the call in flight and the loop open: its answer comes while
# the interpreter finalizes, or after.
"""


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05])
def test_exiting_with_a_call_in_flight_is_quiet(
    mock: MockServer, delay: float, tmp_path: pathlib.Path
) -> None:
    mock.delay_next(delay, 1)
    done = subprocess.run(
        [sys.executable, "-c", EXIT_WITH_A_CALL_IN_FLIGHT, mock.base_url, mock.issue_token()],
        capture_output=True,
        text=True,
        timeout=30,
        # Not python/, where `import eiam` would find the sources without
        # the compiled module.
        cwd=tmp_path,
    )
    assert (done.returncode, done.stderr) == (0, "")

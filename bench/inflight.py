"""Async, 100 in flight, 20 ms latency (issue 19): eiam's async APIs in
Python, Node and Go against what a user of each language would write
instead, on a mock that answers every query 20 ms late, as over a WAN.

Every contender makes the same owner query (GET, the same headers, the
answer parsed from JSON) with IN_FLIGHT calls in flight at a time: asyncio
tasks behind a semaphore, Node promises in as many loops, Go goroutines.
A session is a fresh client (one token request), warmed up with
2 × IN_FLIGHT calls so that its connections are open; a run times one batch
of calls. The ideal is IN_FLIGHT calls every latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

import eiam

from runners import GET_PATH, Session, headers, mock_env, program_session
from server import Mock
from stats import Result, Results

CALLS = 1000
QUICK_CALLS = 200
# At most this many runs: httpx takes 10-20 s for 1,000 calls (see
# bench/FINDINGS.md), the others a fraction of a second.
RUNS = 5
IN_FLIGHT = 100
LATENCY_MS = 20
IDEAL = IN_FLIGHT / (LATENCY_MS / 1000)
OP = "get"
HERE = Path(__file__).resolve().parent
NODE = HERE / "async" / "node"
GO = HERE / "async" / "go"


class Unavailable(Exception):
    """This build lacks the eiam API a contender measures (it is being
    written in another branch): the row is reported missing."""


# A contender: mock -> a session making calls IN_FLIGHT at a time.
AsyncRunner = Callable[[Mock], Session]


@dataclass
class AsyncContender:
    name: str
    runner: AsyncRunner


# ---------------------------------------------------------------- Python (asyncio)

Call = Callable[[], Awaitable[object]]


async def in_flight(call: Call, calls: int) -> float:
    """`calls` calls, IN_FLIGHT at a time (a semaphore); the wall time."""
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one() -> None:
        async with gate:
            await call()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(calls)))
    return time.perf_counter() - started


def asyncio_runner(client: Callable[[Mock], contextlib.AbstractAsyncContextManager[Call]]) -> AsyncRunner:
    """A Python contender: `client(mock)` opens a client and gives its
    query; the session keeps it, and its own event loop, between runs."""

    def open_session(mock: Mock) -> Session:
        loop = asyncio.new_event_loop()
        stack = contextlib.AsyncExitStack()
        try:
            call = loop.run_until_complete(stack.enter_async_context(client(mock)))
            loop.run_until_complete(in_flight(call, 2 * IN_FLIGHT))
        except BaseException:
            loop.run_until_complete(stack.aclose())
            loop.close()
            raise

        def close() -> None:
            loop.run_until_complete(stack.aclose())
            loop.close()

        return Session(lambda calls: loop.run_until_complete(in_flight(call, calls)), close)

    return open_session


@contextlib.asynccontextmanager
async def eiam_client(mock: Mock) -> AsyncIterator[Call]:
    if not hasattr(eiam, "AsyncClient"):
        raise Unavailable("eiam.AsyncClient is not in this build")
    async with eiam.AsyncClient(mock.url, client_id=mock.client_id, client_secret=mock.client_secret,
                                async_workers=128) as client:
        yield lambda: client.get_public_account_owner("demo-app", "pub-1")


@contextlib.asynccontextmanager
async def httpx_client(mock: Mock) -> AsyncIterator[Call]:
    import httpx

    # httpx keeps only 20 idle connections unless told otherwise.
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    async with httpx.AsyncClient(base_url=mock.url, headers=headers(mock.token()), limits=limits) as client:
        async def call() -> None:
            r = await client.get(GET_PATH)
            r.raise_for_status()
            r.json()

        yield call


@contextlib.asynccontextmanager
async def aiohttp_client(mock: Mock) -> AsyncIterator[Call]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
    async with aiohttp.ClientSession(mock.url, headers=headers(mock.token()), connector=connector) as session:
        async def call() -> None:
            async with session.get(GET_PATH) as r:
                r.raise_for_status()
                await r.json()

        yield call


# ---------------------------------------------------------------- Node and Go programs

def program_runner(argv: Callable[[], list[str]], env: dict[str, str], with_token: bool) -> AsyncRunner:
    """A Node or Go bench program (the protocol of `runners.program_session`;
    its first line is {"ready"} or {"unavailable": why}). `argv()` builds
    the program if needed; with_token hands it a token from the harness."""

    def open_session(mock: Mock) -> Session:
        extra = {"EIAM_BENCH_IN_FLIGHT": str(IN_FLIGHT), **env}
        if with_token:
            extra["EIAM_BENCH_TOKEN"] = mock.token()
        ready, session = program_session(argv(), {**mock_env(mock), **extra})
        if "unavailable" in ready:
            session.close()
            raise Unavailable(str(ready["unavailable"]))
        return session

    return open_session


def node(script: str) -> Callable[[], list[str]]:
    return lambda: ["node", str(NODE / script)]


class GoProgram:
    """A program of bench/async/go, built on first use into `out`."""

    def __init__(self, package: str, out: Path, env: dict[str, str]) -> None:
        self.package, self.binary, self.env = package, out / f"go-{package}", env
        self.built = False

    def __call__(self) -> list[str]:
        if not self.built:
            build = subprocess.run(["go", "build", "-o", str(self.binary), f"./{self.package}"], cwd=GO,
                                   env={**os.environ, **self.env}, capture_output=True, text=True)
            if build.returncode != 0:
                # The binding's synchronous GetPublicAccountOwner takes no ctx.
                if "in call to c.GetPublicAccountOwner" in build.stderr:
                    raise Unavailable("bindings/go has no GetPublicAccountOwner(ctx, ...) in this build")
                raise RuntimeError(f"go build ./{self.package}:\n{build.stderr}")
            self.built = True
        return [str(self.binary)]


def contenders(prefix: Path, out: Path) -> list[AsyncContender]:
    """`prefix`: an installed libeiam (make install), for the Go and Node
    bindings; `out`: where to build the Go programs."""
    lib = prefix / "lib"
    go_env = {"PKG_CONFIG_PATH": str(lib / "pkgconfig"), "CGO_ENABLED": "1"}
    library = {"LD_LIBRARY_PATH": str(lib), "EIAM_LIB": str(lib / "libeiam.so")}
    return [
        AsyncContender("Python eiam.AsyncClient", asyncio_runner(eiam_client)),
        AsyncContender("httpx.AsyncClient", asyncio_runner(httpx_client)),
        AsyncContender("aiohttp", asyncio_runner(aiohttp_client)),
        AsyncContender("Node eiam (promises)", program_runner(node("eiam.js"), library, with_token=False)),
        AsyncContender("Node fetch (undici)", program_runner(node("fetch.js"), {}, with_token=True)),
        AsyncContender("Go eiam, 100 goroutines", program_runner(GoProgram("eiam", out, go_env), library,
                                                                 with_token=False)),
        AsyncContender("Go net/http, 100 goroutines", program_runner(GoProgram("nethttp", out, {}), {},
                                                                     with_token=True)),
    ]


# ---------------------------------------------------------------- the runs

@dataclass
class AsyncResults:
    results: Results
    # Rows this build cannot run, and why.
    unavailable: dict[str, str]
    calls: int
    runs: int


def measure(mock: Mock, chosen: list[AsyncContender], runs: int, calls: int, seed: int) -> AsyncResults:
    """`runs` rounds, the contenders in a new random order each round; each
    run a fresh session timing one batch of `calls`. Records the token
    requests of each session."""
    results = {(c.name, OP): Result(c.name, OP) for c in chosen}
    unavailable: dict[str, str] = {}
    rng = random.Random(seed)
    for _ in range(runs):
        order = [c for c in chosen if c.name not in unavailable]
        rng.shuffle(order)
        for contender in order:
            result = results[(contender.name, OP)]
            before = mock.stats()["token_requests"]
            try:
                session = contender.runner(mock)
            except Unavailable as why:
                unavailable[contender.name] = str(why)
                del results[(contender.name, OP)]
                continue
            try:
                result.rates.append(calls / session.time(calls))
            finally:
                session.close()
            result.token_requests.append(mock.stats()["token_requests"] - before)
    return AsyncResults(results, unavailable, calls, runs)

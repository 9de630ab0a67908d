"""The Python half of eiam.AsyncClient's calls: the coroutine each call
returns, and settling its future on the event loop's thread."""

import asyncio
from typing import Any, Callable


async def _run(start: "Callable[[asyncio.AbstractEventLoop], asyncio.Future[Any]]") -> Any:
    """Starts the call on the running loop when awaited (not before, as an
    ``async def`` would) and waits for its future."""
    return await start(asyncio.get_running_loop())


async def _value(value: Any) -> Any:
    return value


def _settle(fut: "asyncio.Future[Any]", ok: bool, value: Any) -> None:
    """Runs on the loop's thread (scheduled with call_soon_threadsafe by a
    worker): a future cancelled meanwhile keeps its cancellation."""
    if fut.done():
        return
    if ok:
        fut.set_result(value)
    else:
        fut.set_exception(value)

"""The Python half of eiam.AsyncClient's calls: the coroutine each call
returns, and the channel that brings results back to the loop's thread."""

import asyncio
import importlib
import os
import weakref
from typing import Any, Callable

# The compiled module has no stub of its own: its public names are typed in
# eiam/__init__.pyi, and this private one is used only here.
_Completions: Any = importlib.import_module("eiam._eiam")._Completions

_channels: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any]" = weakref.WeakKeyDictionary()


def _channel(loop: asyncio.AbstractEventLoop) -> Any:
    """The loop's completion channel: workers queue results and write a
    byte to its pipe; the loop reads the pipe and settles the futures."""
    channel = _channels.get(loop)
    if channel is None:
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)
        channel = _Completions(read_fd, write_fd)
        loop.add_reader(read_fd, channel.drain)
        _channels[loop] = channel
    return channel


async def _run(start: "Callable[[asyncio.AbstractEventLoop, Any], asyncio.Future[Any]]") -> Any:
    """Starts the call on the running loop when awaited (not before, as an
    ``async def`` would) and waits for its future."""
    loop = asyncio.get_running_loop()
    return await start(loop, _channel(loop))


async def _value(value: Any) -> Any:
    return value

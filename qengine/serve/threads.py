"""Where a request's work runs: the runtime's Python and the database's blocking
calls, in a few threads beside the event loop.

Few, because the work is mostly Python holding the GIL: forty threads (Starlette's
default) taking turns on two cores make every request slow and none faster, while
four keep the cores busy and let a PostgreSQL round trip overlap other work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

THREADS = 4
T = TypeVar("T")
# One limiter per event loop: a worker has one; tests may run several servers at once.
_limiters: dict[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = {}


async def work(function: Callable[..., T], *args) -> T:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(THREADS)
    return await anyio.to_thread.run_sync(function, *args, limiter=limiter)

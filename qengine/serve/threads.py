"""Where a request's work runs: the runtime's Python and the database's calls.

A respondent's request is Python holding the GIL, and one or two statements. On
SQLite those statements take a fraction of a millisecond on a local file, and the
work runs on the event loop itself: handing it to a thread cost about 0.3 ms a
request (the hand-over, and the two threads fighting for the GIL), a fifth of
the request, for nothing to overlap, since only one of them runs at a time
anyway. On PostgreSQL it runs in a few threads, so that a round trip to the
database overlaps another request's work. Few, because the work is mostly
Python: forty threads (Starlette's default) taking turns on two cores make every
request slow and none faster, while four keep the cores busy.

Work that may take long on any database (the password hash of /admin, its counts
over every response) always runs in a thread (`in_thread`), never holding up the
event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

THREADS = 4
T = TypeVar("T")
# One limiter per event loop: a worker has one; tests may run several servers at once.
_limiters: dict[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = {}


async def in_thread(function: Callable[..., T], *args) -> T:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(THREADS)
    return await anyio.to_thread.run_sync(function, *args, limiter=limiter)


class Runner:
    """Runs a respondent's request: on the event loop (`inline`, SQLite) or in
    one of the work threads (PostgreSQL). One per application (`app.state.runner`)."""

    def __init__(self, *, inline: bool):
        self.inline = inline

    async def __call__(self, function: Callable[..., T], *args) -> T:
        if self.inline:
            return function(*args)
        return await in_thread(function, *args)


async def work(request: Request, function: Callable[..., T], *args) -> T:
    """`function(*args)` where the request's application runs respondents' work."""
    runner: Runner = request.app.state.runner
    return await runner(function, *args)

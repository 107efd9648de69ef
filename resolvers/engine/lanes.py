"""A request's share of the database connections, as the task running it sees it.

The service sets it for the duration of a request (its key's share); the pool takes a turn
of it before each connection. The engine reads it to take that turn before the process's
fact-statement gate, so that a key waiting for its own connections never holds a gate turn
that other tenants' statements need.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar

CONNECTION_LANE: ContextVar[asyncio.Semaphore | None] = ContextVar("connection_lane", default=None)


@contextlib.asynccontextmanager
async def lane_turn() -> AsyncIterator[None]:
    """Take a turn of the current lane (if any) now; connections taken inside take none."""
    lane = CONNECTION_LANE.get()
    if lane is None:
        yield
        return
    async with lane:
        token = CONNECTION_LANE.set(None)
        try:
            yield
        finally:
            CONNECTION_LANE.reset(token)

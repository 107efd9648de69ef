"""Each API key's share of the process: a few requests executing at once, and a few of the
database connections, so that one key never holds what other tenants need."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from resolvers.engine import CONNECTION_LANE


class KeyBusy(Exception):
    """The key already runs as many requests as it may, and none ended in time."""


@dataclass
class Lane:
    """One key's turns: executing requests and held connections."""

    requests: asyncio.Semaphore
    connections: asyncio.Semaphore
    users: int = field(default=0)


class KeyLanes:
    """The lanes of the keys with requests in flight (a lane is dropped when unused)."""

    def __init__(self, *, requests: int, connections: int, wait_seconds: float) -> None:
        self.requests = requests
        self.connections = connections
        self.wait_seconds = wait_seconds
        self._lanes: dict[str, Lane] = {}

    def _lane(self, key_id: str) -> Lane:
        lane = self._lanes.get(key_id)
        if lane is None:
            lane = Lane(asyncio.Semaphore(self.requests), asyncio.Semaphore(self.connections))
            self._lanes[key_id] = lane
        return lane

    async def enter(self, key_id: str) -> Callable[[], None]:
        """Take one of the key's turns, waiting up to ``wait_seconds`` (``KeyBusy`` past it);
        the function that gives it back (calling it again does nothing)."""
        lane = self._lane(key_id)
        lane.users += 1
        try:
            async with asyncio.timeout(self.wait_seconds):
                await lane.requests.acquire()
        except TimeoutError:
            self._leave(key_id, lane)
            raise KeyBusy from None
        except BaseException:
            self._leave(key_id, lane)
            raise
        given_back = False

        def give_back() -> None:
            nonlocal given_back
            if not given_back:
                given_back = True
                lane.requests.release()
                self._leave(key_id, lane)

        return give_back

    def connections_of(self, key_id: str) -> asyncio.Semaphore:
        """The connection share of a key holding a turn."""
        return self._lanes[key_id].connections

    def _leave(self, key_id: str, lane: Lane) -> None:
        lane.users -= 1
        if lane.users == 0:
            del self._lanes[key_id]

    @asynccontextmanager
    async def turn(self, key_id: str) -> AsyncIterator[None]:
        """Run the body as one of the key's executing requests, its database connections
        drawn from the key's share; ``KeyBusy`` when no turn comes within the wait."""
        give_back = await self.enter(key_id)
        token = CONNECTION_LANE.set(self.connections_of(key_id))
        try:
            yield
        finally:
            CONNECTION_LANE.reset(token)
            give_back()

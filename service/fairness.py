"""Each API key's share of the process: a few requests executing at once, and a few of the
database connections, so that one key never holds what other tenants need."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from service.db.pool import CONNECTION_LANE


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

    @asynccontextmanager
    async def turn(self, key_id: str) -> AsyncIterator[None]:
        """Run the body as one of the key's executing requests, its database connections
        drawn from the key's share; ``KeyBusy`` when no turn comes within the wait."""
        lane = self._lane(key_id)
        lane.users += 1
        try:
            try:
                async with asyncio.timeout(self.wait_seconds):
                    await lane.requests.acquire()
            except TimeoutError:
                raise KeyBusy from None
            token = CONNECTION_LANE.set(lane.connections)
            try:
                yield
            finally:
                CONNECTION_LANE.reset(token)
                lane.requests.release()
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key_id]

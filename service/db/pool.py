"""The asyncpg connection pool shared by one process."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import asyncpg

from resolvers.engine import CONNECTION_LANE
from service.db.statements import count_statements
from service.db.urls import asyncpg_url
from service.settings import Settings


class _LaneAcquire:
    """A pool acquisition that first takes a turn of the caller's lane."""

    def __init__(self, inner: Any, lane: asyncio.Semaphore) -> None:
        self.inner = inner
        self.lane = lane

    async def __aenter__(self) -> asyncpg.Connection:
        await self.lane.acquire()
        try:
            return await self.inner.__aenter__()
        except BaseException:
            self.lane.release()
            raise

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            await self.inner.__aexit__(kind, error, trace)
        finally:
            self.lane.release()


class LanedPool(asyncpg.Pool):  # type: ignore[misc]
    """A pool whose connections a request takes within its key's share (``CONNECTION_LANE``).

    Only ``async with pool.acquire()`` (and the pool's own query methods, which use it) is
    laned; nothing in the service awaits ``acquire()`` bare.
    """

    def acquire(self, *, timeout: float | None = None) -> Any:
        inner = super().acquire(timeout=timeout)
        lane = CONNECTION_LANE.get()
        return inner if lane is None else _LaneAcquire(inner, lane)


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Pool ``reset`` hook: nothing to undo. No statement leaves session state behind: the
    session settings are the pool's own (``server_settings``), advisory locks and settings
    changed by a load are its transaction's, cursors live in transactions, and asyncpg rolls
    back a transaction left open before calling this. Asyncpg's default reset query would
    cost a round trip on every release, that is after every fact statement."""


async def create_pool(settings: Settings, url: str) -> asyncpg.Pool:
    """A pool whose sessions run in the business time zone under the statement timeout."""
    timeout_ms = int(settings.statement_timeout_seconds * 1000)
    pool = LanedPool(
        asyncpg_url(url),
        min_size=1,
        max_size=settings.pool_size,
        init=count_statements,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        max_queries=50000,
        max_inactive_connection_lifetime=300.0,
        connect=None,
        setup=None,
        reset=_keep_session,
        loop=None,
        server_settings={
            "timezone": settings.timezone,
            "statement_timeout": str(timeout_ms),
            "application_name": "memberlens",
            # Fact statements are short; compiling them costs more than it saves.
            "jit": "off",
            # Generic plans of the fact statements lose the slice pruning and run far slower.
            "plan_cache_mode": "force_custom_plan",
        },
    )
    await pool
    return pool

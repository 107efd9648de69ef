"""A process runs at most as many fact statements at once as its gate allows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from resolvers.engine import FactFilter, Window, read_bases
from service.db.pool import create_pool
from service.settings import Settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Bases of two families (orders, events), so each reading runs two statements at once.
BASES = {"gmv", "card_clicks"}


async def test_fact_statements_wait_for_the_gate(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    pool = await create_pool(settings.model_copy(update={"pool_size": 8}), database_url)
    held = peak = 0
    acquire = pool.acquire

    @asynccontextmanager
    async def counted(**kwargs: Any) -> AsyncIterator[asyncpg.Connection]:
        nonlocal held, peak
        async with acquire(**kwargs) as connection:
            held += 1
            peak = max(peak, held)
            await asyncio.sleep(0.05)  # hold it long enough for the others to try
            try:
                yield connection
            finally:
                held -= 1

    pool.acquire = counted
    windows = [
        Window(
            0, "s1", datetime(2026, 3, 1, tzinfo=SHANGHAI), datetime(2026, 4, 1, tzinfo=SHANGHAI)
        )
    ]

    async def reading(gate: asyncio.Semaphore | None) -> None:
        await read_bases(pool, windows=windows, bases=BASES, facts=FactFilter(), gate=gate)

    try:
        gate = asyncio.Semaphore(2)
        await asyncio.gather(*(reading(gate) for _ in range(3)))
        assert peak == 2  # six statements, two at a time
        held = peak = 0
        await asyncio.gather(*(reading(None) for _ in range(3)))
        assert peak > 2  # without a gate they all run at once
    finally:
        await pool.close()

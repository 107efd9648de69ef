"""What the commands share: a migrated database and a pool over it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

from service.db.migrate import upgrade
from service.db.pool import create_pool
from service.db.server import database
from service.settings import Settings

Result = TypeVar("Result")


def run_with_pool(settings: Settings, work: Callable[[asyncpg.Pool], Awaitable[Result]]) -> Result:
    """Migrate the database (starting the embedded one if needed) and run ``work`` on a pool."""
    with database(settings) as url:
        upgrade(url, settings.timezone, progress=sys.stderr.isatty())

        async def go() -> Result:
            pool = await create_pool(settings, url)
            try:
                return await work(pool)
            finally:
                await pool.close()

        return asyncio.run(go())

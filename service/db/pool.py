"""The asyncpg connection pool shared by one process."""

from __future__ import annotations

import asyncpg

from service.db.statements import count_statements
from service.db.urls import asyncpg_url
from service.settings import Settings


async def create_pool(settings: Settings, url: str) -> asyncpg.Pool:
    """A pool whose sessions run in the business time zone under the statement timeout."""
    timeout_ms = int(settings.statement_timeout_seconds * 1000)
    pool: asyncpg.Pool = await asyncpg.create_pool(
        asyncpg_url(url),
        min_size=1,
        init=count_statements,
        max_size=settings.pool_size,
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
    return pool

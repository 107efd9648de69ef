"""The kept fact readings a request may use: the process's cache at the data version the
request reads once."""

from __future__ import annotations

import asyncio
from typing import Final

from resolvers.engine import CachedAt
from resolvers.shared import shared
from schema.context import Info

DATA_VERSION_SQL: Final = """
SELECT version
FROM data_version
"""


async def cached_at(info: Info) -> CachedAt:
    """The cache at the data version of this request (read by the first field asking)."""

    async def read() -> CachedAt:
        version: int = await info.context.pool.fetchval(DATA_VERSION_SQL)
        return CachedAt(info.context.figures, version)

    # Shielded: a field cancelled while waiting (a non-null sibling failed) must not cancel
    # the reading the request's other fields wait on.
    task = shared(info, "data version", lambda: asyncio.ensure_future(read()))
    return await asyncio.shield(task)

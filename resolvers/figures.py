"""The kept fact readings a request may use: the process's cache at the data version the
request reads once."""

from __future__ import annotations

import asyncio
from typing import Final
from zoneinfo import ZoneInfo

import asyncpg

from resolvers.engine import Aggregates, CachedAt, FigureCache
from resolvers.shared import shared
from schema.context import Info

# The data version, the setup version (KPI targets, segments, keys), the zone the order
# days are ready in (NULL while they are not), whether the member activity is ready, and
# the zones the member steps, the shop order days, the event days and the order slice days
# are ready in.
VERSIONS_SQL: Final = """
SELECT
    version,
    (SELECT version FROM setup_version) AS setup_version,
    (SELECT zone FROM order_days_state WHERE ready) AS day_zone,
    (SELECT ready FROM member_activity_state) AS member_activity,
    (SELECT zone FROM member_steps_state WHERE ready) AS member_steps_zone,
    (SELECT zone FROM shop_order_days_state WHERE ready) AS shop_days_zone,
    (SELECT zone FROM event_days_state WHERE ready) AS event_days_zone,
    (SELECT zone FROM order_slice_days_state WHERE ready) AS order_slice_days_zone
FROM data_version
"""


async def read_versions(
    pool: asyncpg.Pool, zone: ZoneInfo, figures: FigureCache
) -> tuple[CachedAt, int]:
    """The cache at the current data version, with the aggregates ready for ``zone``, and
    the setup version: one statement."""
    record = await pool.fetchrow(VERSIONS_SQL)

    def ready_in(column: str) -> str | None:
        return zone.key if record[column] == zone.key else None

    ready = Aggregates(
        ready_in("day_zone"),
        record["member_activity"],
        ready_in("member_steps_zone"),
        ready_in("shop_days_zone"),
        ready_in("event_days_zone"),
        ready_in("order_slice_days_zone"),
    )
    return CachedAt(figures, record["version"], ready), record["setup_version"]


async def cached_at(info: Info) -> CachedAt:
    """The cache at the data version of this request (read before it ran, for a kept
    answer, or by the first field asking), and the aggregates ready for it."""
    context = info.context
    if context.cached is not None:
        return context.cached

    async def read() -> CachedAt:
        cached, _ = await read_versions(context.pool, context.settings.zone, context.figures)
        return cached

    # Shielded: a field cancelled while waiting (a non-null sibling failed) must not cancel
    # the reading the request's other fields wait on.
    task = shared(info, "data version", lambda: asyncio.ensure_future(read()))
    return await asyncio.shield(task)

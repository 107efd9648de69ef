"""The kept fact readings a request may use: the process's cache at the data version the
request reads once."""

from __future__ import annotations

import asyncio
from typing import Final

from resolvers.engine import Aggregates, CachedAt
from resolvers.shared import shared
from schema.context import Info

# The version, the zone the order days are ready in (NULL while they are not), and
# whether the member activity is ready.
DATA_VERSION_SQL: Final = """
SELECT
    version,
    (SELECT zone FROM order_days_state WHERE ready) AS day_zone,
    (SELECT ready FROM member_activity_state) AS member_activity
FROM data_version
"""


async def cached_at(info: Info) -> CachedAt:
    """The cache at the data version of this request (read by the first field asking), and
    the aggregates ready for it (the order days in the request's business time zone)."""

    async def read() -> CachedAt:
        record = await info.context.pool.fetchrow(DATA_VERSION_SQL)
        zone = info.context.settings.zone.key
        day_zone = zone if record["day_zone"] == zone else None
        ready = Aggregates(day_zone, record["member_activity"])
        return CachedAt(info.context.figures, record["version"], ready)

    # Shielded: a field cancelled while waiting (a non-null sibling failed) must not cancel
    # the reading the request's other fields wait on.
    task = shared(info, "data version", lambda: asyncio.ensure_future(read()))
    return await asyncio.shield(task)

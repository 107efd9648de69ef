"""Building ``order_days`` for the data already loaded, in the business time zone.

Triggers keep the rows of every (shop, buyer) pair a statement touches once the state
names a zone (migration 0006). ``build_order_days`` sets the zone, rebuilds every shop's
rows a few shops per transaction (each holding off writers of orders, members and fans
only while it runs: a write before or after is kept by its own trigger), and marks the
rows ready. It does nothing when they are ready in that zone already; an interrupted
build starts again.
"""

from __future__ import annotations

import time
from typing import Final, TextIO

import asyncpg

SHOPS_PER_STEP: Final = 40

STATE_SQL: Final = """
SELECT zone, ready
FROM order_days_state
"""

START_SQL: Final = """
UPDATE order_days_state
SET zone = $1, ready = false
"""

CLEAR_SQL: Final = "TRUNCATE order_days"

SHOPS_SQL: Final = """
SELECT shop_id
FROM shops
ORDER BY shop_id
"""

# Writers of the tables the rows depend on wait while a step runs.
HOLD_WRITERS_SQL: Final = "LOCK TABLE orders, members, fans IN SHARE MODE"

REFRESH_SHOPS_SQL: Final = """
SELECT refresh_order_days(array_agg(shop_id), array_agg(user_id))
FROM (
    SELECT DISTINCT shop_id, user_id
    FROM orders
    WHERE shop_id = any($1::text[])
) AS pairs
"""

READY_SQL: Final = """
UPDATE order_days_state
SET ready = true
"""


class Progress:
    """Shops done so far, on one rewritten line of a terminal (nothing elsewhere)."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total = total
        self.stream = stream if stream is not None and stream.isatty() else None
        self.started = time.monotonic()

    def show(self, done: int) -> None:
        if self.stream is None:
            return
        seconds = time.monotonic() - self.started
        end = "\n" if done == self.total else ""
        self.stream.write(f"\rorder days: {done:,}/{self.total:,} shops, {seconds:.0f} s{end}")
        self.stream.flush()


async def build_order_days(
    connection: asyncpg.Connection,
    zone: str,
    *,
    stream: TextIO | None = None,
) -> float | None:
    """Build ``order_days`` in ``zone`` unless it is ready in it; the seconds it took, or
    None when there was nothing to build. Progress goes to ``stream`` on a terminal."""
    state = await connection.fetchrow(STATE_SQL)
    if state["zone"] == zone and state["ready"]:
        return None
    async with connection.transaction():
        await connection.execute(START_SQL, zone)
        await connection.execute(CLEAR_SQL)
    shops = [record["shop_id"] for record in await connection.fetch(SHOPS_SQL)]
    progress = Progress(len(shops), stream)
    for first in range(0, len(shops), SHOPS_PER_STEP):
        step = shops[first : first + SHOPS_PER_STEP]
        async with connection.transaction():
            await connection.execute(HOLD_WRITERS_SQL)
            await connection.execute(REFRESH_SHOPS_SQL, step)
        progress.show(first + len(step))
    await connection.execute(READY_SQL)
    return time.monotonic() - progress.started

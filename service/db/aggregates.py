"""Building the aggregates for the data already loaded: the order days (in the business
time zone), the member activity, the member steps (in the zone, from the member activity),
the shop order days (from the order days), the event days (from the events and the
order days) and the order slice days (from the orders).

Triggers keep an aggregate's rows of every (shop, user) pair, (shop, day) or stint a
statement touches once its state says it is kept (migrations 0006, 0007, 0011 to 0018).
``build_aggregates`` turns that on, rebuilds every shop's rows a few shops per transaction
(each holding off writers of the tables the aggregate reads only while it runs: a write
before or after is kept by its own trigger), and marks the rows ready; only ready rows are
read. An aggregate ready already (the order days in the same zone) is left as it is; an
interrupted build starts again.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Final

import asyncpg
from rich.progress import Progress

from service.db.locks import BUILD_LOCK_KEY, LOAD_LOCK_KEY
from service.progress import progress_bar

SHOPS_PER_STEP: Final = 40

# Readers keep nothing across a build: a kept reading of the rows being rebuilt is not
# served after it starts or after it ends.
BUMP_VERSION_SQL: Final = """
UPDATE data_version
SET version = greatest(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
"""

SHOPS_SQL: Final = """
SELECT shop_id
FROM shops
ORDER BY shop_id
"""


@dataclass(frozen=True)
class Aggregate:
    """How one aggregate is built (its SQL names come from code only)."""

    name: str
    zoned: bool  # its rows depend on the business time zone (the statements take it, $1)
    ready_sql: str  # one boolean: ready (in the zone)
    start_sql: str  # kept by the triggers from now on (in the zone), not ready
    clear_sql: str
    sources: tuple[str, ...]  # the tables it reads: their writers wait while a step runs
    step_sql: str  # rebuilds the rows of the shops $1 (text[])
    done_sql: str

    def zone_args(self, zone: str) -> tuple[str, ...]:
        return (zone,) if self.zoned else ()

    @property
    def hold_sql(self) -> str:
        return f"LOCK TABLE {', '.join(self.sources)} IN SHARE MODE"


def pairs_step(refresh: str, source: str) -> str:
    """A step calling ``refresh`` (a function of (shops[], users[])) on every (shop, user)
    pair of ``source`` of the step's shops. Names come from code."""
    return f"""
SELECT {refresh}(array_agg(shop_id), array_agg(user_id))
FROM (
    SELECT DISTINCT shop_id, user_id
    FROM {source}
    WHERE shop_id = any($1::text[])
) AS pairs
"""  # noqa: S608 (names from code)


def zoned(
    name: str, state: str, tables: tuple[str, ...], sources: tuple[str, ...], step_sql: str
) -> Aggregate:
    """An aggregate whose state table ``state`` holds its zone (null: not kept) and
    readiness; ``tables`` are its own. Names come from code."""
    return Aggregate(
        name=name,
        zoned=True,
        ready_sql=f"SELECT zone IS NOT DISTINCT FROM $1 AND ready FROM {state}",  # noqa: S608
        start_sql=f"UPDATE {state} SET zone = $1, ready = false",  # noqa: S608
        clear_sql=f"TRUNCATE {', '.join(tables)}",
        sources=sources,
        step_sql=step_sql,
        done_sql=f"UPDATE {state} SET ready = true",  # noqa: S608
    )


LOCK_SQL: Final = "SELECT pg_advisory_lock($1)"
UNLOCK_SQL: Final = "SELECT pg_advisory_unlock($1)"
XACT_LOCK_SQL: Final = "SELECT pg_advisory_xact_lock($1)"


AGGREGATES: Final = (
    zoned(
        "order days",
        "order_days_state",
        ("order_days",),
        ("orders", "members", "fans"),
        pairs_step("refresh_order_days", "orders"),
    ),
    Aggregate(
        name="member activity",
        zoned=False,
        ready_sql="SELECT ready FROM member_activity_state",
        start_sql="UPDATE member_activity_state SET kept = true, ready = false",
        clear_sql="TRUNCATE member_activity",
        sources=("members", "events", "orders"),
        step_sql=pairs_step("refresh_member_activity", "members"),
        done_sql="UPDATE member_activity_state SET ready = true",
    ),
    # after the member activity, which it is built from (emptying that stops keeping it)
    zoned(
        "member steps",
        "member_steps_state",
        ("member_steps", "member_recency", "member_step_months"),
        ("member_activity",),
        "SELECT refresh_member_steps($1::text[])",
    ),
    # after the order days, which it is built from (emptying them stops keeping it)
    zoned(
        "shop order days",
        "shop_order_days_state",
        ("shop_order_days",),
        ("order_days",),
        """
SELECT refresh_shop_order_days(array_agg(shop_id), array_agg(day))
FROM (
    SELECT DISTINCT shop_id, day
    FROM order_days
    WHERE shop_id = any($1::text[])
) AS cells
""",
    ),
    # after the order days, which it reads (emptying them stops keeping it)
    zoned(
        "event days",
        "event_days_state",
        ("event_days", "shop_event_days"),
        ("events", "order_days"),
        "SELECT build_event_days($1::text[])",
    ),
    # after the order days (emptying them stops keeping it)
    zoned(
        "order slice days",
        "order_slice_days_state",
        ("order_slice_days", "shop_order_slice_days"),
        ("orders", "members", "fans"),
        "SELECT build_order_slice_days($1::text[])",
    ),
)


async def build(
    connection: asyncpg.Connection, aggregate: Aggregate, zone: str, bar: Progress | None
) -> float | None:
    """Build ``aggregate`` unless it is ready; the seconds it took, or None. The caller
    holds the build lock."""
    if await connection.fetchval(aggregate.ready_sql, *aggregate.zone_args(zone)):
        return None
    async with connection.transaction():
        await connection.execute(aggregate.start_sql, *aggregate.zone_args(zone))
        await connection.execute(aggregate.clear_sql)
        await connection.execute(BUMP_VERSION_SQL)
    started = time.monotonic()
    shops = [record["shop_id"] for record in await connection.fetch(SHOPS_SQL)]
    task = bar.add_task(f"{aggregate.name} (shops)", total=len(shops)) if bar else None
    for first in range(0, len(shops), SHOPS_PER_STEP):
        step = shops[first : first + SHOPS_PER_STEP]
        async with connection.transaction():
            # after any load in progress (which writes the sources in its own order), then
            # holding off other writers of the sources
            await connection.execute(XACT_LOCK_SQL, LOAD_LOCK_KEY)
            await connection.execute(aggregate.hold_sql)
            await connection.execute(aggregate.step_sql, step)
        if bar is not None and task is not None:
            bar.advance(task, len(step))
    async with connection.transaction():
        await connection.execute(aggregate.done_sql)
        await connection.execute(BUMP_VERSION_SQL)
    return time.monotonic() - started


# Nothing kept, nothing ready, no rows: what a database loaded before the aggregates
# existed looks like (and the quickest way to load much data, building afterwards).
STOP_KEEPING_SQL: Final = """
UPDATE order_days_state SET zone = NULL, ready = false;
UPDATE member_activity_state SET kept = false, ready = false;
-- which empties the shop order days, the member steps, the event days and the order slice
-- days, and stops keeping them
TRUNCATE order_days, member_activity
"""


async def stop_keeping(connection: asyncpg.Connection) -> None:
    """Stop keeping the aggregates and empty them, until ``build_aggregates`` runs."""
    await connection.execute(STOP_KEEPING_SQL)


async def build_aggregates(
    connection: asyncpg.Connection, zone: str, *, progress: bool = False
) -> dict[str, float]:
    """Build every aggregate not ready (the order days in ``zone``); the seconds each
    build took. With ``progress``, a bar on standard error shows the shops done."""
    built = {}
    bar = progress_bar() if progress else None
    # One build at a time: a second one waits, then finds the rows ready.
    await connection.execute(LOCK_SQL, BUILD_LOCK_KEY)
    try:
        with bar or contextlib.nullcontext():
            for aggregate in AGGREGATES:
                seconds = await build(connection, aggregate, zone, bar)
                if seconds is not None:
                    built[aggregate.name] = seconds
    finally:
        await connection.execute(UNLOCK_SQL, BUILD_LOCK_KEY)
    return built

"""Fact families: one grouped statement each, run once per request for all its windows."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import asyncpg

from resolvers.engine.aggregates import (
    NO_AGGREGATES,
    Aggregates,
    day_args,
    day_windows,
    serves_slice,
    whole_days,
)
from resolvers.engine.benefits_sql import BENEFIT_BASES, BENEFIT_FACTS_SQL
from resolvers.engine.cache import CachedAt, WindowKey, WindowRows
from resolvers.engine.event_days_sql import event_days_reading
from resolvers.engine.events_sql import EVENT_BASES, EVENT_COSTLY_PARTS, EVENT_FACTS_SQL
from resolvers.engine.lanes import lane_turn
from resolvers.engine.member_steps_sql import MEMBER_STEPS_SQL
from resolvers.engine.members_sql import (
    MEMBER_ACTIVITY_FACTS_SQL,
    MEMBER_BASES,
    MEMBER_COSTLY_PARTS,
    MEMBER_FACTS_SQL,
)
from resolvers.engine.order_days_sql import ORDER_DAYS_SQL
from resolvers.engine.orders_sql import ORDER_BASES, ORDER_COSTLY_PARTS, ORDER_FACTS_SQL
from resolvers.engine.reach_sql import REACH_BASES, REACH_COSTLY_PARTS, REACH_FACTS_SQL
from resolvers.engine.shop_order_days_sql import (
    SHOP_ORDER_DAYS_SQL,
    SHOP_ORDER_SLICE_DAYS_SQL,
    order_slice_days_reading,
)
from resolvers.engine.windows import FactFilter, Window, statement_args


class Family(Enum):
    ORDERS = "orders"
    MEMBERS = "members"
    EVENTS = "events"
    REACH = "reach"
    BENEFITS = "benefits"


@dataclass(frozen=True)
class FamilySpec:
    sql: str
    bases: tuple[str, ...]
    parameters: int  # how many of the seven statement parameters it takes
    # Costly parts of the statement, each the bases that need it: the statement takes one
    # boolean parameter per part after the others ($8, $9, …), true when a base is wanted.
    costly: tuple[frozenset[str], ...] = ()

    def flags(self, bases: set[str]) -> tuple[bool, ...]:
        """The values of the costly parts' parameters for the bases wanted."""
        return tuple(bool(bases & part) for part in self.costly)


FAMILIES: dict[Family, FamilySpec] = {
    Family.ORDERS: FamilySpec(ORDER_FACTS_SQL, ORDER_BASES, 7, ORDER_COSTLY_PARTS),
    Family.MEMBERS: FamilySpec(MEMBER_FACTS_SQL, MEMBER_BASES, 7, MEMBER_COSTLY_PARTS),
    Family.EVENTS: FamilySpec(EVENT_FACTS_SQL, EVENT_BASES, 7, EVENT_COSTLY_PARTS),
    Family.REACH: FamilySpec(REACH_FACTS_SQL, REACH_BASES, 7, REACH_COSTLY_PARTS),
    Family.BENEFITS: FamilySpec(BENEFIT_FACTS_SQL, BENEFIT_BASES, 4),
}

FAMILY_OF_BASE: dict[str, Family] = {
    base: family for family, spec in FAMILIES.items() for base in spec.bases
}

# (window id, slice key) -> base name -> value; a missing base means "no facts": zero.
Bases = dict[tuple[int, str], dict[str, Decimal]]


async def _fetch(
    pool: asyncpg.Pool, sql: str, args: tuple[object, ...], gate: asyncio.Semaphore | None
) -> list[asyncpg.Record]:
    """One fact statement on a pool connection of its own: a turn of the request's
    connection share first, then of ``gate``, then the connection (so that waiting for the
    gate holds no connection, and waiting for the share holds no gate turn)."""
    async with lane_turn(), gate or contextlib.nullcontext(), pool.acquire() as connection:
        rows: list[asyncpg.Record] = await connection.fetch(sql, *args)
        return rows


def _flags(family: Family, bases: set[str], facts: FactFilter) -> tuple[bool, ...]:
    """The family's costly parts to run for ``bases`` on ``facts``. A members breakdown
    (a dimension's every value) runs the joins and leaves whatever it asks: a value whose
    stints all joined or left in the period is one of its rows, with no members at E."""
    flags = FAMILIES[family].flags(bases)
    if family is Family.MEMBERS and facts.dimension is not None and facts.value is None:
        return (*flags[:2], True)
    return flags


# A statement and its parameters.
Statement = tuple[str, tuple[object, ...]]


def _aggregate_read(
    family: Family, facts: FactFilter, ready: Aggregates, flags: tuple[bool, ...]
) -> tuple[str, Callable[[list[Window]], Statement]] | None:
    """The zone of the days of the aggregate serving the family's windows of whole business
    days on this slice, and its statement over such windows; None if none does. The shop
    order days serve no slice, the shop order slice days the product-card entries, the
    order days no dimension or a user's, for every buyer;
    the member steps (with the member recency and months) no slice; the event days no
    slice and the product-card entries."""
    no_slice = facts.dimension is None and facts.users is None
    # the shop order days take the orders' flags of each distinct count (after the four
    # lookups of the raw statement)
    slice_reading = order_slice_days_reading(facts) if family is Family.ORDERS else None
    if slice_reading is not None and ready.order_slice_days_zone is not None:
        zone = ready.order_slice_days_zone
        return zone, lambda windows: (
            SHOP_ORDER_SLICE_DAYS_SQL,
            (*day_windows(windows, zone), zone, *slice_reading, *flags[4:]),
        )
    if family is Family.ORDERS and ready.shop_days_zone is not None and no_slice:
        zone = ready.shop_days_zone
        return zone, lambda windows: (
            SHOP_ORDER_DAYS_SQL,
            (*day_windows(windows, zone), zone, *flags[4:]),
        )
    if family is Family.ORDERS and ready.day_zone is not None and serves_slice(facts):
        zone = ready.day_zone
        return zone, lambda windows: (ORDER_DAYS_SQL, day_args(windows, facts, zone))
    if family is Family.MEMBERS and ready.member_steps_zone is not None and no_slice:
        zone = ready.member_steps_zone
        # the joins and leaves, the period's active members: wanted or not
        return zone, lambda windows: (
            MEMBER_STEPS_SQL,
            (*statement_args(windows, facts), zone, flags[2], flags[0]),
        )
    reading = event_days_reading(facts) if family is Family.EVENTS else None
    if reading is not None and ready.event_days_zone is not None:
        zone = ready.event_days_zone
        sql, parameters = reading
        # every flag but the order lookup of the high-potential and lost users
        return zone, lambda windows: (
            sql,
            (*day_windows(windows, zone), zone, *parameters, *flags[1:]),
        )
    return None


def _statements(
    family: Family,
    windows: list[Window],
    bases: set[str],
    facts: FactFilter,
    ready: Aggregates,
) -> list[Statement]:
    """The statements that read ``windows``: windows of whole business days from the
    aggregate serving them (``_aggregate_read``), the other members' activity flags
    from the member activity, everything else from the raw facts."""
    spec = FAMILIES[family]
    flags = _flags(family, bases, facts)
    statements: list[Statement] = []
    rest = windows
    aggregate = _aggregate_read(family, facts, ready, flags)
    if aggregate is not None:
        zone, statement = aggregate
        whole = [whole_days(window, zone) for window in windows]
        served = [window for window, fits in zip(windows, whole, strict=True) if fits]
        rest = [window for window, fits in zip(windows, whole, strict=True) if not fits]
        if served:
            statements.append(statement(served))
    if rest:
        args = statement_args(rest, facts)[: spec.parameters]
        # the members' activity flags (the first two parts: the period's, at E)
        if family is Family.MEMBERS and ready.member_activity and any(flags[:2]):
            statements.append((MEMBER_ACTIVITY_FACTS_SQL, (*args, *flags)))
        else:
            statements.append((spec.sql, (*args, *flags)))
    return statements


def _window_key(
    family: Family, flags: tuple[bool, ...], window: Window, facts: FactFilter
) -> WindowKey:
    dimension = facts.dimension.name if facts.dimension is not None else None
    return (family.value, flags, window.shop_id, window.start, window.end, dimension, facts.value)


async def _family_rows(
    pool: asyncpg.Pool,
    family: Family,
    *,
    windows: list[Window],
    bases: set[str],
    facts: FactFilter,
    cached: CachedAt | None,
    gate: asyncio.Semaphore | None,
) -> dict[int, WindowRows]:
    """The family's rows of each window (window id -> slice key -> base -> value): kept
    readings where the cache has them, the statement over the other windows."""
    spec = FAMILIES[family]
    flags = _flags(family, bases, facts)
    # Segment readings (a set of users) are not kept: their rules change the set.
    cache = cached if facts.users is None else None
    found: dict[int, WindowRows] = {}
    missing = []
    for window in windows:
        rows = (
            cache.cache.get(cache.version, _window_key(family, flags, window, facts))
            if cache
            else None
        )
        if rows is None:
            missing.append(window)
        else:
            found[window.window_id] = rows
    if not missing:
        return found
    read: dict[int, WindowRows] = {window.window_id: {} for window in missing}
    ready = cached.aggregates if cached is not None else NO_AGGREGATES
    readings = await asyncio.gather(
        *(
            _fetch(pool, sql, args, gate)
            for sql, args in _statements(family, missing, bases, facts, ready)
        )
    )
    for record in (record for records in readings for record in records):
        values = read[record["window_id"]].setdefault(record["slice_key"], {})
        for base in spec.bases:
            value = record[base]
            values[base] = Decimal(value) if value is not None else Decimal(0)
    for window in missing:
        if cache is not None:
            key = _window_key(family, flags, window, facts)
            cache.cache.put(cache.version, key, read[window.window_id])
    return found | read


async def read_bases(
    pool: asyncpg.Pool,
    *,
    windows: list[Window],
    bases: set[str],
    facts: FactFilter,
    cached: CachedAt | None = None,
    gate: asyncio.Semaphore | None = None,
) -> Bases:
    """Run the statement of each family holding a wanted base once, over all windows
    (those not kept in ``cached``, when given), at most as many at once in the process as
    ``gate`` allows.

    The families' statements run concurrently, each on its own pool connection (the
    request's statement count follows them: it travels in the tasks' context). Missing
    bases mean no facts (zero); the caller's formulas treat them so.
    """
    found: Bases = defaultdict(dict)
    if not windows:
        return found
    families = sorted({FAMILY_OF_BASE[base] for base in bases}, key=lambda f: f.value)
    tasks = [
        asyncio.ensure_future(
            _family_rows(
                pool,
                family,
                windows=windows,
                bases=bases,
                facts=facts,
                cached=cached,
                gate=gate,
            )
        )
        for family in families
    ]
    try:
        results = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:  # one failed or the request was cancelled: stop the others
            task.cancel()
        raise
    for rows_by_window in results:
        for window_id, rows in rows_by_window.items():
            for slice_key, values in rows.items():
                found[(window_id, slice_key)].update(values)
    return found

"""Fact families: one grouped statement each, run once per request for all its windows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import asyncpg

from resolvers.engine.benefits_sql import BENEFIT_BASES, BENEFIT_FACTS_SQL
from resolvers.engine.events_sql import EVENT_BASES, EVENT_FACTS_SQL
from resolvers.engine.members_sql import (
    MEMBER_ACTIVITY_BASES,
    MEMBER_BASES,
    MEMBER_FACTS_SQL,
)
from resolvers.engine.orders_sql import ORDER_BASES, ORDER_FACTS_SQL
from resolvers.engine.reach_sql import REACH_BASES, REACH_FACTS_SQL
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
    # Bases that cost extra: the statement takes one more parameter, true when any is wanted.
    costly: frozenset[str] = frozenset()


FAMILIES: dict[Family, FamilySpec] = {
    Family.ORDERS: FamilySpec(ORDER_FACTS_SQL, ORDER_BASES, 7),
    Family.MEMBERS: FamilySpec(MEMBER_FACTS_SQL, MEMBER_BASES, 7, MEMBER_ACTIVITY_BASES),
    Family.EVENTS: FamilySpec(EVENT_FACTS_SQL, EVENT_BASES, 7),
    Family.REACH: FamilySpec(REACH_FACTS_SQL, REACH_BASES, 7),
    Family.BENEFITS: FamilySpec(BENEFIT_FACTS_SQL, BENEFIT_BASES, 4),
}

FAMILY_OF_BASE: dict[str, Family] = {
    base: family for family, spec in FAMILIES.items() for base in spec.bases
}

# (window id, slice key) -> base name -> value; a missing base means "no facts": zero.
Bases = dict[tuple[int, str], dict[str, Decimal]]


async def read_bases(
    pool: asyncpg.Pool,
    *,
    windows: list[Window],
    bases: set[str],
    facts: FactFilter,
) -> Bases:
    """Run the statement of each family holding a wanted base once, over all windows.

    Missing bases mean no facts (zero); the caller's formulas treat them so.
    """
    found: Bases = defaultdict(dict)
    if not windows:
        return found
    args = statement_args(windows, facts)
    families = {FAMILY_OF_BASE[base] for base in bases}
    async with pool.acquire() as connection:
        for family in sorted(families, key=lambda f: f.value):
            spec = FAMILIES[family]
            extra = (bool(bases & spec.costly),) if spec.costly else ()
            for record in await connection.fetch(spec.sql, *args[: spec.parameters], *extra):
                key = (record["window_id"], record["slice_key"])
                for base in spec.bases:
                    value = record[base]
                    found[key][base] = Decimal(value) if value is not None else Decimal(0)
    return found

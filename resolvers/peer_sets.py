"""Peer figure sets: a metric's figures over every shop of a peer group (one tier of an
industry) or of a whole industry, for one period and slice.

A set holds the figure of every shop of the group, the asking shop's included, in shop
order; a shop's peer figures are the set's other figures. Computed once from the group's
fact readings, a set is kept in ``peer_figures`` under the data version it was read at,
so any shop of the group, in any process, reads one row per metric instead of the
group's facts until the data changes (migration 0009; docs/engine.md, *Peer figure sets*).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import asyncpg

from resolvers.catalogue import Metric
from resolvers.engine import Bases, FactFilter, value_of
from resolvers.periods import Period

log = logging.getLogger("memberlens.peers")

EVERY_TIER: Final = 0  # the tier of an industry's set

READ_SQL: Final = """
SELECT tier::int, metric, shop_ids, tiers::text[], figures::text[]
FROM peer_figures
WHERE industry = $1
  AND tier = any($2::text[]::smallint[])
  AND metric = any($3::text[])
  AND first_day = $4
  AND last_day = $5
  AND dimension = $6
  AND slice = $7
  AND version = $8
"""

# Sets of older versions are never served again: removed as the industry's new ones
# come, but for those another writer holds (it never waits, so writers never deadlock).
PRUNE_SQL: Final = """
DELETE FROM peer_figures
WHERE ctid IN (
    SELECT ctid
    FROM peer_figures
    WHERE industry = $1
      AND version < $2
    FOR UPDATE SKIP LOCKED
)
"""

WRITE_SQL: Final = """
INSERT INTO peer_figures (
    industry, tier, metric, first_day, last_day, dimension, slice,
    version, shop_ids, tiers, figures
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::text[]::smallint[], $11::text[]::numeric[])
ON CONFLICT (industry, tier, metric, first_day, last_day, dimension, slice) DO UPDATE
SET version = excluded.version,
    shop_ids = excluded.shop_ids,
    tiers = excluded.tiers,
    figures = excluded.figures
WHERE peer_figures.version < excluded.version
"""


@dataclass(frozen=True)
class Member:
    """A shop of a group, with the window its figures were read in."""

    shop_id: str
    tier: int
    window_id: int


@dataclass(frozen=True)
class PeerSet:
    """One metric's figures over a group's shops, in shop order (None: no figure)."""

    shop_ids: tuple[str, ...]
    tiers: tuple[int, ...]
    figures: tuple[Decimal | None, ...]

    def others(self, shop_id: str, tier: int | None = None) -> list[Decimal]:
        """The figures of the shops but ``shop_id`` (of ``tier`` only, when given) that
        have one, in shop order."""
        return [
            figure
            for shop, shop_tier, figure in zip(self.shop_ids, self.tiers, self.figures, strict=True)
            if shop != shop_id and figure is not None and (tier is None or shop_tier == tier)
        ]


# (whole industry, metric)
SetKey = tuple[bool, Metric]


@dataclass(frozen=True)
class Group:
    """The sets one reading asks for: the shop's peer group and/or its industry, over a
    period on one slice."""

    industry: str
    tier: int
    period: Period
    facts: FactFilter
    scopes: tuple[bool, ...]  # whole industry or not, for each set asked

    def tier_of(self, whole_industry: bool) -> int:
        return EVERY_TIER if whole_industry else self.tier

    def slice_args(self) -> tuple[str, str]:
        dimension = self.facts.dimension.name if self.facts.dimension is not None else ""
        return dimension, self.facts.value or ""


def cover(sets: Mapping[SetKey, PeerSet], scopes: Iterable[bool], metric: Metric) -> bool:
    """Whether ``sets`` answer every scope of ``metric`` (an industry's set answers its
    peer group's as well)."""
    return all((scope, metric) in sets or (True, metric) in sets for scope in scopes)


def choose(sets: Mapping[SetKey, PeerSet], whole_industry: bool, metric: Metric) -> PeerSet:
    """The set answering ``metric`` in the scope (``cover`` said there is one)."""
    return sets.get((whole_industry, metric)) or sets[(True, metric)]


async def read_sets(
    pool: asyncpg.Pool, version: int, group: Group, metrics: Iterable[Metric]
) -> dict[SetKey, PeerSet]:
    """The group's kept sets of the metrics at ``version``."""
    tiers = sorted({group.tier_of(scope) for scope in group.scopes} | {EVERY_TIER})
    rows = await pool.fetch(
        READ_SQL,
        group.industry,
        [str(tier) for tier in tiers],
        [metric.value for metric in metrics],
        group.period.first,
        group.period.last,
        *group.slice_args(),
        version,
    )
    return {
        (row["tier"] == EVERY_TIER, Metric(row["metric"])): PeerSet(
            tuple(row["shop_ids"]),
            tuple(int(tier) for tier in row["tiers"]),
            tuple(Decimal(figure) if figure is not None else None for figure in row["figures"]),
        )
        for row in rows
    }


def sets_from_bases(
    bases: Bases,
    members: Iterable[Member],
    key: str,
    scopes: Iterable[bool],
    metrics: Iterable[Metric],
    tier: int,
) -> dict[SetKey, PeerSet]:
    """The sets of the metrics over the groups' members read in ``bases``, on one slice
    key: an industry's all of them, a peer group's those of ``tier``."""
    ordered = sorted(members, key=lambda member: member.shop_id)
    sets: dict[SetKey, PeerSet] = {}
    for scope in set(scopes):
        group = [member for member in ordered if scope or member.tier == tier]
        for metric in metrics:
            sets[(scope, metric)] = PeerSet(
                tuple(member.shop_id for member in group),
                tuple(member.tier for member in group),
                tuple(value_of(bases, member.window_id, key, metric) for member in group),
            )
    return sets


async def write_sets(
    pool: asyncpg.Pool,
    version: int,
    group: Group,
    sets: Mapping[SetKey, PeerSet],
    *,
    prune: bool,
) -> None:
    """Keep the sets at ``version`` (never over a newer version's), first removing the
    industry's sets of older versions if ``prune``; in one order of rows, so that two
    writers of the same sets never wait on each other."""
    dimension, slice_value = group.slice_args()
    rows = [
        (
            group.industry,
            group.tier_of(scope),
            metric.value,
            group.period.first,
            group.period.last,
            dimension,
            slice_value,
            version,
            list(kept.shop_ids),
            [str(tier) for tier in kept.tiers],
            [str(figure) if figure is not None else None for figure in kept.figures],
        )
        for (scope, metric), kept in sets.items()
    ]
    rows.sort(key=lambda row: (row[1], row[2]))
    try:
        async with pool.acquire() as connection:
            if prune:
                await connection.execute(PRUNE_SQL, group.industry, version)
            await connection.executemany(WRITE_SQL, rows)
    except asyncpg.PostgresError as exc:  # the answer stands; only its keeping failed
        log.warning("peer figure sets of %s not kept: %s", group.industry, exc)

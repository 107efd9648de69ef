"""Metric values of a shop over a period, with their comparisons."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from resolvers.catalogue import CATALOGUE, ComparisonKind, Metric
from resolvers.comparisons import (
    NO_TARGET,
    NOT_APPLICABLE,
    PEER_GROUP_TOO_SMALL,
    PEER_KINDS,
    compare,
    mean,
    percentile_cont,
    rank,
    unavailable,
)
from resolvers.definitions import definition_of
from resolvers.engine import (
    NO_KEY,
    Bases,
    FactFilter,
    Value,
    Window,
    bases_for,
    read_bases,
    value_of,
)
from resolvers.errors import BadUserInput
from resolvers.figures import cached_at
from resolvers.peer_sets import (
    Group,
    Member,
    PeerSet,
    SetKey,
    choose,
    cover,
    read_sets,
    sets_from_bases,
    write_sets,
)
from resolvers.periods import Period, resolve_period
from schema.context import Info
from schema.metric_result import Comparison, MetricResult
from schema.period import PeriodInput

CURRENT, PREVIOUS, LAST_YEAR, FIRST_PEER = 0, 1, 2, 100
# The comparisons read from the shop's peer group (the rest of PEER_KINDS: its industry).
GROUP_KINDS = PEER_KINDS - {ComparisonKind.INDUSTRY_AVERAGE}

# The other shops of the industry: all tiers ($4) for INDUSTRY_AVERAGE, else the tier $3.
PEER_SHOPS_SQL = """
SELECT shop_id, tier
FROM shops
WHERE industry = $1
  AND shop_id <> $2
  AND ($4::boolean OR tier = $3)
ORDER BY shop_id
"""

TARGETS_SQL = """
SELECT metric, target
FROM kpi_targets
WHERE shop_id = $1
  AND metric = any($2::text[])
  AND period_from = $3
  AND period_to = $4
"""


@dataclass(frozen=True)
class ShopKey:
    """What the engine needs to know of the shop read."""

    shop_id: str
    industry: str
    tier: int


def period_of(info: Info, period: PeriodInput) -> Period:
    """The period a ``PeriodInput`` names, checked against the settings."""
    settings = info.context.settings
    return resolve_period(
        first=period.from_,
        last=period.to,
        last_days=period.last_days,
        preset=period.preset,
        today=info.context.today,
        max_days=settings.max_period_days,
    )


def check_metrics(info: Info, names: list[Metric], facts: FactFilter) -> None:
    """At most ``max_metrics`` names, each sliceable by the filter's dimension."""
    limit = info.context.settings.max_metrics
    if len(names) > limit:
        raise BadUserInput(f"names: at most {limit} metrics, not {len(names)}")
    if facts.dimension is None:
        return
    for metric in names:
        if facts.dimension not in CATALOGUE[metric].dimensions:
            raise BadUserInput(
                f"names: metric {metric.name} cannot be read on a {facts.dimension.name} slice"
            )


@dataclass(frozen=True)
class Reading:
    """The bases of every window a metrics field needs, with what its comparisons read."""

    shop: ShopKey
    names: tuple[Metric, ...]
    kinds: tuple[ComparisonKind, ...]
    bases: Bases
    peers: tuple[Member, ...]  # the other shops of the industry read in ``bases``
    # The kept peer figure sets, for a reading on one slice key (no peers read then).
    sets: dict[SetKey, PeerSet]
    targets: dict[str, Decimal]
    whole_shop: bool  # KPI targets are set for the whole shop, never a slice or a segment
    peers_apply: bool

    def peer_sets(self, key: str) -> dict[SetKey, PeerSet]:
        """The peer figure sets on slice ``key``: kept, or from the peers read."""
        if self.sets:
            return self.sets
        own = Member(self.shop.shop_id, self.shop.tier, CURRENT)
        return sets_from_bases(
            self.bases, (own, *self.peers), key, _scopes(self.kinds), self.names, self.shop.tier
        )


def _scopes(kinds: tuple[ComparisonKind, ...]) -> tuple[bool, ...]:
    """The peer sets the comparisons read: the peer group's (False), the industry's (True)."""
    group = [False] if GROUP_KINDS.intersection(kinds) else []
    return (*group, True) if ComparisonKind.INDUSTRY_AVERAGE in kinds else tuple(group)


async def read_metrics(
    info: Info,
    *,
    shop: ShopKey,
    names: list[Metric],
    period: PeriodInput,
    compare_kinds: list[ComparisonKind],
    facts: FactFilter,
    peers_apply: bool = True,
) -> Reading:
    """Read the bases of the metrics on the slice (every value of the filter's dimension
    when it names none) for the period and each comparison's windows."""
    check_metrics(info, names, facts)
    span = period_of(info, period)
    zone = info.context.settings.zone
    pool = info.context.pool
    kinds = tuple(dict.fromkeys(compare_kinds))
    whole_shop = facts.dimension is None and facts.users is None

    def window(window_id: int, shop_id: str, days: Period) -> Window:
        return Window(window_id, shop_id, days.start(zone), days.end(zone))

    windows = [window(CURRENT, shop.shop_id, span)]
    if ComparisonKind.PREVIOUS_PERIOD in kinds:
        windows.append(window(PREVIOUS, shop.shop_id, span.previous()))
    if ComparisonKind.SAME_PERIOD_LAST_YEAR in kinds:
        windows.append(window(LAST_YEAR, shop.shop_id, span.last_year()))
    targets: dict[str, Decimal] = {}
    if ComparisonKind.TARGET in kinds and whole_shop:
        rows = await pool.fetch(
            TARGETS_SQL, shop.shop_id, [m.value for m in names], span.first, span.last
        )
        targets = {row["metric"]: row["target"] for row in rows}
    # A segment's readings are not kept (its rule decides the users), so no version is read.
    cached = await cached_at(info) if facts.users is None else None
    scopes = _scopes(kinds) if peers_apply else ()
    group = Group(shop.industry, shop.tier, span, facts, scopes)
    # The data version peer sets are kept at: for readings on one slice key (a breakdown's
    # keys are not known ahead) of the whole shop's facts (a segment's are not kept).
    sets_version = (
        cached.version
        if cached is not None
        and info.context.settings.peer_sets
        and (facts.dimension is None or facts.value is not None)
        else None
    )
    sets = {}
    if scopes and sets_version is not None:
        sets = await read_sets(pool, sets_version, group, names)
    peers: list[Member] = []
    if scopes and not all(cover(sets, scopes, metric) for metric in names):
        sets = {}
        others = await pool.fetch(
            PEER_SHOPS_SQL, shop.industry, shop.shop_id, shop.tier, True in scopes
        )
        for offset, record in enumerate(others):
            windows.append(window(FIRST_PEER + offset, record["shop_id"], span))
            peers.append(Member(record["shop_id"], record["tier"], FIRST_PEER + offset))
    bases = await read_bases(
        pool,
        windows=windows,
        bases=bases_for(names),
        facts=facts,
        cached=cached,
        gate=info.context.fact_gate,
    )
    reading = Reading(
        shop=shop,
        names=tuple(names),
        kinds=kinds,
        bases=bases,
        peers=tuple(peers),
        sets=sets,
        targets=targets,
        whole_shop=whole_shop,
        peers_apply=peers_apply,
    )
    if peers and cached is not None and sets_version is not None:
        reading = replace(reading, sets=reading.peer_sets(facts.value or NO_KEY))
        prune = cached.cache.prune_due(sets_version, group.industry)
        await write_sets(pool, sets_version, group, reading.sets, prune=prune)
    return reading


def results_at(reading: Reading, key: str, *, floor: int) -> list[MetricResult]:
    """The metric results of one slice key of a reading, each with its comparisons."""
    bases, shop = reading.bases, reading.shop
    sets = reading.peer_sets(key) if reading.peers_apply and _scopes(reading.kinds) else {}
    results = []
    for metric in reading.names:
        own = value_of(bases, CURRENT, key, metric)
        higher = CATALOGUE[metric].higher_is_better
        comparisons: list[Comparison] = []
        for kind in reading.kinds:
            if kind is ComparisonKind.PREVIOUS_PERIOD:
                comparisons.append(compare(kind, own, value_of(bases, PREVIOUS, key, metric)))
            elif kind is ComparisonKind.SAME_PERIOD_LAST_YEAR:
                comparisons.append(compare(kind, own, value_of(bases, LAST_YEAR, key, metric)))
            elif kind is ComparisonKind.TARGET and not reading.whole_shop:
                comparisons.append(unavailable(kind, NOT_APPLICABLE))
            elif kind is ComparisonKind.TARGET:
                comparisons.append(target_comparison(own, reading.targets.get(metric.value)))
            elif not reading.peers_apply:
                comparisons.append(unavailable(kind, NOT_APPLICABLE))
            else:
                whole_industry = kind is ComparisonKind.INDUSTRY_AVERAGE
                tier = None if whole_industry else shop.tier
                values = choose(sets, whole_industry, metric).others(shop.shop_id, tier)
                comparisons.append(peer_comparison(kind, own, values, floor=floor, higher=higher))
        results.append(
            MetricResult(
                metric=metric,
                value=float(own) if own is not None else None,
                unit=CATALOGUE[metric].unit,
                definition=definition_of(metric),
                comparisons=comparisons,
            )
        )
    return results


async def compute_metrics(
    info: Info,
    *,
    shop: ShopKey,
    names: list[Metric],
    period: PeriodInput,
    compare_kinds: list[ComparisonKind],
    facts: FactFilter,
    peers_apply: bool = True,
) -> list[MetricResult]:
    """The metrics of one shop on one slice, each with the comparisons asked for."""
    reading = await read_metrics(
        info,
        shop=shop,
        names=names,
        period=period,
        compare_kinds=compare_kinds,
        facts=facts,
        peers_apply=peers_apply,
    )
    key = facts.value if facts.value is not None else NO_KEY
    return results_at(reading, key, floor=info.context.settings.peer_floor)


def peer_comparison(
    kind: ComparisonKind, own: Value, values: list[Decimal], *, floor: int, higher: bool
) -> Comparison:
    """A peer or industry figure over the non-null values of the group."""
    if len(values) < floor:
        return unavailable(kind, PEER_GROUP_TOO_SMALL, peer_count=len(values))
    if kind is ComparisonKind.PEER_RANK:
        return rank(own, values, higher_is_better=higher)
    if kind is ComparisonKind.PEER_MEDIAN:
        figure = percentile_cont(values, 0.5)
    elif kind is ComparisonKind.PEER_EXCELLENT:
        figure = percentile_cont(values, 0.9 if higher else 0.1)
    else:
        figure = mean(values)
    return compare(kind, own, figure, peer_count=len(values))


def target_comparison(own: Value, target: Decimal | None) -> Comparison:
    """The KPI target with completion = actual / target."""
    if target is None:
        return unavailable(ComparisonKind.TARGET, NO_TARGET)
    comparison = compare(ComparisonKind.TARGET, own, target)
    if own is not None and target:
        comparison.completion = float(own / target)
    return comparison

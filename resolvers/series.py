"""A metric over the day, week or month buckets of a period, with anomaly flags."""

from __future__ import annotations

import asyncio
import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext
from zoneinfo import ZoneInfo

import asyncpg

from resolvers.catalogue import Granularity, Metric
from resolvers.engine import (
    NO_KEY,
    CachedAt,
    FactFilter,
    Value,
    Window,
    bases_for,
    read_bases,
    value_of,
)
from resolvers.figures import cached_at
from resolvers.metrics import period_of
from resolvers.periods import Period
from resolvers.shop_fields import ShopRoot
from schema.context import Info
from schema.period import PeriodInput
from schema.series import SeriesPoint

HISTORY = 7  # earlier points an anomaly is judged against
ROBUST_SIGMA = Decimal("1.4826")  # MAD to standard deviation, for normal data
SIGMAS = 3
# Precise enough that differences and products of the engine's values never round.
EXACT = Context(prec=200)


def _bucket_last(day: date, granularity: Granularity, limit: date) -> date:
    """The last day of the bucket holding ``day``, or ``limit`` when that comes first (so
    that a bucket reaching past year 9999 is clipped before it is computed)."""
    if granularity is Granularity.DAY:
        return day
    if granularity is Granularity.WEEK:  # weeks start on Monday
        ordinal = min(day.toordinal() + 6 - day.weekday(), limit.toordinal())
        return date.fromordinal(ordinal)
    month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return min(month_end, limit)


def bucket_periods(span: Period, granularity: Granularity) -> list[Period]:
    """The buckets of ``span`` in order: days, Monday-start weeks or calendar months,
    the first and last clipped to ``span``."""
    buckets = [Period(span.first, _bucket_last(span.first, granularity, span.last))]
    while buckets[-1].last < span.last:
        first = buckets[-1].last + timedelta(days=1)
        buckets.append(Period(first, _bucket_last(first, granularity, span.last)))
    return buckets


def _middle(values: Sequence[Decimal]) -> Decimal:
    """The median of an odd number of values."""
    return sorted(values)[len(values) // 2]


def is_anomalous(history: Sequence[Value], value: Value) -> bool:
    """Whether ``value`` lies more than 3 × 1.4826 × MAD from the median of the last 7
    points of ``history``; false when it or any of them is null, with fewer than 7, or
    when MAD is 0."""
    recent = [point for point in history[-HISTORY:] if point is not None]
    if value is None or len(recent) < HISTORY:
        return False
    with localcontext(EXACT):
        median = _middle(recent)
        mad = _middle([abs(point - median) for point in recent])
        return mad > 0 and abs(value - median) > SIGMAS * ROBUST_SIGMA * mad


def flag_anomalies(values: Sequence[Value]) -> list[bool]:
    """Each point's anomaly flag, judged against the points before it."""
    return [is_anomalous(values[:index], value) for index, value in enumerate(values)]


async def read_series(
    pool: asyncpg.Pool,
    *,
    shop_id: str,
    metric: Metric,
    buckets: list[Period],
    zone: ZoneInfo,
    cached: CachedAt | None = None,
    gate: asyncio.Semaphore | None = None,
) -> list[SeriesPoint]:
    """The metric over each bucket, every bucket a window of the same fact statements."""
    windows = [
        Window(index, shop_id, bucket.start(zone), bucket.end(zone))
        for index, bucket in enumerate(buckets)
    ]
    bases = await read_bases(
        pool,
        windows=windows,
        bases=bases_for([metric]),
        facts=FactFilter(),
        cached=cached,
        gate=gate,
    )
    values = [value_of(bases, index, NO_KEY, metric) for index in range(len(buckets))]
    return [
        SeriesPoint(
            start=bucket.first,
            end=bucket.last,
            value=float(value) if value is not None else None,
            anomaly=anomaly,
        )
        for bucket, value, anomaly in zip(buckets, values, flag_anomalies(values), strict=True)
    ]


async def resolve_shop_series(
    root: ShopRoot,
    info: Info,
    metric: Metric,
    period: PeriodInput,
    granularity: Granularity = Granularity.DAY,
) -> list[SeriesPoint]:
    """``Shop.series``."""
    span = period_of(info, period)
    return await read_series(
        info.context.pool,
        shop_id=str(root.id),
        metric=metric,
        buckets=bucket_periods(span, granularity),
        zone=info.context.settings.zone,
        cached=await cached_at(info),
        gate=info.context.fact_gate,
    )

"""Fields of ``Segment`` that compute: size, customers, metrics, portrait and overlap.

Each field evaluates the saved rule as of its day in one statement built around the
compiled audience (overlap and metrics need one more: the other segment, the metrics)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final, Protocol

import asyncpg
import strawberry

from resolvers.catalogue import ComparisonKind, Dimension, Metric
from resolvers.engine import FactFilter
from resolvers.errors import BadUserInput, NotFound
from resolvers.member_status import MemberStatus, is_fan_sql, member_status_sql
from resolvers.metrics import compute_metrics, period_of
from resolvers.pagination import build_connection, check_first, decode_id_cursor, encode_cursor
from resolvers.segments.audience import (
    SegmentKey,
    as_of_day,
    compile_audience,
    decode_rule,
    member_stint_sql,
)
from resolvers.segments.compiler import segment_sql
from resolvers.segments.params import Params
from resolvers.segments.sizes import segment_size
from resolvers.segments.stored import UnreadableRule, saved_rule_form, unevaluable
from resolvers.slice_labels import label_of
from schema.breakdown import BreakdownRow
from schema.context import Info
from schema.customer import Customer, CustomerConnection
from schema.metric_result import MetricResult
from schema.period import PeriodInput


class SegmentRoot(Protocol):
    """The part of a ``Segment`` object the fields read."""

    @property
    def key(self) -> SegmentKey: ...


USERS_SQL: Final = """
SELECT coalesce(array_agg(user_id), '{{}}')
FROM (
{audience}
) AS audience
"""

# The total rides along on a one-row derived table, so an empty page still reports it.
# User ids compare byte-wise (COLLATE "C"): the order does not depend on the database.
CUSTOMERS_PAGE_SQL: Final = """
WITH audience AS MATERIALIZED (
{audience}
),
page AS (
    SELECT user_id
    FROM audience
    WHERE {after} IS NULL
       OR user_id COLLATE "C" > {after}
    ORDER BY user_id COLLATE "C"
    LIMIT {limit}
)
SELECT total.customers AS total,
       p.user_id,
       u.gender,
       u.age_band,
       u.province,
       u.crowd,
       stint.join_channel,
       {status} AS member_status,
       {is_fan} AS is_fan
FROM (SELECT count(*) AS customers FROM audience) AS total
LEFT JOIN page AS p ON true
LEFT JOIN users AS u ON u.user_id = p.user_id
LEFT JOIN LATERAL {stint} AS stint ON true
ORDER BY p.user_id COLLATE "C"
"""

# Portrait dimensions: the key of a customer, and whether only members count.
PORTRAIT_KEYS: Final[dict[Dimension, tuple[str, bool]]] = {
    Dimension.GENDER: ("coalesce(u.gender, 'unknown')", False),
    Dimension.AGE_BAND: ("coalesce(u.age_band, 'unknown')", False),
    Dimension.PROVINCE: ("coalesce(u.province, 'unknown')", False),
    Dimension.CROWD: ("coalesce(u.crowd, 'unknown')", False),
    Dimension.JOIN_CHANNEL: ("stint.join_channel", True),
}

PORTRAIT_SQL: Final = """
WITH audience AS (
{audience}
)
SELECT {key} AS key,
       count(*) AS customers
FROM audience AS a
LEFT JOIN users AS u ON u.user_id = a.user_id
LEFT JOIN LATERAL {stint} AS stint ON true
WHERE NOT {members_only}
   OR stint.join_channel IS NOT NULL
GROUP BY 1
"""

OTHER_SEGMENT_SQL: Final = """
SELECT rule
FROM segments
WHERE segment_id = $1
  AND shop_id = $2
"""

OVERLAP_SQL: Final = """
SELECT count(*)
FROM (
    (
{first}
    )
    INTERSECT
    (
{second}
    )
) AS both_segments
"""


async def resolve_segment_size(root: SegmentRoot, info: Info, as_of: date | None = None) -> int:
    """``Segment.size``: the customers matching the rule as of the day."""
    day = as_of_day(as_of, zone=info.context.settings.zone)
    return await segment_size(info, root.key, day)


def _customer(record: asyncpg.Record) -> Customer:
    status = record["member_status"]
    return Customer(
        id=strawberry.ID(record["user_id"]),
        is_member=status is not None,
        member_status=MemberStatus(status) if status is not None else None,
        join_channel=record["join_channel"],
        is_fan=record["is_fan"],
        gender=record["gender"],
        age_band=record["age_band"],
        province=record["province"],
        crowd=record["crowd"],
    )


async def resolve_segment_customers(
    root: SegmentRoot,
    info: Info,
    as_of: date | None = None,
    first: int | None = 20,
    after: str | None = None,
) -> CustomerConnection:
    """``Segment.customers``: keyset pages by user id, profile and status as of the day, the
    page and the total from one statement."""
    settings = info.context.settings
    first = check_first(first, max_page_size=settings.max_page_size)
    after_id = decode_id_cursor(after, kind="customer") if after is not None else None
    key = root.key
    day = as_of_day(as_of, zone=settings.zone)
    rule = key.evaluable_rule()
    audience = compile_audience(rule, shop_id=key.shop.shop_id, as_of=day, zone=settings.zone)
    params = audience.params
    shop, at = audience.shop, audience.at
    statement = CUSTOMERS_PAGE_SQL.format(
        audience=audience.sql,
        after=params.add(after_id, "text"),
        limit=params.add(first + 1, "integer"),
        status=member_status_sql(shop, "p.user_id", at),
        is_fan=is_fan_sql(shop=shop, user="p.user_id", at=at),
        stint=member_stint_sql(shop=shop, user="p.user_id", at=at),
    )
    records = await info.context.pool.fetch(statement, *params.values)
    total: int = records[0]["total"]
    customers = [_customer(record) for record in records if record["user_id"] is not None]
    return build_connection(
        customers,
        first=first,
        total=total,
        has_previous=after_id is not None,
        cursor_of=lambda customer: encode_cursor("customer", [str(customer.id)]),
    )


async def resolve_segment_metrics(
    root: SegmentRoot,
    info: Info,
    names: list[Metric],
    period: PeriodInput,
    compare: list[ComparisonKind] | None = (),  # type: ignore[assignment]
    as_of: date | None = None,
) -> list[MetricResult]:
    """``Segment.metrics``: the shop's metrics over the facts of the customers matching the
    rule as of the day; peer figures and targets do not apply to a segment."""
    zone = info.context.settings.zone
    key = root.key
    day = as_of_day(as_of, zone=zone)
    period_of(info, period)  # a bad period fails before the segment is read
    rule = key.evaluable_rule()
    params = Params()
    sql = segment_sql(rule, shop_id=key.shop.shop_id, as_of=day, zone=zone, params=params)
    users: list[str] = await info.context.pool.fetchval(
        USERS_SQL.format(audience=sql), *params.values
    )
    return await compute_metrics(
        info,
        shop=key.shop,
        names=names,
        period=period,
        compare_kinds=list(compare or []),
        facts=FactFilter(users=tuple(users)),
        peers_apply=False,
    )


async def resolve_segment_portrait(
    root: SegmentRoot, info: Info, dimension: Dimension, as_of: date | None = None
) -> list[BreakdownRow]:
    """``Segment.portrait``: customers counted by a user attribute (missing: ``unknown``),
    or the members among them by the join channel of their stint in force."""
    if dimension not in PORTRAIT_KEYS:
        allowed = ", ".join(known.name for known in PORTRAIT_KEYS)
        raise BadUserInput(f"dimension: a portrait is by {allowed}, not {dimension.name}")
    zone = info.context.settings.zone
    key = root.key
    day = as_of_day(as_of, zone=zone)
    audience = compile_audience(
        key.evaluable_rule(), shop_id=key.shop.shop_id, as_of=day, zone=zone
    )
    column, members_only = PORTRAIT_KEYS[dimension]
    statement = PORTRAIT_SQL.format(
        audience=audience.sql,
        key=column,
        members_only="true" if members_only else "false",
        stint=member_stint_sql(shop=audience.shop, user="a.user_id", at=audience.at),
    )
    records = await info.context.pool.fetch(statement, *audience.params.values)
    counts = sorted(
        ((record["key"], record["customers"]) for record in records),
        key=lambda row: (-row[1], row[0]),
    )
    return [
        BreakdownRow(key=value, label=label_of(dimension, value, {}), value=float(customers))
        for value, customers in counts
    ]


async def resolve_segment_overlap(
    root: SegmentRoot,
    info: Info,
    with_: Annotated[strawberry.ID, strawberry.argument(name="with")],
    as_of: date | None = None,
) -> int:
    """``Segment.overlap``: customers in both segments as of the day (one INTERSECT)."""
    settings = info.context.settings
    key = root.key
    shop_id = key.shop.shop_id
    day = as_of_day(as_of, zone=settings.zone)
    rule = key.evaluable_rule()
    pool = info.context.pool
    stored = await pool.fetchval(OTHER_SEGMENT_SQL, str(with_), shop_id)
    if stored is None:
        raise NotFound(f"with: no segment {str(with_)!r} in shop {shop_id!r}")
    try:
        other = saved_rule_form(decode_rule(stored), max_depth=settings.segment_max_depth)
    except UnreadableRule as problem:
        raise unevaluable(str(with_), str(problem), argument="with") from None
    params = Params()
    first = segment_sql(rule, shop_id=shop_id, as_of=day, zone=settings.zone, params=params)
    second = segment_sql(other, shop_id=shop_id, as_of=day, zone=settings.zone, params=params)
    overlap: int = await pool.fetchval(
        OVERLAP_SQL.format(first=first, second=second), *params.values
    )
    return overlap

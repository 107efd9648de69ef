"""Dates whose arithmetic leaves years 1–9999 are BAD_USER_INPUT naming the argument
(SPEC §8), wherever the arithmetic happens; dates near the edges whose arithmetic stays
inside are read as any other.

Over the data of ``segment_fixture`` plus orders of u1 for p1 at s1 (noon, business zone):
two on 9999-12-15, one on 9999-11-10, one on 0001-01-05. So ORDERS over 9999-12-01..30
is 2, over its previous period (9999-11-01..30) 1, over 9998-12-01..30 0; over
0001-01-01..31 it is 1.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import pytest

from resolvers.catalogue import PeriodPreset
from resolvers.days import shift_day
from resolvers.errors import BadUserInput
from resolvers.pagination import encode_cursor
from resolvers.periods import Period, resolve_period
from tests.resolvers.segment_fixture import AS_OF, EVERYONE, at, load_segment_data

EDGE_ORDERS = [
    ("o-9999a", "9999-12-15"),
    ("o-9999b", "9999-12-15"),
    ("o-9999c", "9999-11-10"),
    ("o-0001", "0001-01-05"),
]

METRICS = """
query M($period: PeriodInput!, $compare: [ComparisonKind!]) {
  shop(id: "s1") { metrics(names: [ORDERS], period: $period, compare: $compare) {
    value comparisons { kind value }
  } }
}
"""

SERIES = """
query S($period: PeriodInput!, $granularity: Granularity!) {
  shop(id: "s1") { series(metric: ORDERS, period: $period, granularity: $granularity) {
    start end value
  } }
}
"""

BREAKDOWN = """
query B($period: PeriodInput!) {
  shop(id: "s1") { breakdown(metric: ORDERS, by: CARRIER, period: $period) { key value } }
}
"""

CHANNELS = """
query C($period: PeriodInput!) {
  shop(id: "s1") { channels(kind: CARRIER) { metrics(names: [ORDERS], period: $period) {
    value
  } } }
}
"""

SET_TARGET = """
mutation T($period: PeriodInput!) {
  setKpiTarget(shopId: "s1", metric: ORDERS, period: $period, target: 1) { target }
}
"""

MEMBERS = """
query M($filter: MemberFilter, $after: String) {
  shop(id: "s1") { members(filter: $filter, after: $after) { totalCount } }
}
"""

MEMBER_ORDERS = """
query O($after: String) {
  shop(id: "s1") { member(id: "u1") { orders(after: $after) { totalCount } } }
}
"""

CREATE = """
mutation C($rule: SegmentRuleInput!) { createSegment(shopId: "s1", name: "edge", rule: $rule) {
  id
} }
"""

SEGMENT_METRICS = """
query S($id: ID!, $period: PeriodInput!, $compare: [ComparisonKind!], $asOf: Date) {
  shop(id: "s1") { segment(id: $id) {
    metrics(names: [ORDERS], period: $period, compare: $compare, asOf: $asOf) { value }
  } }
}
"""

SEGMENT_FIELDS = """
query S($id: ID!, $asOf: Date) {
  shop(id: "s1") { segment(id: $id) {
    size(asOf: $asOf)
    customers(asOf: $asOf) { totalCount }
    portrait(dimension: PROVINCE, asOf: $asOf) { key value }
    overlap(with: $id, asOf: $asOf)
  } }
}
"""

SEGMENT_SIZE = """
query S($id: ID!, $asOf: Date) { shop(id: "s1") { segment(id: $id) { size(asOf: $asOf) } } }
"""

EXPORT = """
mutation E($id: ID!, $asOf: Date) { exportSegment(id: $id, asOf: $asOf) { rows } }
"""

PAST_9999 = "period: a period to 9999-12-31 would reach past year 9999"


@pytest.fixture
async def data(shops: asyncpg.Pool) -> asyncpg.Pool:
    await load_segment_data(shops)
    await shops.executemany(
        "INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount, paid_at, "
        "carrier, traffic_type) VALUES ($1, 's1', 'u1', 'p1', 1, 100, $2, 'live', 'organic')",
        [(order_id, at(day)) for order_id, day in EDGE_ORDERS],
    )
    return shops


def refusal(body: dict[str, Any]) -> tuple[str, str, list[str | int]]:
    """The only error of an answer: its code, message and path."""
    [error] = body["errors"]
    return error["extensions"]["code"], error["message"], error["path"]


@pytest.mark.parametrize(
    ("query", "path"),
    [
        (METRICS, ["shop", "metrics"]),
        (SERIES, ["shop", "series"]),
        (BREAKDOWN, ["shop", "breakdown"]),
        (CHANNELS, ["shop", "channels", 0, "metrics"]),
        (SET_TARGET, ["setKpiTarget"]),
    ],
)
async def test_a_period_ending_9999_12_31_has_no_end_instant(
    caller: Any, data: asyncpg.Pool, query: str, path: list[str | int]
) -> None:
    """E is the day after ``to``: 10000-01-01 is no date."""
    body = await (await caller()).query(
        query, period={"from": "9999-12-01", "to": "9999-12-31"}, granularity="WEEK"
    )
    assert refusal(body) == ("BAD_USER_INPUT", PAST_9999, path)


@pytest.mark.parametrize(
    ("period", "kind", "message"),
    [
        (
            {"from": "0001-01-01", "to": "0001-01-31"},
            "PREVIOUS_PERIOD",
            "compare: PREVIOUS_PERIOD of a period starting 0001-01-01 would start before year 1",
        ),
        (
            # 30 days before 0001-01-02
            {"from": "0001-01-02", "to": "0001-01-31"},
            "PREVIOUS_PERIOD",
            "compare: PREVIOUS_PERIOD of a period starting 0001-01-02 would start before year 1",
        ),
        (
            {"from": "0001-12-01", "to": "0001-12-31"},
            "SAME_PERIOD_LAST_YEAR",
            "compare: SAME_PERIOD_LAST_YEAR of a period starting 0001-12-01 "
            "would start before year 1",
        ),
    ],
)
async def test_a_comparison_period_before_year_1_is_bad_user_input(
    caller: Any, data: asyncpg.Pool, period: dict[str, str], kind: str, message: str
) -> None:
    body = await (await caller()).query(METRICS, period=period, compare=[kind])
    assert refusal(body) == ("BAD_USER_INPUT", message, ["shop", "metrics"])


async def test_periods_near_the_edges_are_read_with_their_comparisons(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller()
    december = await me.query(
        METRICS,
        period={"from": "9999-12-01", "to": "9999-12-30"},
        compare=["PREVIOUS_PERIOD", "SAME_PERIOD_LAST_YEAR"],
    )
    assert december == {
        "data": {
            "shop": {
                "metrics": [
                    {
                        "value": 2.0,
                        "comparisons": [
                            {"kind": "PREVIOUS_PERIOD", "value": 1.0},
                            {"kind": "SAME_PERIOD_LAST_YEAR", "value": 0.0},
                        ],
                    }
                ]
            }
        }
    }
    # February of year 1: its previous period, 0001-01-04..31, holds the order of 01-05.
    february = await me.query(
        METRICS, period={"from": "0001-02-01", "to": "0001-02-28"}, compare=["PREVIOUS_PERIOD"]
    )
    assert february["data"]["shop"]["metrics"] == [
        {"value": 0.0, "comparisons": [{"kind": "PREVIOUS_PERIOD", "value": 1.0}]}
    ]
    january = await me.query(METRICS, period={"from": "0001-01-01", "to": "0001-01-31"})
    assert january["data"]["shop"]["metrics"] == [{"value": 1.0, "comparisons": []}]


async def test_series_buckets_are_clipped_before_they_pass_year_9999(
    caller: Any, data: asyncpg.Pool
) -> None:
    """9999-12-01 is a Wednesday; the week of 9999-12-27 would end 10000-01-02."""
    me = await caller()
    period = {"from": "9999-12-01", "to": "9999-12-30"}
    weeks = await me.query(SERIES, period=period, granularity="WEEK")
    assert weeks == {
        "data": {
            "shop": {
                "series": [
                    {"start": "9999-12-01", "end": "9999-12-05", "value": 0.0},
                    {"start": "9999-12-06", "end": "9999-12-12", "value": 0.0},
                    {"start": "9999-12-13", "end": "9999-12-19", "value": 2.0},
                    {"start": "9999-12-20", "end": "9999-12-26", "value": 0.0},
                    {"start": "9999-12-27", "end": "9999-12-30", "value": 0.0},
                ]
            }
        }
    }
    months = await me.query(SERIES, period=period, granularity="MONTH")
    assert months == {
        "data": {"shop": {"series": [{"start": "9999-12-01", "end": "9999-12-30", "value": 2.0}]}}
    }


@pytest.mark.parametrize(
    ("member_filter", "message"),
    [
        (
            {"joinedFrom": "0001-01-01"},
            # 00:00 at +08:05:43 (local mean time) is still year 0 in UTC
            "filter.joinedFrom: 0001-01-01 00:00 Asia/Shanghai would start before year 1 in UTC",
        ),
        (
            {"joinedTo": "9999-12-31"},
            "filter.joinedTo: the day after 9999-12-31 would reach past year 9999",
        ),
    ],
)
async def test_join_days_past_the_edges_are_bad_user_input(
    caller: Any, data: asyncpg.Pool, member_filter: dict[str, str], message: str
) -> None:
    body = await (await caller()).query(MEMBERS, filter=member_filter)
    assert refusal(body) == ("BAD_USER_INPUT", message, ["shop", "members"])


async def test_join_days_at_the_edges_bound_nothing(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller()
    everyone = await me.query(MEMBERS)
    bounded = await me.query(MEMBERS, filter={"joinedFrom": "0001-01-02", "joinedTo": "9999-12-30"})
    assert bounded == everyone
    assert "errors" not in bounded


@pytest.mark.parametrize(
    ("instant", "edge"),
    [
        ("0001-01-01T00:00:00+14:00", "start before year 1"),
        ("9999-12-31T23:00:00-05:00", "reach past year 9999"),
    ],
)
async def test_cursors_at_instants_outside_years_1_to_9999_are_bad_user_input(
    caller: Any, data: asyncpg.Pool, instant: str, edge: str
) -> None:
    me = await caller()
    message = f"after: a cursor at {instant} would {edge} in UTC"
    members = await me.query(MEMBERS, after=encode_cursor("member:JOINED_AT_DESC", [instant, "u1"]))
    assert refusal(members) == ("BAD_USER_INPUT", message, ["shop", "members"])
    orders = await me.query(MEMBER_ORDERS, after=encode_cursor("order", [instant, "o1"]))
    assert refusal(orders) == ("BAD_USER_INPUT", message, ["shop", "member", "orders"])


async def test_segment_fields_at_the_edges(caller: Any, data: asyncpg.Pool) -> None:
    """As of 0001-01-01 nobody is a customer yet; 9999-12-31 is after today."""
    me = await caller()
    created = await me.query(CREATE, rule=EVERYONE)
    segment_id = created["data"]["createSegment"]["id"]

    first_day = await me.query(SEGMENT_FIELDS, id=segment_id, asOf="0001-01-01")
    assert first_day == {
        "data": {
            "shop": {
                "segment": {"size": 0, "customers": {"totalCount": 0}, "portrait": [], "overlap": 0}
            }
        }
    }
    exported = await me.query(EXPORT, id=segment_id, asOf="0001-01-01")
    assert exported == {"data": {"exportSegment": {"rows": 0}}}

    for query in (SEGMENT_SIZE, EXPORT):
        last_day = await me.query(query, id=segment_id, asOf="9999-12-31")
        [error] = last_day["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"].startswith("asOf: 9999-12-31 is after today (")

    metrics = await me.query(
        SEGMENT_METRICS,
        id=segment_id,
        period={"from": "0001-01-01", "to": "0001-01-31"},
        compare=["PREVIOUS_PERIOD"],
        asOf=AS_OF.isoformat(),
    )
    assert refusal(metrics) == (
        "BAD_USER_INPUT",
        "compare: PREVIOUS_PERIOD of a period starting 0001-01-01 would start before year 1",
        ["shop", "segment", "metrics"],
    )


TODAY_FIRST_DAYS = [
    (None, 5, date(1, 1, 3), "period.lastDays: 5 days before 0001-01-03 would start before year 1"),
    (
        PeriodPreset.YESTERDAY,
        None,
        date(1, 1, 1),
        "period.preset: YESTERDAY of 0001-01-01 would start before year 1",
    ),
    (
        PeriodPreset.LAST_30_DAYS,
        None,
        date(1, 1, 10),
        "period.preset: LAST_30_DAYS of 0001-01-10 would start before year 1",
    ),
    (
        PeriodPreset.LAST_MONTH,
        None,
        date(1, 1, 15),
        "period.preset: LAST_MONTH of 0001-01-15 would start before year 1",
    ),
    (PeriodPreset.TODAY, None, date.max, PAST_9999),
    (PeriodPreset.THIS_MONTH, None, date.max, PAST_9999),
]


@pytest.mark.parametrize(("preset", "last_days", "today", "message"), TODAY_FIRST_DAYS)
def test_relative_periods_past_the_edges_are_bad_user_input(
    preset: PeriodPreset | None, last_days: int | None, today: date, message: str
) -> None:
    """Today is the clock's over HTTP, so these are read from ``resolve_period`` itself."""
    with pytest.raises(BadUserInput) as refused:
        resolve_period(
            first=None, last=None, last_days=last_days, preset=preset, today=today, max_days=366
        )
    assert str(refused.value) == message
    assert refused.value.extensions == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize(
    ("preset", "last_days", "today", "expected"),
    [
        (PeriodPreset.TODAY, None, date.min, Period(date.min, date.min)),
        (PeriodPreset.THIS_MONTH, None, date(1, 1, 9), Period(date.min, date(1, 1, 9))),
        (PeriodPreset.LAST_7_DAYS, None, date(1, 1, 8), Period(date.min, date(1, 1, 7))),
        (PeriodPreset.LAST_MONTH, None, date.max, Period(date(9999, 11, 1), date(9999, 11, 30))),
        (None, 366, date.max, Period(date(9998, 12, 30), date(9999, 12, 30))),
    ],
)
def test_relative_periods_at_the_edges_are_read(
    preset: PeriodPreset | None, last_days: int | None, today: date, expected: Period
) -> None:
    period = resolve_period(
        first=None, last=None, last_days=last_days, preset=preset, today=today, max_days=366
    )
    assert period == expected


def test_a_year_back_lands_leap_days_on_february_28() -> None:
    assert shift_day(date(2024, 2, 29), years=-1, subject="x") == date(2023, 2, 28)
    assert shift_day(date(2028, 2, 29), years=-4, subject="x") == date(2024, 2, 29)
    with pytest.raises(BadUserInput, match=r"^x would reach past year 9999$"):
        shift_day(date(9999, 1, 1), years=1, subject="x")

"""``Shop.series`` over the hand-made dataset of ``metric_fixture`` and a tiny daily one.

Expected values are worked out by hand from the specification (§2, §3, §5); users and
orders are named as in ``metric_fixture``. 2026-03-01 is a Sunday.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import asyncpg
import pytest

from tests.conftest import Caller, new_data_version
from tests.resolvers.metric_fixture import SHOP, insert_fixture

SERIES_QUERY = """
query S($shop: ID!, $metric: Metric!, $period: PeriodInput!, $granularity: Granularity!) {
  shop(id: $shop) {
    series(metric: $metric, period: $period, granularity: $granularity) {
      start end value anomaly
    }
  }
}
"""

DEFAULT_GRANULARITY_QUERY = """
query S($shop: ID!, $metric: Metric!, $period: PeriodInput!) {
  shop(id: $shop) { series(metric: $metric, period: $period) { start end value anomaly } }
}
"""

Point = tuple[str, str, float | None, bool]


def points(body: dict[str, Any]) -> list[Point]:
    assert body.get("errors") is None, body["errors"]
    return [
        (point["start"], point["end"], point["value"], point["anomaly"])
        for point in body["data"]["shop"]["series"]
    ]


async def read_series(
    caller: Any,
    metric: str,
    first: str,
    last: str,
    granularity: str = "DAY",
    shop: str = SHOP,
) -> list[Point]:
    body = await (await caller()).query(
        SERIES_QUERY,
        shop=shop,
        metric=metric,
        period={"from": first, "to": last},
        granularity=granularity,
    )
    return points(body)


def days(first_day: int, values: list[float | None], month: str = "2026-03") -> list[Point]:
    """One DAY point per value from ``month-first_day``, none anomalous."""
    return [
        (f"{month}-{first_day + n:02d}", f"{month}-{first_day + n:02d}", value, False)
        for n, value in enumerate(values)
    ]


@pytest.fixture
async def dataset(db: asyncpg.Pool) -> asyncpg.Pool:
    await insert_fixture(db)
    return db


async def test_day_series_of_gmv_sums_each_day_alone(caller: Any, dataset: asyncpg.Pool) -> None:
    # s1 orders: o10 99.90 at 03-01 00:00, o11 259.90 on 03-03, o13 150.00 on 03-05.
    # o05 (02-28 23:59:59) is the day before; x1 on 03-10 is s2's.
    series = await read_series(caller, "GMV", "2026-03-01", "2026-03-05")
    assert series == days(1, [99.9, 0.0, 259.9, 0.0, 150.0])


async def test_granularity_defaults_to_day(caller: Any, dataset: asyncpg.Pool) -> None:
    body = await (await caller()).query(
        DEFAULT_GRANULARITY_QUERY,
        shop=SHOP,
        metric="GMV",
        period={"from": "2026-03-01", "to": "2026-03-02"},
    )
    assert points(body) == days(1, [99.9, 0.0])


async def test_member_count_is_taken_at_each_days_end(caller: Any, dataset: asyncpg.Pool) -> None:
    # Stints covering E = the next day 00:00. Day 03-11: u01, u02, u04, u05, u06, u07,
    # u08 = 7 (u03 is between stints). 03-12 to 03-14: u03 rejoined at 03-12 09:00, 8.
    # 03-15 and 03-16: u02 left at 03-15 10:00, 7.
    series = await read_series(caller, "MEMBER_COUNT", "2026-03-11", "2026-03-16")
    assert series == days(11, [7.0, 8.0, 8.0, 8.0, 7.0, 7.0])


async def test_week_buckets_start_on_monday_and_are_clipped_at_both_ends(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # 03-04 is a Wednesday, 03-17 a Tuesday. Wed 03-04..Sun 03-08: o13 150.00 + o17 70.00;
    # 03-09..03-15: o15 50.00 + o16 80.00; Mon 03-16..Tue 03-17: o22 20.00. o11 (03-03) and
    # o14 (03-20) fall outside the period.
    series = await read_series(caller, "GMV", "2026-03-04", "2026-03-17", "WEEK")
    assert series == [
        ("2026-03-04", "2026-03-08", 220.0, False),
        ("2026-03-09", "2026-03-15", 130.0, False),
        ("2026-03-16", "2026-03-17", 20.0, False),
    ]


async def test_month_buckets_are_clipped_to_the_period(caller: Any, dataset: asyncpg.Pool) -> None:
    # 02-15..02-28: o05 60.00 at 02-28 23:59:59 (o02 on 02-10 is before the period);
    # March: 1505.30 (test_metric_values); 04-01..04-10: o20 88.00 at 04-01 00:00.
    gmv = await read_series(caller, "GMV", "2026-02-15", "2026-04-10", "MONTH")
    assert gmv == [
        ("2026-02-15", "2026-02-28", 60.0, False),
        ("2026-03-01", "2026-03-31", 1505.3, False),
        ("2026-04-01", "2026-04-10", 88.0, False),
    ]
    # At each bucket's end. 03-01 00:00: u01, u02, u03, u06, u07, u08 (u04 joins at that
    # instant, not before it; u10 left 02-20). 04-01 00:00: 7 (test_metric_values).
    # 04-11 00:00: u01, u03, u04, u05, u08, u09 (joined 04-01), u12; u07 left at 04-01.
    members = await read_series(caller, "MEMBER_COUNT", "2026-02-15", "2026-04-10", "MONTH")
    assert [point[2] for point in members] == [6.0, 7.0, 7.0]


SHANGHAI = timezone(timedelta(hours=8))
# GMV of the tiny shop on 2026-05-01..05-10, one order a day at noon; none on 05-10.
DAILY_GMV = [10, 11, 12, 10, 9, 11, 10, 100, 10]


async def add_daily_orders(pool: asyncpg.Pool) -> None:
    await pool.execute("INSERT INTO shops VALUES ('t1', 'Tiny', 'pets', 1, NULL)")
    await pool.execute("INSERT INTO users (user_id) VALUES ('v1')")
    await pool.execute("INSERT INTO products VALUES ('tp', 't1', 'toy', 'toys', 9.90, NULL)")
    for day, amount in enumerate(DAILY_GMV, start=1):
        await pool.execute(
            """INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount,
                   paid_at, carrier, traffic_type)
               VALUES ($1, 't1', 'v1', 'tp', 1, $2, $3, 'live', 'organic')""",
            f"d{day}",
            amount,
            datetime(2026, 5, day, 12, tzinfo=SHANGHAI),
        )


async def test_a_spike_and_a_drop_after_seven_days_are_anomalous(
    caller: Any, db: asyncpg.Pool
) -> None:
    # Days 1-7: 10, 11, 12, 10, 9, 11, 10: the first seven points have no full history.
    # Day 8 (100): median of days 1-7 is 10, deviations 0, 0, 0, 1, 1, 1, 2, MAD 1,
    # threshold 4.4478: |100 − 10| = 90 is above. Day 9 (10): days 2-8 sorted 9, 10, 10, 11,
    # 11, 12, 100, median 11, MAD 1: |10 − 11| = 1 is not. Day 10 (no order, 0): days 3-9,
    # median 10, MAD 1: |0 − 10| = 10 is.
    await add_daily_orders(db)
    gmv = await read_series(caller, "GMV", "2026-05-01", "2026-05-10", shop="t1")
    assert gmv == [
        *days(1, [10.0, 11.0, 12.0, 10.0, 9.0, 11.0, 10.0], "2026-05"),
        ("2026-05-08", "2026-05-08", 100.0, True),
        ("2026-05-09", "2026-05-09", 10.0, False),
        ("2026-05-10", "2026-05-10", 0.0, True),
    ]
    # AOV: one buyer a day, the same values, but day 10 has no buyer: null, never anomalous.
    aov = await read_series(caller, "AOV", "2026-05-01", "2026-05-10", shop="t1")
    assert [(point[2], point[3]) for point in aov[7:]] == [
        (100.0, True),
        (10.0, False),
        (None, False),
    ]


async def test_statements_do_not_grow_with_the_number_of_buckets(
    caller: Any, db: asyncpg.Pool
) -> None:
    await add_daily_orders(db)
    me: Caller = await caller()

    async def statements(metric: str, last: str) -> int:
        await new_data_version(db)  # nothing read before is kept
        response = await me.post(
            SERIES_QUERY,
            shop="t1",
            metric=metric,
            period={"from": "2026-05-01", "to": last},
            granularity="DAY",
        )
        assert "errors" not in response.json(), response.json()
        return int(response.headers["x-sql-statements"])

    # asyncpg introspects the array types on a connection's first fact statement: warm up.
    await statements("GMV", "2026-05-01")
    # 3 and 60 buckets. Key lookup, shop, data version, then one statement per fact family:
    # orders for GMV; orders and events for the card conversion rate.
    assert await statements("GMV", "2026-05-03") == await statements("GMV", "2026-06-29") == 4
    card = await statements("CARD_CONVERSION_RATE", "2026-05-03")
    assert card == await statements("CARD_CONVERSION_RATE", "2026-06-29") == 5


async def test_a_bad_period_is_a_bad_user_input_naming_it(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    body = await (await caller()).query(
        SERIES_QUERY,
        shop=SHOP,
        metric="GMV",
        period={"from": "2026-03-05", "to": "2026-03-01"},
        granularity="WEEK",
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("period:")
    assert body["data"]["shop"] is None


HOURLY_QUERY = """
query S($shop: ID!) {
  shop(id: $shop) {
    series(metric: GMV, period: {from: "2026-03-01", to: "2026-03-02"}, granularity: HOUR) {
      value
    }
  }
}
"""


async def test_an_unknown_granularity_is_a_bad_user_input(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    body = await (await caller()).query(HOURLY_QUERY, shop=SHOP)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "HOUR" in error["message"]

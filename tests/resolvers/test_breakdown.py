"""Breakdowns: one metric for every value of a dimension, top rows and an "other" row.

Expectations are worked out by hand from the specification (§3, §4), never from the
engine. Shop ``s1`` of ``metric_fixture`` is read over March 2026:
P = [03-01 00:00, 04-01 00:00), E = 04-01 00:00 (all +08). Its orders in P, with the
buyer's gender and whether the buyer followed the shop at ``paid_at``:

| order | buyer | amount | product | carrier | creator | gender | fan |
|---|---|---|---|---|---|---|---|
| o10 | u04 | 99.90 | p1 | product_card | | (none) | no (follows s2 only) |
| o11 | u01 | 259.90 | p2 | live | c1 | female | yes |
| o12 | u01 | 100.00 | p1 | short_video | | female | yes |
| o13 | u05 | 150.00 | p1 | product_card | | female | no |
| o14 | u06 | 300.00 | p2 | product_card | | male | no (paid at the unfollow) |
| o15 | u06 | 50.00 | p1 | live | c2 | male | yes |
| o16 | u10 | 80.00 | p2 | product_card | | female | no (follows 1 s later) |
| o17 | u03 | 70.00 | p1 | live | | female | no (stopped in January) |
| o18 | u03 | 130.00 | p2 | short_video | c1 | female | no |
| o19 | u11 | 45.50 | p1 | product_card | | male | yes (followed at paid_at) |
| o21 | u05 | 200.00 | p2 | live | | female | no |
| o22 | u10 | 20.00 | p1 | short_video | | female | yes |

GMV 1505.30 over 12 orders and 7 buyers.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.conftest import Caller, new_data_version
from tests.resolvers.metric_fixture import SHOP, insert_fixture

BREAKDOWN_QUERY = """
query B($shop: ID!, $metric: Metric!, $by: Dimension!, $period: PeriodInput!, $limit: Int) {
  shop(id: $shop) {
    breakdown(metric: $metric, by: $by, period: $period, limit: $limit) { key label value }
    total: metrics(names: [$metric], period: $period) { value }
  }
}
"""

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}

Row = tuple[str, str, Any]


def ratio(numerator: float, denominator: float) -> Any:
    """A quotient that is not an exact binary fraction, compared to 12 significant digits."""
    return pytest.approx(numerator / denominator, rel=1e-12)


@pytest.fixture
async def dataset(db: asyncpg.Pool) -> asyncpg.Pool:
    """The emptied database with the hand-made dataset in it."""
    await insert_fixture(db)
    return db


async def breakdown(
    caller: Any, metric: str, by: str, **limit: int | None
) -> tuple[list[Row], Any]:
    """``([(key, label, value)], shop-wide value)`` over March."""
    body = await (await caller()).query(
        BREAKDOWN_QUERY, shop=SHOP, metric=metric, by=by, period=MARCH, **limit
    )
    assert body.get("errors") is None, body["errors"]
    shop = body["data"]["shop"]
    rows = [(row["key"], row["label"], row["value"]) for row in shop["breakdown"]]
    return rows, shop["total"][0]["value"]


async def test_gmv_by_carrier_sums_to_the_shop_gmv(caller: Any, dataset: asyncpg.Pool) -> None:
    rows, total = await breakdown(caller, "GMV", "CARRIER")
    assert rows == [
        ("product_card", "商品卡", 675.4),  # o10, o13, o14, o16, o19
        ("live", "直播", 579.9),  # o11, o15, o17, o21
        ("short_video", "短视频", 250.0),  # o12, o18, o22
    ]
    assert sum(value for _, _, value in rows) == pytest.approx(total) == 1505.3


async def test_missing_gender_is_its_own_unknown_row(caller: Any, dataset: asyncpg.Pool) -> None:
    rows, total = await breakdown(caller, "GMV", "GENDER")
    assert rows == [
        # u01 359.90 + u03 200.00 + u05 350.00 + u10 100.00
        ("female", "女", 1009.9),
        ("male", "男", 395.5),  # u06 350.00 + u11 45.50
        ("unknown", "未知", 99.9),  # u04 has no gender
    ]
    assert sum(value for _, _, value in rows) == pytest.approx(total)


async def test_fan_status_is_taken_at_the_order_paid_at(caller: Any, dataset: asyncpg.Pool) -> None:
    rows, total = await breakdown(caller, "GMV", "FAN_STATUS")
    assert rows == [
        # The other seven orders: 1505.30 − 475.40.
        ("non_fan", "非粉丝", 1029.9),
        # o11 259.90 + o12 100.00 + o15 50.00 + o19 45.50 + o22 20.00
        ("fan", "粉丝", 475.4),
    ]
    assert sum(value for _, _, value in rows) == pytest.approx(total)


async def test_price_bands_include_their_lower_bound(caller: Any, dataset: asyncpg.Pool) -> None:
    """Two more orders: exactly 500.00 (the first of "500+") and 499.99."""
    await dataset.execute(
        """INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount,
               paid_at, carrier, traffic_type)
           VALUES
               ('o30', 's1', 'u08', 'p2', 1, 500.00, '2026-03-18 10:00+08', 'live', 'organic'),
               ('o31', 's1', 'u08', 'p2', 1, 499.99, '2026-03-19 10:00+08', 'live', 'organic')"""
    )
    rows, total = await breakdown(caller, "ORDERS", "PRICE_BAND")
    assert rows == [
        # o11 259.90, o14 300.00, o21 200.00 (exactly 200), o31 499.99. Ties go by key:
        # "200-500" sorts before "50-100".
        ("200-500", "200-500", 4.0),
        ("50-100", "50-100", 4.0),  # o10 99.90, o15 50.00 (exactly 50), o16 80.00, o17 70.00
        ("100-200", "100-200", 3.0),  # o12 100.00 (exactly 100), o13 150.00, o18 130.00
        ("<50", "<50", 2.0),  # o19 45.50, o22 20.00
        ("500+", "500+", 1.0),  # o30 500.00
    ]
    assert sum(value for _, _, value in rows) == total == 14.0


async def test_products_and_creators_are_labelled_by_name(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    rows, total = await breakdown(caller, "GMV", "PRODUCT")
    assert rows == [
        ("p2", "Running shoe", 969.9),  # o11, o14, o16, o18, o21
        ("p1", "Cotton tee", 535.4),  # o10, o12, o13, o15, o17, o19, o22
    ]
    assert sum(value for _, _, value in rows) == pytest.approx(total)
    rows, _ = await breakdown(caller, "GMV", "CREATOR")
    # Only orders a creator sold have a creator: o11 and o18 (c1), o15 (c2).
    assert rows == [("c1", "Creator One", 389.9), ("c2", "Creator Two", 50.0)]


async def test_the_other_row_makes_an_additive_metric_add_up(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    rows, total = await breakdown(caller, "GMV", "PRICE_BAND", limit=2)
    assert rows == [
        ("200-500", "200-500", 759.9),  # o11, o14, o21
        ("100-200", "100-200", 380.0),  # o12, o13, o18
        ("other", "其他", pytest.approx(365.4)),  # 50-100 299.90 + <50 65.50
    ]
    assert sum(value for _, _, value in rows) == pytest.approx(total) == 1505.3


async def test_a_ratio_other_row_is_the_ratio_of_the_summed_bases(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    rows, _ = await breakdown(caller, "MEMBER_GMV_SHARE", "CARRIER", limit=1)
    assert rows == [
        # Member orders o12 and o18 of 250.00: 0.92. Live is 509.90 / 579.90 and product
        # card 249.90 / 675.40.
        ("short_video", "短视频", ratio(230.00, 250.00)),
        # (509.90 + 249.90) / (579.90 + 675.40), not a sum or mean of the two ratios.
        ("other", "其他", ratio(759.80, 1255.30)),
    ]


async def test_a_distinct_count_other_row_sums_the_rest(caller: Any, dataset: asyncpg.Pool) -> None:
    rows, total = await breakdown(caller, "BUYERS", "CARRIER", limit=1)
    assert rows == [
        ("product_card", "商品卡", 5.0),  # u04, u05, u06, u10, u11
        # Live u01, u03, u05, u06 (4) + short video u01, u03, u10 (3): u01 and u03 count
        # twice, as they do in their own rows.
        ("other", "其他", 7.0),
    ]
    assert total == 7.0


async def test_nulls_sort_last_and_a_real_other_code_keeps_its_row(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    rows, _ = await breakdown(caller, "CARD_CONVERSION_RATE", "ENTRY")
    expected: list[Row] = [
        ("cart", "购物车", 1.0),  # u11 clicked and bought; ties with shop_page, by key
        ("shop_page", "店铺页", 1.0),  # u06
        ("search", "搜索", ratio(2, 3)),  # clickers u01, u04, u10; buyers u04, u10
        ("feed", "推荐feed", ratio(1, 3)),  # clickers u03, u05, u12; buyer u05
        ("showcase", "橱窗", 0.0),  # u02 clicked twice, bought nothing
        ("other", "其他", None),  # u07's impression only: no clicker
    ]
    assert rows == expected
    # With a cut, the "other" entry joins the rest: buyers 2 + 1 + 0 + 0 over clickers
    # 3 + 3 + 1 + 0.
    rows, _ = await breakdown(caller, "CARD_CONVERSION_RATE", "ENTRY", limit=2)
    assert rows == [*expected[:2], ("other", "其他", ratio(3, 7))]


async def test_a_cut_folds_the_other_join_channel_into_the_other_row(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    rows, total = await breakdown(caller, "MEMBER_COUNT", "JOIN_CHANNEL")
    # Members at E by the stint in force: u03 (second stint) and u12 by campaign, u01
    # live, u05 order page, u08 other, u04 product card, u07 short video. Creator (u06)
    # and shop page (u02, u10) stints ended before E: rows of 0.
    assert rows == [
        ("campaign", "营销活动", 2.0),
        ("live", "直播", 1.0),
        ("order_page", "订单页", 1.0),
        ("other", "其他", 1.0),
        ("product_card", "商品卡", 1.0),
        ("short_video", "短视频", 1.0),
        ("creator", "达人", 0.0),
        ("shop_page", "店铺页", 0.0),
    ]
    rows, _ = await breakdown(caller, "MEMBER_COUNT", "JOIN_CHANNEL", limit=3)
    assert rows == [
        ("campaign", "营销活动", 2.0),
        ("live", "直播", 1.0),
        ("order_page", "订单页", 1.0),
        ("other", "其他", 3.0),  # other, product card, short video; creator, shop page 0
    ]
    assert sum(value for _, _, value in rows) == total == 7.0


async def test_a_card_order_without_entry_is_an_unknown_entry(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    await dataset.execute(
        """INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount,
               paid_at, carrier, traffic_type)
           VALUES ('o32', 's1', 'u08', 'p1', 1, 60.00, '2026-03-18 10:00+08',
               'product_card', 'organic')"""
    )
    rows, total = await breakdown(caller, "CARD_GMV", "ENTRY")
    assert rows == [
        ("shop_page", "店铺页", 300.0),  # o14
        ("search", "搜索", 179.9),  # o10, o16
        ("feed", "推荐feed", 150.0),  # o13
        ("unknown", "未知", 60.0),  # o32
        ("cart", "购物车", 45.5),  # o19
    ]
    assert sum(value for _, _, value in rows) == pytest.approx(total) == 735.4


@pytest.mark.parametrize(
    ("metric", "by"),
    [("GMV", "JOIN_CHANNEL"), ("REACH_ROI", "GENDER"), ("CARD_CLICK_USERS", "CARRIER")],
)
async def test_a_metric_not_sliceable_by_the_dimension_is_a_bad_user_input(
    caller: Any, dataset: asyncpg.Pool, metric: str, by: str
) -> None:
    body = await (await caller()).query(
        BREAKDOWN_QUERY, shop=SHOP, metric=metric, by=by, period=MARCH
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert metric in error["message"]
    assert by in error["message"]


@pytest.mark.parametrize("limit", [0, -1, 101])
async def test_a_limit_outside_1_to_100_is_a_bad_user_input_naming_limit(
    caller: Any, dataset: asyncpg.Pool, limit: int
) -> None:
    body = await (await caller()).query(
        BREAKDOWN_QUERY, shop=SHOP, metric="GMV", by="CARRIER", period=MARCH, limit=limit
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("limit")


async def statements_for(
    me: Caller, pool: asyncpg.Pool, **limit: int | None
) -> tuple[int, list[dict[str, Any]]]:
    await new_data_version(pool)  # nothing read before is kept
    response = await me.post(
        BREAKDOWN_QUERY, shop=SHOP, metric="GMV", by="PRODUCT", period=MARCH, **limit
    )
    body = response.json()
    assert "errors" not in body, body
    return int(response.headers["x-sql-statements"]), body["data"]["shop"]["breakdown"]


async def test_twenty_rows_by_default_in_a_fixed_number_of_statements(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    me: Caller = await caller()
    await statements_for(me, dataset)  # a new connection first looks up the types it meets
    few, rows = await statements_for(me, dataset)
    assert len(rows) == 2
    # 30 more products, t10..t39, with one order each of 10.00..39.00.
    await dataset.executemany(
        "INSERT INTO products (product_id, shop_id, name, category, price) "
        "VALUES ($1, 's1', $2, 'toys', 1)",
        [(f"t{n}", f"Toy {n}") for n in range(10, 40)],
    )
    await dataset.executemany(
        """INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount,
               paid_at, carrier, traffic_type)
           VALUES ($1, 's1', 'u08', $2, 1, $3::numeric, '2026-03-18 10:00+08', 'live',
               'organic')""",
        [(f"ot{n}", f"t{n}", str(n)) for n in range(10, 40)],
    )
    many, rows = await statements_for(me, dataset, limit=None)  # null is the default, 20
    # Key lookup, shop, data version, the breakdown's order statement, the product names and
    # the total's order statement: 6 either way.
    assert few == many == 6
    assert len(rows) == 21
    assert rows[:3] == [
        {"key": "p2", "label": "Running shoe", "value": 969.9},
        {"key": "p1", "label": "Cotton tee", "value": 535.4},
        {"key": "t39", "label": "Toy 39", "value": 39.0},
    ]
    # Shown: p2, p1, t39..t22. Cut: t21..t10, 10 + 11 + … + 21 = 186.
    assert rows[-2] == {"key": "t22", "label": "Toy 22", "value": 22.0}
    assert rows[-1] == {"key": "other", "label": "其他", "value": 186.0}

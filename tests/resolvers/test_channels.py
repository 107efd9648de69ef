"""A shop's channels, and metrics read on one channel's slice.

Expectations are worked out by hand from the specification (§3–§5), never from the
engine. Most tests read shop ``s1`` of ``metric_fixture`` over March 2026:
P = [03-01 00:00, 04-01 00:00), E = 04-01 00:00 (all +08). Its orders in P:

| order | buyer | amount | carrier | traffic | entry | member order |
|---|---|---|---|---|---|---|
| o10 | u04 | 99.90 | product_card | organic | search | yes (paid at joined_at) |
| o11 | u01 | 259.90 | live | organic | | yes |
| o12 | u01 | 100.00 | short_video | paid | | yes |
| o13 | u05 | 150.00 | product_card | paid | feed | yes (paid at joined_at) |
| o14 | u06 | 300.00 | product_card | organic | shop_page | no (paid at left_at) |
| o15 | u06 | 50.00 | live | organic | | yes |
| o16 | u10 | 80.00 | product_card | paid | search | no |
| o17 | u03 | 70.00 | live | organic | | no (between stints) |
| o18 | u03 | 130.00 | short_video | organic | | yes |
| o19 | u11 | 45.50 | product_card | organic | cart | no |
| o21 | u05 | 200.00 | live | paid | | yes |
| o22 | u10 | 20.00 | short_video | organic | | no |
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import asyncpg
import pytest

from tests.resolvers.metric_fixture import SHOP, insert_fixture
from vocabulary import CARRIERS, ENTRIES, JOIN_CHANNELS, REACH_CHANNELS, TRAFFIC_TYPES

CHANNELS_QUERY = """
query C($shop: ID!, $kind: ChannelKind!) {
  shop(id: $shop) { channels(kind: $kind) { kind code label en: label(lang: EN) } }
}
"""

CHANNEL_METRICS_QUERY = """
query C($shop: ID!, $kind: ChannelKind!, $names: [Metric!]!, $period: PeriodInput!) {
  shop(id: $shop) {
    channels(kind: $kind) {
      code
      metrics(names: $names, period: $period) { metric value }
    }
    total: metrics(names: $names, period: $period) { metric value }
  }
}
"""

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def ratio(numerator: float, denominator: float) -> Any:
    """A quotient that is not an exact binary fraction, compared to 12 significant digits."""
    return pytest.approx(numerator / denominator, rel=1e-12)


@pytest.fixture
async def dataset(db: asyncpg.Pool) -> asyncpg.Pool:
    """The emptied database with the hand-made dataset in it."""
    await insert_fixture(db)
    return db


async def read_channels(
    caller: Any, kind: str, names: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """``({code: {metric: value}}, {metric: shop-wide value})`` for one kind, in March."""
    body = await (await caller()).query(
        CHANNEL_METRICS_QUERY, shop=SHOP, kind=kind, names=names, period=MARCH
    )
    assert body.get("errors") is None, body["errors"]
    shop = body["data"]["shop"]
    channels = {
        channel["code"]: {result["metric"]: result["value"] for result in channel["metrics"]}
        for channel in shop["channels"]
    }
    return channels, {result["metric"]: result["value"] for result in shop["total"]}


async def test_carrier_channels_list_every_code_in_order_with_both_labels(
    caller: Any, shops: asyncpg.Pool
) -> None:
    # s1 has no data at all: the list is the vocabulary's, not the data's.
    body = await (await caller()).query(CHANNELS_QUERY, shop="s1", kind="CARRIER")
    assert body.get("errors") is None, body["errors"]
    assert body["data"]["shop"]["channels"] == [
        {"kind": "CARRIER", "code": "live", "label": "直播", "en": "Live"},
        {"kind": "CARRIER", "code": "short_video", "label": "短视频", "en": "Short video"},
        {"kind": "CARRIER", "code": "product_card", "label": "商品卡", "en": "Product card"},
    ]


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("JOIN_CHANNEL", JOIN_CHANNELS),
        ("CARRIER", CARRIERS),
        ("TRAFFIC_TYPE", TRAFFIC_TYPES),
        ("ENTRY", ENTRIES),
        ("REACH_CHANNEL", REACH_CHANNELS),
    ],
)
async def test_each_kind_lists_the_codes_of_the_interchange_files(
    caller: Any, shops: asyncpg.Pool, kind: str, codes: tuple[str, ...]
) -> None:
    body = await (await caller()).query(CHANNELS_QUERY, shop="s1", kind=kind)
    channels = body["data"]["shop"]["channels"]
    assert [channel["code"] for channel in channels] == list(codes)
    assert all(channel["kind"] == kind for channel in channels)
    assert all(channel["label"] and channel["en"] for channel in channels)


async def test_carrier_channels_split_the_orders_by_carrier(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    channels, total = await read_channels(caller, "CARRIER", ["GMV", "ORDERS", "MEMBER_GMV_SHARE"])
    assert channels == {
        # o11 259.90 + o15 50.00 + o17 70.00 + o21 200.00; member: o11, o15, o21 = 509.90.
        "live": {"GMV": 579.9, "ORDERS": 4.0, "MEMBER_GMV_SHARE": ratio(509.90, 579.90)},
        # o12 100.00 + o18 130.00 + o22 20.00; member: o12, o18 = 230.00.
        "short_video": {"GMV": 250.0, "ORDERS": 3.0, "MEMBER_GMV_SHARE": ratio(230.00, 250.00)},
        # o10 99.90 + o13 150.00 + o14 300.00 + o16 80.00 + o19 45.50; member: o10, o13.
        "product_card": {
            "GMV": 675.4,
            "ORDERS": 5.0,
            "MEMBER_GMV_SHARE": ratio(249.90, 675.40),
        },
    }
    # Sums over carriers are the shop's own figures: every order has exactly one carrier.
    assert sum(c["GMV"] for c in channels.values()) == pytest.approx(total["GMV"])
    assert sum(c["ORDERS"] for c in channels.values()) == total["ORDERS"] == 12.0


async def test_traffic_type_channels_count_buyers_and_repurchases_within_the_slice(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    channels, _ = await read_channels(caller, "TRAFFIC_TYPE", ["GMV", "BUYERS", "REPURCHASE_RATE"])
    assert channels == {
        # o10, o11, o14, o15, o17, o18, o19, o22 by u04, u01, u06, u03, u11, u10; two organic
        # orders: u06 (o14, o15) and u03 (o17, o18). u01 and u10 have one of each type.
        "organic": {"GMV": 975.3, "BUYERS": 6.0, "REPURCHASE_RATE": ratio(2, 6)},
        # o12 (u01), o13 and o21 (u05), o16 (u10): u05 bought twice.
        "paid": {"GMV": 530.0, "BUYERS": 3.0, "REPURCHASE_RATE": ratio(1, 3)},
    }


async def test_entry_channels_take_card_clicks_and_card_orders_of_that_entry(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    channels, _ = await read_channels(
        caller, "ENTRY", ["CARD_CLICK_USERS", "CARD_GMV", "CARD_CONVERSION_RATE"]
    )
    assert channels == {
        # Clicks u01 (e04), u04 (e15; e13 is before P), u10 (e37); u09's e33 is at E.
        # Orders o10 (u04) 99.90 and o16 (u10) 80.00.
        "search": {"CARD_CLICK_USERS": 3.0, "CARD_GMV": 179.9, "CARD_CONVERSION_RATE": ratio(2, 3)},
        # u06 clicked (e22) and bought (o14).
        "shop_page": {"CARD_CLICK_USERS": 1.0, "CARD_GMV": 300.0, "CARD_CONVERSION_RATE": 1.0},
        # Clicks u03 (e12), u05 (e19, e20), u12 (e41); only u05 bought (o13; o05 is before P).
        "feed": {"CARD_CLICK_USERS": 3.0, "CARD_GMV": 150.0, "CARD_CONVERSION_RATE": ratio(1, 3)},
        # u02 clicked twice, bought nothing.
        "showcase": {"CARD_CLICK_USERS": 1.0, "CARD_GMV": 0.0, "CARD_CONVERSION_RATE": 0.0},
        # u11 clicked at 23:59 and bought o19 at 23:59:59 on 03-31.
        "cart": {"CARD_CLICK_USERS": 1.0, "CARD_GMV": 45.5, "CARD_CONVERSION_RATE": 1.0},
        # Only u07's impression e23: no clicker, so the conversion rate has denominator 0.
        "other": {"CARD_CLICK_USERS": 0.0, "CARD_GMV": 0.0, "CARD_CONVERSION_RATE": None},
    }


async def test_join_channels_count_members_by_the_stint_in_force(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    names = ["MEMBER_COUNT", "NEW_MEMBERS", "LEFT_MEMBERS", "ACTIVE_MEMBERS"]
    channels, total = await read_channels(caller, "JOIN_CHANNEL", names)

    def figures(count: float, new: float, left: float, active: float) -> dict[str, float]:
        return dict(zip(names, (count, new, left, active), strict=True))

    assert channels == {
        # u01 is a member at E by a live stint and active. u03's live stint ended on 03-05
        # (a leaver here); u09's live stint starts at E and counts nowhere.
        "live": figures(1, 0, 1, 1),
        "short_video": figures(1, 0, 0, 1),  # u07 (left_at = E), benefit claim in P
        "product_card": figures(1, 1, 0, 1),  # u04 joined at 03-01 00:00, active that day
        "shop_page": figures(0, 0, 1, 0),  # u02 left on 03-15; u10 in February
        "order_page": figures(1, 1, 0, 1),  # u05
        "creator": figures(0, 0, 1, 0),  # u06 left on 03-20
        # u03's second stint (03-12) is the one in force at E, and u12 (03-31 23:59:59);
        # only u03 has an activity in P.
        "campaign": figures(2, 2, 0, 1),
        "other": figures(1, 0, 0, 0),  # u08: no activity in P
    }
    # No user holds two stints at E, so member counts add up to the shop's.
    assert sum(c["MEMBER_COUNT"] for c in channels.values()) == total["MEMBER_COUNT"] == 7.0


async def test_reach_channels_take_their_own_first_send_and_campaign_cost(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    channels, _ = await read_channels(
        caller, "REACH_CHANNEL", ["REACHED_USERS", "REACH_GMV", "REACH_ROI"]
    )
    assert channels == {
        # k1 (cost 100.00) to u01 03-02 09:00 (o11 259.90 within 7 days), u02 03-14 20:00
        # (no s1 order), u12 03-31 12:00 (o20 88.00 at E, inside the window).
        "sms": {"REACHED_USERS": 3.0, "REACH_GMV": 347.9, "REACH_ROI": ratio(347.90, 100.00)},
        # k4's sends are one second before P and at E: no send, no cost.
        "super_sms": {"REACHED_USERS": 0.0, "REACH_GMV": 0.0, "REACH_ROI": None},
        # k3 (cost null) to u10 03-11 10:00: o16 80.00 and o22 20.00 within 7 days.
        "private_message": {"REACHED_USERS": 1.0, "REACH_GMV": 100.0, "REACH_ROI": None},
        # k2 (cost 50.50): u01's first push is 03-10 09:00, and u01 has no order in
        # [03-10 09:00, 03-17 09:00) (o11 on 03-03 belongs to the sms window only);
        # u03 03-24 10:00 bought o18 130.00 on 03-25 10:00.
        "push": {"REACHED_USERS": 2.0, "REACH_GMV": 130.0, "REACH_ROI": ratio(130.00, 50.50)},
    }


@pytest.mark.parametrize(
    ("kind", "supported", "metric"),
    [
        ("JOIN_CHANNEL", "MEMBER_COUNT", "GMV"),
        ("CARRIER", "GMV", "MEMBER_COUNT"),
        ("CARRIER", "GMV", "CARD_CLICK_USERS"),
        ("TRAFFIC_TYPE", "ORDERS", "REACHED_USERS"),
        ("ENTRY", "CARD_GMV", "ACTIVE_MEMBERS"),
        ("REACH_CHANNEL", "REACHED_USERS", "ORDERS"),
    ],
)
async def test_a_metric_the_slice_does_not_support_is_a_bad_user_input_naming_both(
    caller: Any, dataset: asyncpg.Pool, kind: str, supported: str, metric: str
) -> None:
    body = await (await caller()).query(
        CHANNEL_METRICS_QUERY, shop=SHOP, kind=kind, names=[supported, metric], period=MARCH
    )
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert codes == {"BAD_USER_INPUT"}
    message = body["errors"][0]["message"]
    assert metric in message
    assert kind in message


SHANGHAI = timezone(timedelta(hours=8))
PEER_QUERY = """
query P($period: PeriodInput!) {
  shop(id: "a0") {
    channels(kind: CARRIER) {
      code
      metrics(
        names: [GMV]
        period: $period
        compare: [PEER_AVERAGE, PEER_MEDIAN, PEER_EXCELLENT, PEER_RANK, INDUSTRY_AVERAGE]
      ) { value comparisons { kind value peerCount } }
    }
  }
}
"""


async def add_order(
    pool: asyncpg.Pool, shop: str, order: str, carrier: str, amount: str, day: int
) -> None:
    await pool.execute(
        """INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount,
               paid_at, carrier, traffic_type)
           VALUES ($1, $2, 'u', $3, 1, $4::numeric, $5, $6, 'organic')""",
        order,
        shop,
        f"p-{shop}",
        amount,
        datetime(2026, 3, day, 12, tzinfo=SHANGHAI),
        carrier,
    )


async def test_peer_figures_on_a_channel_compare_with_the_peers_same_channel(
    caller: Any, db: asyncpg.Pool
) -> None:
    """a0 is read; a1..a5 are its peers (apparel, tier 2) and a6 is apparel of tier 3.

    Live GMV in March: a0 25; a1..a5 10, 20, 30, 40, 50; a6 100. Each peer also sold
    1000.00 on short video, which must not reach the live figures.
    """
    await db.execute("INSERT INTO users (user_id) VALUES ('u')")
    for n in range(7):
        shop = f"a{n}"
        tier = 3 if n == 6 else 2
        await db.execute(
            "INSERT INTO shops (shop_id, name, industry, tier) VALUES ($1, $1, 'apparel', $2)",
            shop,
            tier,
        )
        await db.execute(
            """INSERT INTO products (product_id, shop_id, name, category, price)
               VALUES ($1, $2, 'tee', 'tops', 1)""",
            f"p-{shop}",
            shop,
        )
    await add_order(db, "a0", "o0", "live", "25.00", 10)
    for n in range(1, 6):
        await add_order(db, f"a{n}", f"o{n}", "live", f"{10 * n}.00", n)
        await add_order(db, f"a{n}", f"v{n}", "short_video", "1000.00", n + 10)
    await add_order(db, "a6", "o6", "live", "100.00", 20)

    body = await (await caller()).query(PEER_QUERY, period=MARCH)
    assert body.get("errors") is None, body["errors"]
    channels = {
        channel["code"]: channel["metrics"][0] for channel in body["data"]["shop"]["channels"]
    }

    def comparisons(code: str) -> dict[str, tuple[Any, Any]]:
        return {c["kind"]: (c["value"], c["peerCount"]) for c in channels[code]["comparisons"]}

    assert channels["live"]["value"] == 25.0
    assert comparisons("live") == {
        "PEER_AVERAGE": (30.0, 5),  # (10 + 20 + 30 + 40 + 50) / 5
        "PEER_MEDIAN": (30.0, 5),
        "PEER_EXCELLENT": (pytest.approx(46.0), 5),  # 90th: 40 + 0.6 × (50 − 40)
        "PEER_RANK": (0.4, 5),  # beats 10 and 20
        "INDUSTRY_AVERAGE": (ratio(250, 6), 6),  # the five peers and a6's 100
    }
    # Short video: a0 sold nothing (0, not null); peers 1000 each, a6 nothing.
    assert channels["short_video"]["value"] == 0.0
    assert comparisons("short_video") == {
        "PEER_AVERAGE": (1000.0, 5),
        "PEER_MEDIAN": (1000.0, 5),
        "PEER_EXCELLENT": (1000.0, 5),
        "PEER_RANK": (0.0, 5),
        "INDUSTRY_AVERAGE": (ratio(5000, 6), 6),
    }
    # Nobody sold on product cards: every shop's value is 0.
    assert comparisons("product_card")["PEER_AVERAGE"] == (0.0, 5)

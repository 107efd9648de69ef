"""Segments through the API against ``segments_reference``, on the demo dataset.

The demo data (4 shops, the 120 days ending 2026-10-31, seed 11) is written and loaded
once for the module; every rule is saved with ``createSegment`` and its customers (all
pages), size, portrait and overlap are set beside the reference's set of user ids, as of
a day before most orders (2026-07-08), a day inside the data and the last day.

A few hand-made rows on users new to s01 sit on the edges the random data never hits
(``edge_rows``): a send alone, facts at exactly E or a window's first instant, a stint
ending at exactly E.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from service.demo import write_demo_data
from service.keys import create_key
from service.load import load_paths
from tests.conftest import TRUNCATE_SQL, Caller
from tests.reference.segments_reference import (
    Rule,
    SegmentReference,
    ShopFacts,
    read_shop_facts,
)

ZONE = ZoneInfo("Asia/Shanghai")
END = date(2026, 10, 31)
AS_OF_DAYS = (date(2026, 7, 8), date(2026, 9, 15), END)
SHOPS = ("s01", "s03")

CREATE = """
mutation C($shop: ID!, $name: String!, $rule: SegmentRuleInput!) {
  createSegment(shopId: $shop, name: $name, rule: $rule) { id }
}
"""

CUSTOMERS = """
query C($shop: ID!, $id: ID!, $asOf: Date, $after: String) {
  shop(id: $shop) {
    segment(id: $id) {
      size(asOf: $asOf)
      customers(asOf: $asOf, first: 100, after: $after) {
        totalCount
        edges { node { id } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""

PORTRAIT = """
query P($shop: ID!, $id: ID!, $asOf: Date) {
  shop(id: $shop) { segment(id: $id) { portrait(dimension: GENDER, asOf: $asOf) { key value } } }
}
"""

OVERLAP = """
query O($shop: ID!, $id: ID!, $other: ID!, $asOf: Date) {
  shop(id: $shop) { segment(id: $id) { overlap(with: $other, asOf: $asOf) } }
}
"""


@dataclass(frozen=True)
class ShopIds:
    """Ids that exist in a shop's data, read from the database."""

    product_a: str  # the most ordered product
    product_b: str  # the next one
    category: str  # the category with the most ordered products
    creator: str  # the creator with the most orders at the shop
    campaigns: tuple[str, ...]  # by first send


TOP_PRODUCTS_SQL = """
SELECT product_id FROM orders WHERE shop_id = $1
GROUP BY product_id ORDER BY count(*) DESC, product_id LIMIT 2
"""
TOP_CATEGORY_SQL = """
SELECT p.category FROM orders AS o JOIN products AS p ON p.product_id = o.product_id
WHERE o.shop_id = $1
GROUP BY p.category ORDER BY count(DISTINCT p.product_id) DESC, p.category LIMIT 1
"""
TOP_CREATOR_SQL = """
SELECT creator_id FROM orders WHERE shop_id = $1 AND creator_id IS NOT NULL
GROUP BY creator_id ORDER BY count(*) DESC, creator_id LIMIT 1
"""
CAMPAIGNS_SQL = """
SELECT c.campaign_id FROM campaigns AS c JOIN reach AS r ON r.campaign_id = c.campaign_id
WHERE c.shop_id = $1
GROUP BY c.campaign_id ORDER BY min(r.sent_at), c.campaign_id
"""


async def read_ids(pool: asyncpg.Pool, shop: str) -> ShopIds:
    product_a, product_b = [row[0] for row in await pool.fetch(TOP_PRODUCTS_SQL, shop)]
    campaigns = tuple(row[0] for row in await pool.fetch(CAMPAIGNS_SQL, shop))
    assert len(campaigns) >= 3
    return ShopIds(
        product_a=product_a,
        product_b=product_b,
        category=await pool.fetchval(TOP_CATEGORY_SQL, shop),
        creator=await pool.fetchval(TOP_CREATOR_SQL, shop),
        campaigns=campaigns,
    )


@dataclass(frozen=True)
class Demo:
    facts: dict[str, ShopFacts]
    ids: dict[str, ShopIds]

    def reference(self, shop: str, as_of: date) -> SegmentReference:
        return SegmentReference(self.facts[shop], as_of, ZONE)


FRESH_USERS_SQL = """
SELECT u.user_id FROM users AS u
WHERE NOT EXISTS (SELECT 1 FROM members AS m WHERE m.shop_id = $1 AND m.user_id = u.user_id)
AND NOT EXISTS (SELECT 1 FROM fans AS f WHERE f.shop_id = $1 AND f.user_id = u.user_id)
AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.shop_id = $1 AND o.user_id = u.user_id)
AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.shop_id = $1 AND e.user_id = u.user_id)
AND NOT EXISTS (SELECT 1 FROM reach AS r WHERE r.user_id = u.user_id)
ORDER BY u.user_id
LIMIT 6
"""


def edge_rows(users: list[str], ids: ShopIds) -> dict[str, list[dict[str, str]]]:
    """Rows of s01 on the edges, for six users without any fact there.

    As of 09-15 (E = 09-16 00:00): u1, a customer since a visit on 09-01, has an order
    at E, which does not count; u2's order at 09-15 00:00 is on A (recency 0) and u2's
    follow stint ending at E is in force; u3's order at 08-17 00:00 is the first instant
    of the 30 days, the one at 08-16 23:59:59 is outside them. As of 10-31 (E = 11-01
    00:00): u4 joined at 10-02 00:00 (first instant of the 30 days), leaves at E (still a
    member) and visited at 08-03 00:00 (first instant of the 90 days: potential); u5
    clicked at 10-25 00:00 and 10-31 23:59:59 (2 clicks within 7 days). u0 is only sent
    a message.
    """
    u0, u1, u2, u3, u4, u5 = users

    def order(key: str, user: str, product: str, amount: str, paid_at: str) -> dict[str, str]:
        return {
            "order_id": f"edge-{key}", "shop_id": "s01", "user_id": user,
            "product_id": product, "quantity": "1", "amount": amount, "paid_at": paid_at,
            "carrier": "live", "traffic_type": "organic",
        }  # fmt: skip

    def event(key: str, user: str, kind: str, occurred_at: str) -> dict[str, str]:
        return {
            "event_id": f"edge-{key}", "shop_id": "s01", "user_id": user, "type": kind,
            "occurred_at": occurred_at, "product_id": ids.product_a, "carrier": "live",
        }  # fmt: skip

    return {
        "reach": [
            {"campaign_id": ids.campaigns[0], "user_id": u0, "sent_at": "2026-09-14 12:00:00"}
        ],
        "orders": [
            order("o1", u1, ids.product_a, "100.00", "2026-09-16 00:00:00"),
            order("o2", u2, ids.product_a, "88.80", "2026-09-15 00:00:00"),
            order("o3", u3, ids.product_a, "50.00", "2026-08-17 00:00:00"),
            order("o4", u3, ids.product_b, "450.50", "2026-08-16 23:59:59"),
        ],
        "fans": [
            {
                "shop_id": "s01",
                "user_id": u2,
                "followed_at": "2026-09-01 00:00:00",
                "unfollowed_at": "2026-09-16 00:00:00",
            },
        ],
        "members": [
            {
                "shop_id": "s01",
                "user_id": u4,
                "joined_at": "2026-10-02 00:00:00",
                "join_channel": "live",
                "left_at": "2026-11-01 00:00:00",
            },
        ],
        "events": [
            event("e0", u1, "shop_visit", "2026-09-01 10:00:00"),
            event("e1", u4, "shop_visit", "2026-08-03 00:00:00"),
            event("e2", u5, "product_click", "2026-10-25 00:00:00"),
            event("e3", u5, "product_click", "2026-10-31 23:59:59"),
        ],
    }


def write_rows(folder: Path, rows: dict[str, list[dict[str, str]]]) -> None:
    for name, records in rows.items():
        columns = list(dict.fromkeys(key for record in records for key in record))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(records)


@pytest.fixture(scope="module")
async def demo(pool: asyncpg.Pool, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo dataset and the edge rows in an emptied database (once: these tests only
    read and save segments)."""
    folder: Path = tmp_path_factory.mktemp("demo")
    write_demo_data(folder, shops=4, days=120, seed=11, end=END)
    await pool.execute(TRUNCATE_SQL)
    report = await load_paths(pool, [folder], zone=ZONE)
    assert report.committed and not report.rejects
    ids = {shop: await read_ids(pool, shop) for shop in SHOPS}
    users = [row[0] for row in await pool.fetch(FRESH_USERS_SQL, "s01")]
    edges = tmp_path_factory.mktemp("edges")
    write_rows(edges, edge_rows(users, ids["s01"]))
    report = await load_paths(pool, [edges], zone=ZONE)
    assert report.committed and not report.rejects, report.rejects
    return Demo(facts={shop: await read_shop_facts(pool, shop) for shop in SHOPS}, ids=ids)


@pytest.fixture
async def me(client: httpx.AsyncClient, pool: asyncpg.Pool, demo: Demo) -> AsyncIterator[Caller]:
    """A write key of its own per test, so the rate limit never binds."""
    _, secret = await create_key(pool, scope="write", shops=SHOPS, name="reference")
    yield Caller(client, secret)


async def create(me: Caller, shop: str, rule: Rule) -> str:
    body = await me.query(CREATE, shop=shop, name="reference", rule=rule)
    assert "errors" not in body, body["errors"]
    segment_id: str = body["data"]["createSegment"]["id"]
    return segment_id


async def engine_customers(me: Caller, shop: str, segment_id: str, as_of: date) -> set[str]:
    """Every page of ``customers``, checked against ``size`` and ``totalCount``."""
    found: list[str] = []
    after: str | None = None
    while True:
        body = await me.query(CUSTOMERS, shop=shop, id=segment_id, asOf=str(as_of), after=after)
        assert "errors" not in body, body["errors"]
        segment = body["data"]["shop"]["segment"]
        page = segment["customers"]
        found += [edge["node"]["id"] for edge in page["edges"]]
        assert segment["size"] == page["totalCount"], as_of
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(found) == len(set(found)), f"{as_of}: a customer on two pages"
    assert len(found) == segment["size"], as_of
    return set(found)


@dataclass(frozen=True)
class Case:
    name: str
    shop: str
    build: Callable[[ShopIds], Rule]

    def rule(self, demo: Demo) -> Rule:
        return self.build(demo.ids[self.shop])


def fixed(rule: Rule) -> Callable[[ShopIds], Rule]:
    return lambda _: rule


def case(name: str, rule: Rule | Callable[[ShopIds], Rule], shop: str = "s01") -> Any:
    build = fixed(rule) if isinstance(rule, dict) else rule
    return pytest.param(Case(name, shop, build), id=name)


CASES = [
    # member
    case("member_is", {"member": {"isMember": True}}),
    case("member_is_not", {"member": {"isMember": False}}),
    case("member_joined_30", {"member": {"joinedWithinDays": 30}}),
    case("member_joined_90_left", {"member": {"joinedWithinDays": 90, "isMember": False}}),
    case("member_channels", {"member": {"joinChannels": ["live", "short_video"]}}),
    case("member_quality", {"member": {"statuses": ["QUALITY"]}}),
    case("member_potential", {"member": {"statuses": ["POTENTIAL"]}}),
    case("member_dormant", {"member": {"statuses": ["DORMANT"]}}),
    case(
        "member_status_and_channel",
        {"member": {"statuses": ["QUALITY", "DORMANT"], "joinChannels": ["live"]}},
    ),
    case("member_potential_s03", {"member": {"statuses": ["POTENTIAL"]}}, "s03"),
    # purchased
    case("purchased_any", {"purchased": {}}),
    case(
        "purchased_product_30",
        lambda i: {"purchased": {"productIds": [i.product_a], "withinDays": 30}},
    ),
    case(
        "purchased_products_twice_90",
        lambda i: {
            "purchased": {
                "productIds": [i.product_a, i.product_b],
                "withinDays": 90,
                "minOrders": 2,
            }
        },
    ),
    case("purchased_category", lambda i: {"purchased": {"categories": [i.category]}}),
    case(
        "purchased_creator_60",
        lambda i: {"purchased": {"creatorIds": [i.creator], "withinDays": 60}},
    ),
    case("purchased_live", {"purchased": {"carriers": ["live"]}}),
    case(
        "purchased_card_or_video_7",
        {"purchased": {"carriers": ["product_card", "short_video"], "withinDays": 7}},
    ),
    case("purchased_none", {"purchased": {"minOrders": 0, "maxOrders": 0}}),
    case(
        "purchased_none_or_little_30",
        {"purchased": {"minOrders": 0, "maxAmount": 200, "withinDays": 30}},
    ),
    # minOrders 0: a customer without a matching order has count 0 and sum 0.
    case("purchased_min_zero_30", {"purchased": {"withinDays": 30, "minOrders": 0}}),
    case(
        "purchased_min_zero_product_at_most_one",
        lambda i: {"purchased": {"productIds": [i.product_a], "minOrders": 0, "maxOrders": 1}},
    ),
    case(
        "purchased_min_zero_min_amount_60",
        {"purchased": {"withinDays": 60, "minOrders": 0, "minAmount": 150}},
    ),
    case(
        "purchased_min_zero_spent_nothing",
        lambda i: {
            "purchased": {
                "categories": [i.category],
                "withinDays": 30,
                "minOrders": 0,
                "minAmount": 0,
                "maxAmount": 0,
            }
        },
    ),
    case(
        "purchased_min_zero_fans_little_live",
        {
            "all": [
                {"fan": {"isFan": True}},
                {
                    "purchased": {
                        "carriers": ["live"],
                        "withinDays": 14,
                        "minOrders": 0,
                        "maxOrders": 2,
                        "maxAmount": 300,
                    }
                },
            ]
        },
    ),
    case(
        "purchased_min_zero_creator_s03",
        lambda i: {"purchased": {"creatorIds": [i.creator], "minOrders": 0}},
        "s03",
    ),
    case("purchased_min_amount", {"purchased": {"minAmount": 500}}),
    case(
        "purchased_amount_band",
        lambda i: {
            "purchased": {
                "categories": [i.category],
                "carriers": ["live", "product_card"],
                "minAmount": 100.5,
                "maxAmount": 400,
            }
        },
    ),
    case("purchased_once_60", {"purchased": {"maxOrders": 1, "withinDays": 60}}),
    case("purchased_product_s03", lambda i: {"purchased": {"productIds": [i.product_a]}}, "s03"),
    # rfm
    case("rfm_default", {"rfm": {}}),
    case("rfm_bought_on_day", {"rfm": {"windowDays": 30, "recencyDaysMax": 0}}),
    case("rfm_recent_week", {"rfm": {"recencyDaysMin": 0, "recencyDaysMax": 7}}),
    case("rfm_lapsed_repeat", {"rfm": {"recencyDaysMin": 30, "frequencyMin": 2}}),
    case(
        "rfm_bounded",
        {
            "rfm": {
                "windowDays": 60,
                "frequencyMax": 3,
                "monetaryMin": 300,
                "monetaryMax": 1000.9,
            }
        },
    ),
    case("rfm_s03", {"rfm": {"recencyDaysMax": 20, "monetaryMin": 99.9}}, "s03"),
    # activity
    case("activity_default", {"activity": {}}),
    case(
        "activity_clicks_7",
        {"activity": {"types": ["product_click"], "withinDays": 7, "minCount": 2}},
    ),
    case(
        "activity_cart_or_claim_30",
        {"activity": {"types": ["add_to_cart", "benefit_claim"], "withinDays": 30}},
    ),
    case("activity_busy_14", {"activity": {"withinDays": 14, "minCount": 5}}),
    case("activity_min_zero", {"activity": {"types": ["points_interaction"], "minCount": 0}}),
    # profile
    case("profile_gender_unknown", {"profile": {"genders": ["unknown"]}}),
    case(
        "profile_female_age", {"profile": {"genders": ["female"], "ageBands": ["24-30", "unknown"]}}
    ),
    case(
        "profile_province_crowd",
        {"profile": {"provinces": ["广东", "unknown"], "crowds": ["gen_z", "unknown"]}},
    ),
    case("profile_crowd_s03", {"profile": {"crowds": ["refined_mom"]}}, "s03"),
    # fan
    case("fan_is", {"fan": {"isFan": True}}),
    case("fan_is_not", {"fan": {"isFan": False}}),
    # reached
    case("reached_any", {"reached": {}}),
    case(
        "reached_campaigns_45",
        lambda i: {"reached": {"campaignIds": list(i.campaigns[-2:]), "withinDays": 45}},
    ),
    case("reached_30", {"reached": {"withinDays": 30}}),
    case(
        "reached_first_campaign_s03",
        lambda i: {"reached": {"campaignIds": [i.campaigns[0]]}},
        "s03",
    ),
    # all / any / not
    case("not_purchased_90", {"not": {"purchased": {"withinDays": 90}}}),
    case(
        "old_product_not_new",
        lambda i: {
            "all": [
                {"purchased": {"productIds": [i.product_a], "withinDays": 90}},
                {"not": {"purchased": {"productIds": [i.product_b], "withinDays": 90}}},
            ]
        },
    ),
    case(
        "new_members_not_bought",
        {"all": [{"member": {"joinedWithinDays": 60}}, {"not": {"purchased": {}}}]},
    ),
    case(
        "creator_buyers_not_old",
        lambda i: {
            "all": [
                {"purchased": {"creatorIds": [i.creator]}},
                {"not": {"rfm": {"recencyDaysMin": 31, "windowDays": 365}}},
            ]
        },
    ),
    case(
        "high_value_minus_reached",
        {
            "all": [
                {"purchased": {"withinDays": 60, "minAmount": 300}},
                {"not": {"reached": {"withinDays": 7}}},
            ]
        },
    ),
    case(
        "fan_or_not_member",
        {"any": [{"fan": {"isFan": True}}, {"not": {"member": {"isMember": True}}}]},
    ),
    case(
        "male_or_watched",
        {
            "any": [
                {"profile": {"genders": ["male"]}},
                {"activity": {"types": ["live_watch"], "withinDays": 7}},
            ]
        },
    ),
    case(
        "crowd_neither_reached_nor_unfollowed",
        {
            "all": [
                {"profile": {"crowds": ["urban_white_collar", "gen_z", "unknown"]}},
                {"not": {"any": [{"reached": {}}, {"fan": {"isFan": False}}]}},
            ]
        },
    ),
    case(
        "not_idle_member",
        {
            "not": {
                "all": [{"member": {"isMember": True}}, {"not": {"activity": {"withinDays": 30}}}]
            }
        },
    ),
    case(
        "dormant_reached",
        {"all": [{"member": {"statuses": ["DORMANT"]}}, {"reached": {"withinDays": 60}}]},
    ),
    case(
        "nested_s03",
        lambda i: {
            "any": [
                {
                    "all": [
                        {"purchased": {"categories": [i.category]}},
                        {"profile": {"genders": ["female", "unknown"]}},
                    ]
                },
                {"all": [{"activity": {"withinDays": 30}}, {"not": {"fan": {"isFan": True}}}]},
            ]
        },
        "s03",
    ),
]


def describe(as_of: date, engine: set[str], reference: set[str]) -> str:
    return (
        f"as of {as_of}: engine {len(engine)}, reference {len(reference)}; "
        f"only in engine {sorted(engine - reference)}, "
        f"only in reference {sorted(reference - engine)}"
    )


@pytest.mark.parametrize("case", CASES)
async def test_segment_customers_match_the_reference(case: Case, demo: Demo, me: Caller) -> None:
    rule = case.rule(demo)
    segment_id = await create(me, case.shop, rule)
    differences = []
    for as_of in AS_OF_DAYS:
        expected = demo.reference(case.shop, as_of).evaluate(rule)
        found = await engine_customers(me, case.shop, segment_id, as_of)
        if found != expected:
            differences.append(describe(as_of, found, expected))
    assert not differences, "\n".join(differences)


PORTRAIT_RULES = [
    {"member": {"statuses": ["QUALITY", "POTENTIAL"]}},
    {"fan": {"isFan": False}},
    {"not": {"purchased": {"withinDays": 90}}},
]


@pytest.mark.parametrize("rule", PORTRAIT_RULES, ids=["statuses", "not_fans", "not_buyers"])
async def test_gender_portrait_matches_the_reference(rule: Rule, demo: Demo, me: Caller) -> None:
    segment_id = await create(me, "s01", rule)
    for as_of in AS_OF_DAYS:
        reference = demo.reference("s01", as_of)
        expected = reference.portrait(reference.evaluate(rule), "gender")
        body = await me.query(PORTRAIT, shop="s01", id=segment_id, asOf=str(as_of))
        assert "errors" not in body, body["errors"]
        rows = body["data"]["shop"]["segment"]["portrait"]
        assert {row["key"]: row["value"] for row in rows if row["value"]} == expected, as_of


async def test_overlap_matches_the_reference(demo: Demo, me: Caller) -> None:
    first = {"fan": {"isFan": True}}
    second = {"any": [{"member": {"isMember": True}}, {"purchased": {"withinDays": 60}}]}
    first_id, second_id = await create(me, "s01", first), await create(me, "s01", second)
    for as_of in AS_OF_DAYS:
        reference = demo.reference("s01", as_of)
        expected = len(reference.evaluate(first) & reference.evaluate(second))
        for one, other in ((first_id, second_id), (second_id, first_id)):
            body = await me.query(OVERLAP, shop="s01", id=one, other=other, asOf=str(as_of))
            assert "errors" not in body, body["errors"]
            assert body["data"]["shop"]["segment"]["overlap"] == expected, as_of

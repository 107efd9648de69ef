"""Each rule kind alone, as of 2026-03-31, on the dataset of ``rule_fixture``."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.resolvers.segments.rule_fixture import CR, CUSTOMERS, K, P, W, matching

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # member: u03 left before E and is a member of s2 only; u05 joined one second before E.
    ("members", {"member": {"isMember": True}}, ["u01", "u02", "u05", "u09"]),
    (
        "non-members",
        {"member": {"isMember": False}},
        ["u03", "u04", "u06", "u08", "u11", W],
    ),
    # 30 days from 03-02: u02's second stint (03-20) and u05 (03-31 23:59:59).
    ("joined within 30 days", {"member": {"joinedWithinDays": 30}}, ["u02", "u05"]),
    ("joined on the as-of day", {"member": {"joinedWithinDays": 1}}, ["u05"]),
    # u02 first joined via live, but the stint in force came via short video.
    ("current stint via live", {"member": {"joinChannels": ["live"]}}, ["u01", "u09"]),
    ("current stint via short video", {"member": {"joinChannels": ["short_video"]}}, ["u02"]),
    ("quality", {"member": {"statuses": ["QUALITY"]}}, ["u01"]),
    # u02: no order, a live watch on 03-01, inside the 90 days from 2026-01-01.
    ("potential", {"member": {"statuses": ["POTENTIAL"]}}, ["u02"]),
    # u09's order and event are before the 365- and 90-day windows.
    ("dormant", {"member": {"statuses": ["DORMANT"]}}, ["u05", "u09"]),
    (
        "every member field must hold",
        {"member": {"isMember": True, "joinedWithinDays": 30, "joinChannels": ["short_video"]}},
        ["u02"],
    ),
    (
        "not a member but joined within 30 days",
        {"member": {"isMember": False, "joinedWithinDays": 30}},
        [],
    ),
    # purchased: u07's order at E never counts.
    ("bought ever", {"purchased": {}}, ["u01", "u03", "u04", "u08", "u09", W]),
    # 7 days from 03-25 00:00: o03 at that instant counts, o04 one second earlier does not.
    ("bought within 7 days", {"purchased": {"withinDays": 7}}, ["u01", "u03", "u08", W]),
    ("bought p1 within 7 days", {"purchased": {"withinDays": 7, "productIds": ["p1"]}}, ["u01"]),
    (
        "bought p1 within 8 days",
        {"purchased": {"withinDays": 8, "productIds": ["p1"]}},
        ["u01", "u04"],
    ),
    # s2's p9 is a dress too, bought by u12 and u13 at s2.
    (
        "bought a dress",
        {"purchased": {"categories": ["dress"]}},
        ["u01", "u03", "u04", "u08", "u09"],
    ),
    # o90 and o92 of c1 are at s2.
    ("sold by c1", {"purchased": {"creatorIds": ["c1"]}}, ["u01"]),
    ("on product cards", {"purchased": {"carriers": ["product_card"]}}, ["u01", "u08"]),
    ("two orders or more", {"purchased": {"minOrders": 2}}, ["u01", "u08"]),
    ("exactly two orders", {"purchased": {"minOrders": 2, "maxOrders": 2}}, ["u01"]),
    # u01's 100 yuan at s2 is not part of their 150.
    ("spent exactly 150", {"purchased": {"minAmount": 150, "maxAmount": 150}}, ["u01"]),
    ("spent exactly 19.90", {"purchased": {"minAmount": 19.9, "maxAmount": 19.9}}, [W]),
    ("spent 200 or more", {"purchased": {"minAmount": 200}}, ["u03", "u08", "u09"]),
    (
        "several filters at once",
        {"purchased": {"productIds": ["p3"], "carriers": ["product_card"], "withinDays": 30}},
        ["u08"],
    ),
    # minOrders 0: customers without a matching order match too.
    (
        "no order within 7 days",
        {"purchased": {"withinDays": 7, "minOrders": 0, "maxOrders": 0}},
        ["u02", "u04", "u05", "u06", "u09", "u11"],
    ),
    (
        "at most one p3 order",
        {"purchased": {"productIds": ["p3"], "minOrders": 0, "maxOrders": 1}},
        [c for c in CUSTOMERS if c != "u08"],
    ),
    ("zero orders or more", {"purchased": {"minOrders": 0}}, CUSTOMERS),
    (
        "zero orders or more but 100 yuan",
        {"purchased": {"minOrders": 0, "minAmount": 100}},
        ["u01", "u03", "u08", "u09"],
    ),
    # minOrders 0 with a window or filters. Matching orders within 30 days (from 03-02):
    # u01 1 (100), u03 1 (200), u04 1 (80), u08 2 (60), W 1 (19.90); the others none, so
    # count 0 and sum 0.
    (
        "zero orders or more within 30 days",
        {"purchased": {"withinDays": 30, "minOrders": 0}},
        CUSTOMERS,
    ),
    ("zero p1 orders or more", {"purchased": {"productIds": ["p1"], "minOrders": 0}}, CUSTOMERS),
    (
        "at most one order within 30 days, none included",
        {"purchased": {"withinDays": 30, "minOrders": 0, "maxOrders": 1}},
        [c for c in CUSTOMERS if c != "u08"],
    ),
    (
        "at most 100 yuan within 30 days, nothing included",
        {"purchased": {"withinDays": 30, "minOrders": 0, "maxAmount": 100}},
        [c for c in CUSTOMERS if c != "u03"],
    ),
    (
        "a minimum amount of 0 admits customers without orders",
        {"purchased": {"withinDays": 30, "minOrders": 0, "minAmount": 0}},
        CUSTOMERS,
    ),
    (
        "spent nothing within 30 days",
        {"purchased": {"withinDays": 30, "minOrders": 0, "minAmount": 0, "maxAmount": 0}},
        ["u02", "u05", "u06", "u09", "u11"],
    ),
    (
        "a minimum amount above 0 needs an order",
        {"purchased": {"withinDays": 30, "minOrders": 0, "minAmount": 60}},
        ["u01", "u03", "u04", "u08"],
    ),
    (
        "at most one order, of at least 10 yuan, within 30 days",
        {"purchased": {"withinDays": 30, "minOrders": 0, "maxOrders": 1, "minAmount": 10}},
        ["u01", "u03", "u04", W],
    ),
    # Shoe orders within 30 days: u08 2 (60), W 1 (19.90).
    (
        "at most one shoe order of at most 50 yuan within 30 days",
        {
            "purchased": {
                "categories": ["shoe"],
                "withinDays": 30,
                "minOrders": 0,
                "maxOrders": 1,
                "maxAmount": 50,
            }
        },
        [c for c in CUSTOMERS if c != "u08"],
    ),
    # Live orders ever: u01 100, u08 500, u09 200, W 19.90; the amount bound alone binds.
    (
        "live orders of at most 150 yuan, none included",
        {"purchased": {"carriers": ["live"], "minOrders": 0, "maxOrders": 5, "maxAmount": 150}},
        ["u01", "u02", "u03", "u04", "u05", "u06", "u11", W],
    ),
    (
        "c1 orders of 50 to 150 yuan, none not enough",
        {"purchased": {"creatorIds": ["c1"], "minOrders": 0, "minAmount": 50, "maxAmount": 150}},
        ["u01"],
    ),
    (
        "no order but at least 10 yuan is nobody",
        {"purchased": {"minOrders": 0, "maxOrders": 0, "minAmount": 10}},
        [],
    ),
    # rfm: u09's only order is before the window.
    ("rfm default window", {"rfm": {}}, ["u01", "u03", "u04", "u08", W]),
    ("bought on the as-of day", {"rfm": {"recencyDaysMax": 0}}, ["u08", W]),
    ("recency 1 to 6", {"rfm": {"recencyDaysMin": 1, "recencyDaysMax": 6}}, ["u01", "u03"]),
    ("recency 7 or more", {"rfm": {"recencyDaysMin": 7}}, ["u04"]),
    ("frequency 2 or more", {"rfm": {"frequencyMin": 2}}, ["u01", "u08"]),
    ("monetary 150 to 200", {"rfm": {"monetaryMin": 150, "monetaryMax": 200}}, ["u01", "u03"]),
    # 30 days: u08 keeps two orders (03-31, 03-10), u01 one.
    ("rfm over 30 days", {"rfm": {"windowDays": 30, "frequencyMin": 2}}, ["u08"]),
    (
        "rfm all bounds",
        {
            "rfm": {
                "windowDays": 365,
                "recencyDaysMax": 0,
                "frequencyMin": 3,
                "frequencyMax": 3,
                "monetaryMin": 560,
                "monetaryMax": 560,
            }
        },
        ["u08"],
    ),
    # activity without types: the activity events (clicks and carts are not).
    ("any activity", {"activity": {}}, ["u01", "u02", "u09"]),
    # u02's live watch on 03-01 is one day before the 30 days.
    ("activity within 30 days", {"activity": {"withinDays": 30}}, ["u01"]),
    ("two product clicks", {"activity": {"types": ["product_click"], "minCount": 2}}, ["u11"]),
    ("three product clicks", {"activity": {"types": ["product_click"], "minCount": 3}}, []),
    ("an add-to-cart before E", {"activity": {"types": ["add_to_cart"]}}, []),
    ("zero clicks or more", {"activity": {"types": ["product_click"], "minCount": 0}}, CUSTOMERS),
    (
        "viewed or clicked",
        {"activity": {"types": ["product_impression", "product_click"], "withinDays": 7}},
        ["u11"],
    ),
    # profile: u07, u12, u13 are women too, but not customers.
    ("women", {"profile": {"genders": ["female"]}}, ["u01", "u05", "u06", "u09", W]),
    # unknown: null (u03) or the literal 'unknown' (u11).
    ("gender unknown", {"profile": {"genders": ["unknown"]}}, ["u03", "u11"]),
    ("crowd unknown", {"profile": {"crowds": ["unknown"]}}, ["u02", "u03"]),
    (
        "women in 上海",
        {"profile": {"genders": ["female"], "provinces": ["上海"]}},
        ["u09", W],
    ),
    (
        "age 24-30 or unknown",
        {"profile": {"ageBands": ["unknown", "24-30"]}},
        ["u01", "u02", "u03", "u09", "u11"],
    ),
    # fan: u06 unfollowed before E; u04 follows s2 only.
    ("fans", {"fan": {"isFan": True}}, ["u01", "u08"]),
    (
        "not fans",
        {"fan": {"isFan": False}},
        ["u02", "u03", "u04", "u05", "u06", "u09", "u11", W],
    ),
    # reached: u07 and u12 are not customers; k9 is s2's campaign.
    ("reached ever", {"reached": {}}, ["u01", "u03", W]),
    ("reached within 7 days", {"reached": {"withinDays": 7}}, ["u01", W]),
    ("reached by k1", {"reached": {"campaignIds": ["k1"]}}, ["u01", "u03"]),
    # ids with quotes, commas and SQL match literally.
    ("odd product id", {"purchased": {"productIds": [P]}}, [W]),
    ("odd creator id", {"purchased": {"creatorIds": [CR]}}, [W]),
    ("odd campaign id", {"reached": {"campaignIds": [K]}}, [W]),
    ("odd ids are not patterns", {"purchased": {"productIds": ["p%", "p_", "p1' OR '1'='1"]}}, []),
]


@pytest.mark.parametrize(
    ("rule", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
async def test_leaf_rule_selects_the_customers_worked_out_by_hand(
    data: asyncpg.Pool, rule: dict[str, Any], expected: list[str]
) -> None:
    assert await matching(data, rule) == sorted(expected)


async def test_other_shop_reads_its_own_facts(data: asyncpg.Pool) -> None:
    """At s2, c1 sold to u01 and u13; u13 is a member there, and u12 bought there."""
    assert await matching(data, {"purchased": {"creatorIds": ["c1"]}}, shop="s2") == [
        "u01",
        "u13",
    ]
    assert await matching(data, {"member": {"isMember": True}}, shop="s2") == ["u03", "u13"]
    assert await matching(data, {"not": {"purchased": {}}}, shop="s2") == ["u03", "u04"]

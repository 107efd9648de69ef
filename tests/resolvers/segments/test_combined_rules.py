"""all / any / not, nested, and evaluation as of other days, on ``rule_fixture``'s data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg
import pytest

from resolvers.segments.compiler import default_as_of, segment_sql
from resolvers.segments.params import Params
from tests.resolvers.segments.rule_fixture import AS_OF, CUSTOMERS, SHOP, ZONE, W, matching

FANS = {"fan": {"isFan": True}}
MEMBERS = {"member": {"isMember": True}}
BUYERS = {"purchased": {}}
WOMEN = {"profile": {"genders": ["female"]}}
REACHED = {"reached": {}}

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # Bought p1 but not p3 in 90 days: p1 buyers u01, u04 (u08's is from 2025); u01 also
    # bought p3 on 01-10.
    (
        "bought A but not B",
        {
            "all": [
                {"purchased": {"productIds": ["p1"], "withinDays": 90}},
                {"not": {"purchased": {"productIds": ["p3"], "withinDays": 90}}},
            ]
        },
        ["u04"],
    ),
    (
        "fans or dormant members",
        {"any": [FANS, {"member": {"statuses": ["DORMANT"]}}]},
        ["u01", "u05", "u08", "u09"],
    ),
    # Members u01 u02 u05 u09, buyers u01 u03 u04 u08 u09 W.
    ("neither member nor buyer", {"not": {"any": [MEMBERS, BUYERS]}}, ["u06", "u11"]),
    ("members and buyers", {"all": [MEMBERS, BUYERS]}, ["u01", "u09"]),
    (
        "every customer but the fans",
        {"not": FANS},
        ["u02", "u03", "u04", "u05", "u06", "u09", "u11", W],
    ),
    ("reached women", {"all": [REACHED, WOMEN]}, ["u01", W]),
    (
        "reached in 7 days or refined moms",
        {"any": [{"reached": {"withinDays": 7}}, {"profile": {"crowds": ["refined_mom"]}}]},
        ["u01", "u05", "u09", W],
    ),
    # u07 and u12 were sent a message but are not customers.
    ("not not reached", {"not": {"not": REACHED}}, ["u01", "u03", W]),
    (
        "reached and reached by k1",
        {"all": [REACHED, {"reached": {"campaignIds": ["k1"]}}]},
        ["u01", "u03"],
    ),
    ("reached or fans", {"any": [REACHED, FANS]}, ["u01", "u03", "u08", W]),
    ("only negations", {"all": [{"not": FANS}, {"not": MEMBERS}]}, ["u03", "u04", "u06", "u11", W]),
    (
        "any of negations",
        {"any": [{"not": FANS}, {"not": BUYERS}]},
        [c for c in CUSTOMERS if c not in ("u01", "u08")],
    ),
    (
        "men or gen z",
        {"any": [{"profile": {"genders": ["male"]}}, {"profile": {"crowds": ["gen_z"]}}]},
        ["u02", "u04", "u08", "u11", W],
    ),
    ("women who are not fans", {"all": [WOMEN, {"not": FANS}]}, ["u05", "u06", "u09", W]),
    # u03's missing gender reads as unknown, so it is not female.
    ("not women", {"not": WOMEN}, ["u02", "u03", "u04", "u08", "u11"]),
    ("women and men", {"all": [WOMEN, {"profile": {"genders": ["male"]}}]}, []),
    ("not non-members", {"not": {"member": {"isMember": False}}}, ["u01", "u02", "u05", "u09"]),
    ("buyers who are women", {"all": [BUYERS, WOMEN]}, ["u01", "u09", W]),
    (
        "women buyers, not fans, not reached",
        {"all": [BUYERS, WOMEN, {"not": FANS}, {"not": REACHED}]},
        ["u09"],
    ),
    (
        "inactive or bought today, of known gender",
        {
            "all": [
                {"any": [{"not": {"activity": {}}}, {"rfm": {"recencyDaysMax": 0}}]},
                {"profile": {"genders": ["male", "female"]}},
            ]
        },
        ["u04", "u05", "u06", "u08", W],
    ),
    (
        "single child combinators",
        {"all": [{"any": [{"all": [{"not": {"not": FANS}}]}]}]},
        ["u01", "u08"],
    ),
    ("minOrders 0 under not", {"not": {"purchased": {"minOrders": 0}}}, []),
    (
        "no order in 7 days, among members",
        {"all": [MEMBERS, {"purchased": {"withinDays": 7, "minOrders": 0, "maxOrders": 0}}]},
        ["u02", "u05", "u09"],
    ),
    ("not everyone", {"not": {"activity": {"minCount": 0}}}, []),
    (
        "minOrders 0 with a window under not",
        {"not": {"purchased": {"withinDays": 30, "minOrders": 0}}},
        [],
    ),
    (
        "fans, with zero orders or more in 7 days",
        {"all": [FANS, {"purchased": {"withinDays": 7, "minOrders": 0}}]},
        ["u01", "u08"],
    ),
    (
        "zero p3 orders or more, or fans",
        {"any": [{"purchased": {"productIds": ["p3"], "minOrders": 0}}, FANS]},
        CUSTOMERS,
    ),
    # Members u01 u02 u05 u09; u01 bought within 30 days (o01).
    (
        "members without an order in 30 days",
        {"all": [{"purchased": {"withinDays": 30, "minOrders": 0, "maxOrders": 0}}, MEMBERS]},
        ["u02", "u05", "u09"],
    ),
]


@pytest.mark.parametrize(("rule", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_combined_rule_selects_the_customers_worked_out_by_hand(
    data: asyncpg.Pool, rule: dict[str, Any], expected: list[str]
) -> None:
    assert await matching(data, rule) == sorted(expected)


async def test_a_user_whose_facts_all_come_after_the_end_is_not_a_customer(
    data: asyncpg.Pool,
) -> None:
    """As of 03-30 (E = 03-31 00:00), u05 (joins 03-31 23:59:59) and W (orders and is
    reached on 03-31) are not customers yet; as of 03-31, u07 (order at E) still is not."""
    before = date(2026, 3, 30)
    assert await matching(data, {"not": FANS}, as_of=before) == [
        "u02",
        "u03",
        "u04",
        "u06",
        "u09",
        "u11",
    ]
    assert "u07" not in await matching(data, {"not": FANS})
    assert await matching(data, {"reached": {"campaignIds": ["k1"]}}, as_of=before) == [
        "u01",
        "u03",
    ]


async def test_window_boundaries_move_with_the_as_of_day(data: asyncpg.Pool) -> None:
    """As of 03-30 the 7 days start 03-24 00:00: o04 at 03-24 23:59:59 counts, o08a and
    oW (03-31) do not; the add-to-cart at 04-01 00:00 counts only as of 04-01."""
    within_7 = {"purchased": {"withinDays": 7}}
    assert await matching(data, within_7, as_of=date(2026, 3, 30)) == ["u01", "u03", "u04"]
    carts = {"activity": {"types": ["add_to_cart"], "withinDays": 1}}
    assert await matching(data, carts) == []
    assert await matching(data, carts, as_of=date(2026, 4, 1)) == ["u05"]


async def test_rejoined_member_is_read_on_the_stint_in_force(data: asyncpg.Pool) -> None:
    """u02 left on 03-15 10:00 and rejoined on 03-20 10:00 via short video."""
    between = date(2026, 3, 16)
    assert await matching(data, MEMBERS, as_of=between) == ["u01", "u09"]
    assert "u02" in await matching(data, {"member": {"isMember": False}}, as_of=between)
    assert await matching(data, {"member": {"statuses": ["POTENTIAL"]}}, as_of=between) == []
    rejoined = date(2026, 3, 20)
    assert await matching(data, {"member": {"statuses": ["POTENTIAL"]}}, as_of=rejoined) == ["u02"]
    assert await matching(data, {"member": {"joinChannels": ["live"]}}, as_of=between) == [
        "u01",
        "u09",
    ]
    assert await matching(
        data, {"member": {"joinChannels": ["live"]}}, as_of=date(2026, 3, 14)
    ) == [
        "u01",
        "u02",
        "u09",
    ]


async def test_rfm_recency_counts_days_in_the_business_zone(data: asyncpg.Pool) -> None:
    """o08a at 03-31 09:00+08 is 03-31 01:00 UTC: bought on A, recency 0; as of 04-01 it
    is 1 and W's (03-31 12:00) too."""
    assert await matching(data, {"rfm": {"recencyDaysMax": 0}}) == ["u08", W]
    later = {"rfm": {"recencyDaysMin": 1, "recencyDaysMax": 1}}
    assert await matching(data, later, as_of=date(2026, 4, 1)) == ["u08", W]


async def test_windows_longer_than_the_calendar_take_everything_before_the_end(
    data: asyncpg.Pool,
) -> None:
    huge = 2**31 - 1
    assert await matching(data, {"purchased": {"withinDays": huge}}) == await matching(data, BUYERS)
    assert await matching(data, {"rfm": {"windowDays": huge, "recencyDaysMax": huge}}) == [
        "u01",
        "u03",
        "u04",
        "u08",
        "u09",
        W,
    ]
    assert await matching(data, {"rfm": {"windowDays": huge, "recencyDaysMin": huge}}) == []


async def test_two_segments_compose_into_one_statement(data: asyncpg.Pool) -> None:
    """Members (u01 u02 u05 u09) who are not fans (u01 u08 are): u02, u05 and u09."""
    params = Params()
    members = segment_sql(MEMBERS, shop_id=SHOP, as_of=AS_OF, zone=ZONE, params=params)
    not_fans = segment_sql({"not": FANS}, shop_id=SHOP, as_of=AS_OF, zone=ZONE, params=params)
    overlap = f"SELECT count(*) FROM (({members}) INTERSECT ({not_fans})) s"
    assert await data.fetchval(overlap, *params.values) == 3  # u02 u05 u09
    joined = f"SELECT count(*) FROM ({members}) a JOIN ({not_fans}) b USING (user_id)"
    assert await data.fetchval(joined, *params.values) == 3
    size = Params()
    sql = segment_sql({"not": FANS}, shop_id=SHOP, as_of=AS_OF, zone=ZONE, params=size)
    assert await data.fetchval(f"SELECT count(*) FROM ({sql}) s", *size.values) == 8


def test_default_as_of_is_today_in_the_business_zone() -> None:
    assert default_as_of(ZONE) == datetime.now(ZONE).date()

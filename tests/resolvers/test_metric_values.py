"""Every metric's value over the hand-made dataset of ``metric_fixture``.

Each expectation is worked out by hand from the definitions in the specification (§2
and §3), never from the engine. Shop ``s1`` is read; ``s2`` holds rows on the same users
and days that must never count. Users and orders are named as in ``metric_fixture``.

The 51 metrics are read in one request, as two aliased ``metrics`` fields: one field
takes at most 50 names.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.resolvers.metric_fixture import OTHER_SHOP, SHOP, insert_fixture

METRICS_QUERY = """
query M($shop: ID!, $first: [Metric!]!, $rest: [Metric!]!, $period: PeriodInput!) {
  shop(id: $shop) {
    first: metrics(names: $first, period: $period) { metric value unit }
    rest: metrics(names: $rest, period: $period) { metric value unit }
  }
}
"""

SOME_METRICS_QUERY = """
query M($shop: ID!, $names: [Metric!]!, $period: PeriodInput!) {
  shop(id: $shop) { metrics(names: $names, period: $period) { metric value unit } }
}
"""

# Every metric of the catalogue with the unit the specification gives it.
UNITS: dict[str, str] = {
    "member_count": "COUNT",
    "new_members": "COUNT",
    "left_members": "COUNT",
    "net_new_members": "COUNT",
    "gmv": "MONEY",
    "net_gmv": "MONEY",
    "refund_rate": "RATIO",
    "orders": "COUNT",
    "buyers": "COUNT",
    "aov": "MONEY",
    "repurchase_rate": "RATIO",
    "member_gmv": "MONEY",
    "member_gmv_share": "RATIO",
    "member_orders": "COUNT",
    "member_buyers": "COUNT",
    "member_buyer_share": "RATIO",
    "member_aov": "MONEY",
    "member_repurchase_rate": "RATIO",
    "active_members": "COUNT",
    "active_member_rate": "RATIO",
    "monthly_active_rate": "RATIO",
    "benefit_claims": "COUNT",
    "benefit_claimers": "COUNT",
    "benefit_users": "COUNT",
    "benefit_penetration": "RATIO",
    "benefit_online_days": "DAYS",
    "reached_users": "COUNT",
    "reach_visit_rate": "RATIO",
    "reach_conversion_rate": "RATIO",
    "reach_gmv": "MONEY",
    "reach_roi": "RATIO",
    "quality_members": "COUNT",
    "potential_members": "COUNT",
    "effective_members": "COUNT",
    "quality_share": "RATIO",
    "audience_users": "COUNT",
    "high_potential_users": "COUNT",
    "first_order_users": "COUNT",
    "repeat_users": "COUNT",
    "fan_gmv_share": "RATIO",
    "card_impression_users": "COUNT",
    "card_click_users": "COUNT",
    "card_clicks": "COUNT",
    "card_ctr": "RATIO",
    "card_clicks_per_user": "RATIO",
    "card_new_click_share": "RATIO",
    "card_gmv": "MONEY",
    "card_buyers": "COUNT",
    "card_conversion_rate": "RATIO",
    "card_uv_value": "MONEY",
    "lost_users": "COUNT",
}
ALL_METRICS = tuple(UNITS)
FIRST_HALF = ALL_METRICS[:26]
SECOND_HALF = ALL_METRICS[26:]


def ratio(numerator: float, denominator: float) -> Any:
    """A quotient that is not an exact binary fraction, compared to 12 significant digits."""
    return pytest.approx(numerator / denominator, rel=1e-12)


def as_enum(names: tuple[str, ...]) -> list[str]:
    return [name.upper() for name in names]


@pytest.fixture
async def dataset(db: asyncpg.Pool) -> asyncpg.Pool:
    """The emptied database with the hand-made dataset in it."""
    await insert_fixture(db)
    return db


async def read_all(caller: Any, period: dict[str, Any], shop: str = SHOP) -> dict[str, Any]:
    """Every metric of ``shop`` over ``period``: ``{metric: value}``; units checked too."""
    body = await (await caller()).query(
        METRICS_QUERY,
        shop=shop,
        first=as_enum(FIRST_HALF),
        rest=as_enum(SECOND_HALF),
        period=period,
    )
    assert body.get("errors") is None, body["errors"]
    results = body["data"]["shop"]["first"] + body["data"]["shop"]["rest"]
    assert [result["metric"] for result in results] == as_enum(ALL_METRICS)
    assert {result["metric"].lower(): result["unit"] for result in results} == UNITS
    return {result["metric"].lower(): result["value"] for result in results}


async def read_some(
    caller: Any, names: tuple[str, ...], period: dict[str, Any], shop: str
) -> dict[str, Any]:
    body = await (await caller()).query(
        SOME_METRICS_QUERY, shop=shop, names=as_enum(names), period=period
    )
    assert body.get("errors") is None, body["errors"]
    return {result["metric"].lower(): result["value"] for result in body["data"]["shop"]["metrics"]}


MARCH = {"from": "2026-03-01", "to": "2026-03-31"}

# March 2026: P = [03-01 00:00, 04-01 00:00), E = 04-01 00:00 (all +08).
MARCH_EXPECTED: dict[str, Any] = {
    # Member scale. Stints with joined_at < E and (left_at null or >= E): u01, u03 (second
    # stint), u04 (joined 03-01 00:00), u05, u07 (left_at = E still counts), u08, u12
    # (joined 03-31 23:59:59). Not: u02 and u06 (left in P), u09 (joined at E, not < E),
    # u10 (left in February); s2's u11 and u06 stints are another shop's.
    "member_count": 7.0,
    # joined_at in P: u03 (rejoined 03-12), u04 (03-01 00:00, the first instant of P),
    # u05 (03-05), u12 (03-31 23:59:59). u09 joins at E, outside P.
    "new_members": 4.0,
    # left_at in P: u02 (03-15), u03 (03-05; also a new member), u06 (03-20). u07 leaves at
    # E (outside P), u10 in February; s2's u12 leaves s2, not s1.
    "left_members": 3.0,
    "net_new_members": 1.0,  # 4 − 3
    # Contribution. Orders paid in P: o10 99.90, o11 259.90, o12 100.00, o13 150.00,
    # o14 300.00, o15 50.00, o16 80.00, o17 70.00, o18 130.00, o19 45.50 (03-31 23:59:59),
    # o21 200.00, o22 20.00 = 1505.30. Not: o05 (one second before P), o20 (at E).
    "gmv": 1505.3,
    # Refunds of orders paid in P: o11 259.90 (full) + o16 30.00 (refunded after P) =
    # 289.90; o02's refund falls in P but o02 was paid before P. 1505.30 − 289.90.
    "net_gmv": 1215.4,
    "refund_rate": ratio(289.90, 1505.30),
    "orders": 12.0,
    # u01 (o11, o12), u03 (o17, o18), u04 (o10), u05 (o13, o21), u06 (o14, o15),
    # u10 (o16, o22), u11 (o19).
    "buyers": 7.0,
    "aov": ratio(1505.30, 7),
    # Buyers with ≥ 2 orders in P: u01, u03, u05, u06, u10.
    "repurchase_rate": ratio(5, 7),
    # Member orders (a stint with joined_at <= paid_at < left_at): o10 (paid at u04's
    # joined_at), o11, o12, o13 (paid at u05's joined_at), o15, o18, o21. Not: o14 (paid at
    # u06's left_at; u06's s2 stint starting then is another shop's), o16 and o22 (u10 left
    # in February), o17 (u03 between stints), o19 (u11 is a member of s2 only).
    # 99.90 + 259.90 + 100.00 + 150.00 + 50.00 + 130.00 + 200.00 = 989.80.
    "member_gmv": 989.8,
    "member_gmv_share": ratio(989.80, 1505.30),
    "member_orders": 7.0,
    "member_buyers": 5.0,  # u01, u03, u04, u05, u06
    "member_buyer_share": ratio(5, 7),
    "member_aov": ratio(989.80, 5),
    # ≥ 2 member orders: u01 (o11, o12), u05 (o13, o21); u03 and u06 have one each.
    "member_repurchase_rate": ratio(2, 5),
    # Activity. Members at E with an activity in P: u01 (claims, video, orders), u03
    # (orders), u04 (o10 and a shop visit, both on 03-01), u05 (live watch, points,
    # orders), u07 (benefit claim). u08 has only an impression and an add-to-cart (not
    # activities) and an s2 visit; u12 only a click, an add-to-cart, an s2 visit, o20 at E.
    "active_members": 5.0,
    "active_member_rate": ratio(5, 7),
    # Window [03-02 00:00, E): u04's activity is all on 03-01, so u01, u03, u05, u07.
    "monthly_active_rate": ratio(4, 7),
    # Benefits. Claims in P: e01 and e02 (u01), e26 (u07); e05 is in February, y4 is s2's.
    "benefit_claims": 3.0,
    "benefit_claimers": 2.0,
    # Member orders in P with a benefit: o10 (u04), o11 (u01), o18 (u03). o14 carries one
    # but is not a member order.
    "benefit_users": 3.0,
    "benefit_penetration": ratio(3, 5),
    # b_end 03-01..03-07 (offline from 03-08 00:00) + b_on 03-20..03-31 = 7 + 12; b_mid
    # overlaps b_on; b_old ends at 03-01 00:00; b_late starts in April; bx2 is s2's.
    "benefit_online_days": 19.0,
    # Outreach. Sends of s1 campaigns in P: u01 (k1 03-02 09:00 first, k2 03-10), u02
    # (03-14 20:00), u03 (03-24 10:00), u10 (k3 03-11 10:00), u12 (03-31 12:00). k4's sends
    # are one second before P and at E; k9 is s2's.
    "reached_users": 5.0,
    # Activity in [first send, +24h): u01 claim 03-02 10:00; u10 visit 03-11 22:00; u12 o20
    # at 04-01 00:00 (an order is an activity; the window runs past E). u02's s1 visit is
    # at 03-15 20:00 = send + 24h (excluded; the s2 visit does not count); u03's o18 is at
    # 03-25 10:00 = send + 24h.
    "reach_visit_rate": ratio(3, 5),
    # Order in [first send, +7 days): u01 o11 (the window of the first send, 03-02..03-09;
    # o12 is later), u03 o18, u10 o16 and o22, u12 o20 (after E). u02 bought only at s2.
    "reach_conversion_rate": ratio(4, 5),
    # 259.90 + 130.00 + 80.00 + 20.00 + 88.00; refunds do not reduce it.
    "reach_gmv": 577.9,
    # Cost of s1 campaigns with a send in P: k1 100.00 + k2 50.50 + k3 null (0) = 150.50;
    # k4 (40.00) has no send in P.
    "reach_roi": ratio(577.90, 150.50),
    # Relationship. Members at E with an s1 order in [2025-04-01 00:00, E): u01, u03, u04,
    # u05, u07 (o04 at 2025-04-01 00:00, the window's first instant). Not u08 (o03 in
    # 2025-02; x7 is s2's) nor u12 (o20 at E; x5 is s2's).
    "quality_members": 5.0,
    # Not quality, with an activity event in [2026-01-01 00:00, E): u08 (points at
    # 2026-01-01 00:00; the visit at 2025-12-31 23:59:59 is outside). u12 has none at s1.
    "potential_members": 1.0,
    "effective_members": 6.0,
    "quality_share": ratio(5, 6),
    # User assets. live_watch, video_watch or product_click (any carrier) in P: u01, u02,
    # u03, u04, u05, u06, u07 (live and short-video clicks), u09 (video), u10, u11, u12.
    # Not u08 (impression, add-to-cart only).
    "audience_users": 11.0,
    # Of those, no s1 order in P and (add_to_cart or ≥ 2 clicks in P): u02 (2 card
    # clicks), u07 (2 clicks on other carriers; x2 is s2's), u12 (add-to-cart). u09's
    # click and add-to-cart are at E; its two clicks y5, y6 are s2's.
    "high_potential_users": 3.0,
    # Buyers in P without an s1 order before P: u04 (x4 is at s2), u05, u11.
    "first_order_users": 3.0,
    # With one: u01 (o01), u03 (o05, one second before P), u06 (o07), u10 (o02).
    "repeat_users": 4.0,
    # Fan orders (follow stint covering paid_at): o11, o12 (u01), o15 (u06), o22 (u10),
    # o19 (u11 followed at its paid_at). Not o14 (at u06's unfollow), o16 (one second
    # before u10 followed), o10 (u04 follows s2 only).
    # 259.90 + 100.00 + 50.00 + 20.00 + 45.50 = 475.40.
    "fan_gmv_share": ratio(475.40, 1505.30),
    # Product card. Card impressions in P: u01, u02, u03 (e11; e10 is before P), u04, u05,
    # u06, u07, u08, u09 (03-31 23:59:59), u10, u11.
    "card_impression_users": 11.0,
    # Card clicks in P: u01 1, u02 2, u03 1, u04 1 (e13 is before P), u05 2, u06 1, u10 1,
    # u11 1, u12 1. Not u07 (clicks on other carriers; y7 is s2's), u08 (y8 is s2's),
    # u09 (click at E).
    "card_click_users": 9.0,
    "card_clicks": 11.0,
    "card_ctr": ratio(9, 11),
    "card_clicks_per_user": ratio(11, 9),
    # New clickers (no s1 order before P): u04, u05, u11, u12. Returning: u01, u02, u03,
    # u06, u10.
    "card_new_click_share": ratio(4, 9),
    # Card orders in P: o10 99.90 + o13 150.00 + o14 300.00 + o16 80.00 + o19 45.50.
    "card_gmv": 675.4,
    "card_buyers": 5.0,  # u04, u05, u06, u10, u11
    "card_conversion_rate": ratio(5, 9),
    "card_uv_value": ratio(675.40, 9),
    # Clickers with no s1 order in P (any carrier): u02 (x6 is s2's), u12 (o20 at E).
    # u01 and u03 bought on other carriers.
    "lost_users": 2.0,
}


async def test_march_values_match_the_hand_worked_figures(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    assert await read_all(caller, MARCH) == MARCH_EXPECTED


# 2026-03-31 alone: P = [03-31 00:00, 04-01 00:00), the same E as March.
LAST_DAY_EXPECTED: dict[str, Any] = {
    "member_count": 7.0,  # same E as March
    "new_members": 1.0,  # u12 at 23:59:59
    "left_members": 0.0,  # u07 leaves at E, outside P
    "net_new_members": 1.0,
    "gmv": 45.5,  # o19 at 23:59:59; o20 at E is outside
    "net_gmv": 45.5,
    "refund_rate": 0.0,  # no refund (null refund_amount is 0) over 45.50
    "orders": 1.0,
    "buyers": 1.0,
    "aov": 45.5,
    "repurchase_rate": 0.0,
    "member_gmv": 0.0,  # u11 is not a member of s1
    "member_gmv_share": 0.0,
    "member_orders": 0.0,
    "member_buyers": 0.0,
    "member_buyer_share": 0.0,
    "member_aov": None,
    "member_repurchase_rate": None,
    "active_members": 0.0,  # nothing on 03-31 from a member
    "active_member_rate": 0.0,
    "monthly_active_rate": ratio(4, 7),  # same E, same 30-day window as March
    "benefit_claims": 0.0,
    "benefit_claimers": 0.0,
    "benefit_users": 0.0,
    "benefit_penetration": None,
    "benefit_online_days": 1.0,  # b_on
    "reached_users": 1.0,  # u12 at 12:00
    "reach_visit_rate": 1.0,  # o20 at 04-01 00:00, within 24h
    "reach_conversion_rate": 1.0,
    "reach_gmv": 88.0,
    "reach_roi": ratio(88.00, 100.00),  # k1 only; k4's send at E is outside
    "quality_members": 5.0,
    "potential_members": 1.0,
    "effective_members": 6.0,
    "quality_share": ratio(5, 6),
    "audience_users": 1.0,  # u11's click; u09's is at E
    "high_potential_users": 0.0,  # u11 bought
    "first_order_users": 1.0,  # u11
    "repeat_users": 0.0,
    "fan_gmv_share": 1.0,  # u11 followed at o19's paid_at
    "card_impression_users": 2.0,  # u11 at 23:58, u09 at 23:59:59
    "card_click_users": 1.0,
    "card_clicks": 1.0,
    "card_ctr": 0.5,
    "card_clicks_per_user": 1.0,
    "card_new_click_share": 1.0,
    "card_gmv": 45.5,
    "card_buyers": 1.0,
    "card_conversion_rate": 1.0,
    "card_uv_value": 45.5,
    "lost_users": 0.0,
}


async def test_last_day_counts_the_second_before_midnight_and_not_midnight(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    period = {"from": "2026-03-31", "to": "2026-03-31"}
    assert await read_all(caller, period) == LAST_DAY_EXPECTED


# 2026-03-01 alone: P = [03-01 00:00, 03-02 00:00), E = 03-02 00:00, 30-day window from
# 2026-01-31 00:00, 90-day window from 2025-12-02 00:00, 365-day window from 2025-03-02.
FIRST_DAY_EXPECTED: dict[str, Any] = {
    # Stints covering E: u01, u02 (leaves 03-15), u03 (first stint, leaves 03-05), u04,
    # u06 (leaves 03-20), u07, u08. Not u05 (joins 03-05), u10, u12.
    "member_count": 7.0,
    "new_members": 1.0,  # u04 at 00:00
    "left_members": 0.0,
    "net_new_members": 1.0,
    "gmv": 99.9,  # o10 at 00:00; o05 at 02-28 23:59:59 is outside
    "net_gmv": 99.9,
    "refund_rate": 0.0,  # o02's refund falls in P, but o02 was paid in February
    "orders": 1.0,
    "buyers": 1.0,
    "aov": 99.9,
    "repurchase_rate": 0.0,
    "member_gmv": 99.9,  # o10 is paid at u04's joined_at
    "member_gmv_share": 1.0,
    "member_orders": 1.0,
    "member_buyers": 1.0,
    "member_buyer_share": 1.0,
    "member_aov": 99.9,
    "member_repurchase_rate": 0.0,
    "active_members": 1.0,  # u04 (o10, visit); u03's impression and click are not activity
    "active_member_rate": ratio(1, 7),
    # [01-31 00:00, 03-02 00:00): u02 (claim 02-27), u03 (o05), u04. Not u01 (claim on
    # 03-02 10:00 is after E), u06, u07, u08 (visit 12-31, points 01-01).
    "monthly_active_rate": ratio(3, 7),
    "benefit_claims": 0.0,
    "benefit_claimers": 0.0,
    "benefit_users": 1.0,  # o10 carries b_end
    "benefit_penetration": 1.0,
    "benefit_online_days": 1.0,  # b_end; b_old went offline at 03-01 00:00
    "reached_users": 0.0,  # k4's send at 02-28 23:59:59 is outside
    "reach_visit_rate": None,
    "reach_conversion_rate": None,
    "reach_gmv": 0.0,
    "reach_roi": None,  # no campaign has a send in P: cost 0
    # s1 order in [2025-03-02, 03-02): u01 o01, u02 o06, u03 o05, u04 o10, u06 o07,
    # u07 o04. Not u08 (o03 on 2025-02-15).
    "quality_members": 6.0,
    "potential_members": 1.0,  # u08: visit at 2025-12-31 23:59:59 is in [12-02, 03-02)
    "effective_members": 7.0,
    "quality_share": ratio(6, 7),
    "audience_users": 2.0,  # card clicks of u03 (00:00:30) and u04 (00:00:00)
    "high_potential_users": 0.0,  # u03: one click, no add-to-cart; u04 bought
    "first_order_users": 1.0,  # u04 (x4 is at s2)
    "repeat_users": 0.0,
    "fan_gmv_share": 0.0,  # u04 follows s2 only
    "card_impression_users": 2.0,  # u03 (e11), u04 (e14); e10 is before P
    "card_click_users": 2.0,
    "card_clicks": 2.0,  # e12, e15; e13 is before P
    "card_ctr": 1.0,
    "card_clicks_per_user": 1.0,
    "card_new_click_share": 0.5,  # u04 new; u03 returning (o05 one second before P)
    "card_gmv": 99.9,
    "card_buyers": 1.0,
    "card_conversion_rate": 0.5,
    "card_uv_value": ratio(99.90, 2),
    "lost_users": 1.0,  # u03
}


async def test_first_day_counts_the_stint_and_order_at_midnight(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    period = {"from": "2026-03-01", "to": "2026-03-01"}
    assert await read_all(caller, period) == FIRST_DAY_EXPECTED


# 2023-06-01 is before every fact: no stint, order, event, benefit or send, and nothing in
# any trailing window. Counts, money and days are 0; every ratio has denominator 0.
EMPTY_EXPECTED: dict[str, Any] = {
    "member_count": 0.0,
    "new_members": 0.0,
    "left_members": 0.0,
    "net_new_members": 0.0,
    "gmv": 0.0,
    "net_gmv": 0.0,
    "refund_rate": None,
    "orders": 0.0,
    "buyers": 0.0,
    "aov": None,
    "repurchase_rate": None,
    "member_gmv": 0.0,
    "member_gmv_share": None,
    "member_orders": 0.0,
    "member_buyers": 0.0,
    "member_buyer_share": None,
    "member_aov": None,
    "member_repurchase_rate": None,
    "active_members": 0.0,
    "active_member_rate": None,
    "monthly_active_rate": None,
    "benefit_claims": 0.0,
    "benefit_claimers": 0.0,
    "benefit_users": 0.0,
    "benefit_penetration": None,
    "benefit_online_days": 0.0,
    "reached_users": 0.0,
    "reach_visit_rate": None,
    "reach_conversion_rate": None,
    "reach_gmv": 0.0,
    "reach_roi": None,
    "quality_members": 0.0,
    "potential_members": 0.0,
    "effective_members": 0.0,
    "quality_share": None,
    "audience_users": 0.0,
    "high_potential_users": 0.0,
    "first_order_users": 0.0,
    "repeat_users": 0.0,
    "fan_gmv_share": None,
    "card_impression_users": 0.0,
    "card_click_users": 0.0,
    "card_clicks": 0.0,
    "card_ctr": None,
    "card_clicks_per_user": None,
    "card_new_click_share": None,
    "card_gmv": 0.0,
    "card_buyers": 0.0,
    "card_conversion_rate": None,
    "card_uv_value": None,
    "lost_users": 0.0,
}


async def test_a_day_without_facts_gives_zeros_and_null_ratios(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    period = {"from": "2023-06-01", "to": "2023-06-01"}
    assert await read_all(caller, period) == EMPTY_EXPECTED


async def test_the_other_shop_reads_only_its_own_rows(caller: Any, dataset: asyncpg.Pool) -> None:
    names = (
        "member_count",
        "new_members",
        "left_members",
        "gmv",
        "orders",
        "buyers",
        "member_gmv",
        "benefit_claims",
        "benefit_online_days",
        "reached_users",
        "reach_roi",
        "card_click_users",
        "fan_gmv_share",
    )
    assert await read_some(caller, names, MARCH, OTHER_SHOP) == {
        "member_count": 2.0,  # u11, u06; u12 left s2 on 03-25
        "new_members": 2.0,  # u11 (03-03), u06 (03-20 18:00)
        "left_members": 1.0,  # u12
        "gmv": 695.0,  # x1 500 + x2 77 + x3 33 + x5 60 + x6 25; x4, x7 are earlier
        "orders": 5.0,
        "buyers": 5.0,  # u01, u07, u09, u12, u02
        "member_gmv": 60.0,  # x5: u12 was an s2 member until 03-25
        "benefit_claims": 1.0,  # y4
        "benefit_online_days": 5.0,  # bx2: 03-10..03-14
        "reached_users": 2.0,  # u04, u05 by k9
        "reach_roi": 0.0,  # neither bought at s2 within 7 days: 0 / 999
        "card_click_users": 2.0,  # y7 (u07), y8 (u08)
        "fan_gmv_share": 0.0,  # s2's fans u04, u06 bought nothing at s2 in March
    }


@pytest.mark.parametrize(
    "period",
    [
        pytest.param({"from": "2026-03-31", "to": "2026-03-01"}, id="from-after-to"),
        pytest.param({"from": "2025-01-01", "to": "2026-01-02"}, id="367-days"),
        pytest.param({"from": "2026-03-01", "to": "2026-03-31", "lastDays": 7}, id="two-forms"),
    ],
)
async def test_a_bad_period_is_a_bad_user_input_naming_period(
    caller: Any, dataset: asyncpg.Pool, period: dict[str, Any]
) -> None:
    body = await (await caller()).query(SOME_METRICS_QUERY, shop=SHOP, names=["GMV"], period=period)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "period" in error["message"]

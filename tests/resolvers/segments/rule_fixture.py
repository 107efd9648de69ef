"""A hand-made dataset for the segment rule language, read as of A = 2026-03-31.

Business zone Asia/Shanghai: E = 2026-04-01 00:00+08. "Within 7 days" is
[03-25 00:00, E), 30 days [03-02 00:00, E), 90 days [2026-01-01 00:00, E); the rfm
window (365 days) is [2025-04-01 00:00, E). Shop ``s1`` is read; shop ``s2`` has a
member, fan, orders, events and a campaign on the same users and days, none of which may
count at ``s1``.

Customers of s1 as of A (M = member stint, F = follow stint, o = order at s1, e = event;
then gender, age band, province, crowd):

- u01: M 2025-06-01 live; F 2025-01-01; o01 p1 100 on 03-30 (c1, live), o02 p3 50 on
  01-10 (card); shop_visit 03-29; reached by k1 03-28. QUALITY. female 24-30 浙江
  urban_white_collar.
- u02: M 2025-09-10 live → 03-15 10:00, rejoined 03-20 10:00 via short_video;
  live_watch 03-01 10:00. POTENTIAL. male, no age or province, crowd 'unknown'.
- u03: M 2024-01-01 shop_page → 2026-02-01; o03 p2 200 at 03-25 00:00:00; reached by
  k1 03-20. Nothing known.
- u04: o04 p1 80 at 03-24 23:59:59 (c2, short_video). male 31-40 广东 gen_z.
- u05: M from 03-31 23:59:59 via creator (DORMANT); add_to_cart at E (never counted as
  of A). female 18-23 浙江 refined_mom.
- u06: F 02-01 → 03-10 only. female 50+ 四川 urban_senior.
- u08: F 2025-12-01; o08a p3 30 on 03-31 09:00 (card), o08b p3 30 on 03-10 (card),
  o08c p1 500 on 2025-06-01. male 41-50 北京 senior_middle_class.
- u09: M 2025-01-01 live; o09 p2 200 on 2025-03-01 (before the rfm window);
  points_interaction 2025-12-15 (before the 90 days). DORMANT. female 24-30 上海
  refined_mom.
- u11: product_click 03-28 and 03-29, product_impression 03-29. gender 'unknown', 24-30
  广东 gen_z.
- W: oW of product P, 19.90 on 03-31 12:00 (creator CR); reached by K 03-31. female
  31-40 上海 gen_z.

W, P, CR and K are ids full of quotes, commas and SQL. Not customers of s1: u07 (an
order at E, an event after it, a send), u12 (a send of k1 and an order at s2) and u13
(s2 only). At s2: u03 and u13 are members, u04 and u13 fans, u01 (o90 of 100 yuan, c1),
u12 and u13 (c1) bought p9 (a 'dress' too), and k9 reached u04.

Sums at s1 before E: u01 150 (2 orders), u03 200, u04 80, u08 560 (3), u09 200, W 19.90.
Recency at A: u08 and W 0, u01 1, u03 6, u04 7.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from resolvers.segments.compiler import segment_sql
from resolvers.segments.params import Params
from resolvers.segments.rules import parse_rule
from schema.segment_rule import SegmentRuleInput

ZONE = ZoneInfo("Asia/Shanghai")
SHOP = "s1"
OTHER_SHOP = "s2"
AS_OF = date(2026, 3, 31)

W = "w'1,\"; DROP TABLE users; --"
P = "p'x\",(1);--"
CR = "c'\"; SELECT 1; --"
K = "k'1,2 OR 1=1"

CUSTOMERS = sorted(["u01", "u02", "u03", "u04", "u05", "u06", "u08", "u09", "u11", W])


def at(stamp: str) -> datetime:
    """A wall-clock time in the business zone."""
    return datetime.fromisoformat(stamp).replace(tzinfo=ZONE)


SHOPS = [("s1", "Main", "apparel", 3), ("s2", "Other", "apparel", 3)]

USERS = [
    ("u01", "female", "24-30", "浙江", "urban_white_collar"),
    ("u02", "male", None, None, "unknown"),
    ("u03", None, None, None, None),
    ("u04", "male", "31-40", "广东", "gen_z"),
    ("u05", "female", "18-23", "浙江", "refined_mom"),
    ("u06", "female", "50+", "四川", "urban_senior"),
    ("u07", "female", "24-30", "浙江", "gen_z"),
    ("u08", "male", "41-50", "北京", "senior_middle_class"),
    ("u09", "female", "24-30", "上海", "refined_mom"),
    ("u11", "unknown", "24-30", "广东", "gen_z"),
    ("u12", "female", "24-30", "浙江", "gen_z"),
    ("u13", "female", "24-30", "浙江", "gen_z"),
    (W, "female", "31-40", "上海", "gen_z"),
]

CREATORS = [("c1", "Creator One"), ("c2", "Creator Two"), (CR, "Odd Creator")]

PRODUCTS = [
    ("p1", "s1", "Dress one", "dress", Decimal("100.00")),
    ("p2", "s1", "Dress two", "dress", Decimal("200.00")),
    ("p3", "s1", "Shoe", "shoe", Decimal("30.00")),
    (P, "s1", "Odd shoe", "shoe", Decimal("19.90")),
    ("p9", "s2", "Other dress", "dress", Decimal("100.00")),
]

CAMPAIGNS = [
    ("k1", "s1", "sms", "March SMS"),
    (K, "s1", "push", "Odd push"),
    ("k9", "s2", "sms", "Other shop SMS"),
]

MEMBERS = [
    ("s1", "u01", at("2025-06-01 10:00"), "live", None),
    ("s1", "u02", at("2025-09-10 10:00"), "live", at("2026-03-15 10:00")),
    ("s1", "u02", at("2026-03-20 10:00"), "short_video", None),
    ("s1", "u03", at("2024-01-01 10:00"), "shop_page", at("2026-02-01 10:00")),
    ("s1", "u05", at("2026-03-31 23:59:59"), "creator", None),
    ("s1", "u09", at("2025-01-01 10:00"), "live", None),
    ("s2", "u03", at("2025-01-01 10:00"), "live", None),
    ("s2", "u13", at("2025-01-01 10:00"), "live", None),
]

FANS = [
    ("s1", "u01", at("2025-01-01 10:00"), None),
    ("s1", "u06", at("2026-02-01 10:00"), at("2026-03-10 10:00")),
    ("s1", "u08", at("2025-12-01 10:00"), None),
    ("s2", "u04", at("2025-01-01 10:00"), None),
    ("s2", "u13", at("2025-01-01 10:00"), None),
]

# order, shop, user, product, amount, paid at, carrier, creator
ORDERS = [
    ("o01", "s1", "u01", "p1", "100.00", "2026-03-30 10:00", "live", "c1"),
    ("o02", "s1", "u01", "p3", "50.00", "2026-01-10 10:00", "product_card", None),
    ("o03", "s1", "u03", "p2", "200.00", "2026-03-25 00:00:00", "short_video", None),
    ("o04", "s1", "u04", "p1", "80.00", "2026-03-24 23:59:59", "short_video", "c2"),
    ("o07", "s1", "u07", "p1", "10.00", "2026-04-01 00:00:00", "live", None),
    ("o08a", "s1", "u08", "p3", "30.00", "2026-03-31 09:00", "product_card", None),
    ("o08b", "s1", "u08", "p3", "30.00", "2026-03-10 09:00", "product_card", None),
    ("o08c", "s1", "u08", "p1", "500.00", "2025-06-01 09:00", "live", None),
    ("o09", "s1", "u09", "p2", "200.00", "2025-03-01 10:00", "live", None),
    ("oW", "s1", W, P, "19.90", "2026-03-31 12:00", "live", CR),
    ("o90", "s2", "u01", "p9", "100.00", "2026-03-30 10:00", "live", "c1"),
    ("o91", "s2", "u12", "p9", "60.00", "2026-03-01 10:00", "live", None),
    ("o92", "s2", "u13", "p9", "70.00", "2026-03-20 10:00", "live", "c1"),
]

# event, shop, user, type, occurred at
EVENTS = [
    ("e01", "s1", "u01", "shop_visit", "2026-03-29 10:00"),
    ("e02", "s1", "u02", "live_watch", "2026-03-01 10:00"),
    ("e05", "s1", "u05", "add_to_cart", "2026-04-01 00:00:00"),
    ("e07", "s1", "u07", "shop_visit", "2026-04-02 10:00"),
    ("e09", "s1", "u09", "points_interaction", "2025-12-15 10:00"),
    ("e11a", "s1", "u11", "product_click", "2026-03-28 10:00"),
    ("e11b", "s1", "u11", "product_click", "2026-03-29 10:00"),
    ("e11c", "s1", "u11", "product_impression", "2026-03-29 09:00"),
    ("e90", "s2", "u13", "shop_visit", "2026-03-30 10:00"),
    ("e91", "s2", "u04", "live_watch", "2026-03-30 10:00"),
]

# campaign, user, sent at, shop (the campaign's)
REACH = [
    ("k1", "u01", "2026-03-28 10:00", "s1"),
    ("k1", "u03", "2026-03-20 10:00", "s1"),
    ("k1", "u07", "2026-03-30 10:00", "s1"),
    ("k1", "u12", "2026-03-30 10:00", "s1"),
    (K, W, "2026-03-31 10:00", "s1"),
    ("k9", "u04", "2026-03-30 10:00", "s2"),
]


async def load(pool: asyncpg.Pool) -> None:
    """Insert the dataset (ids as parameters: they are stored literally)."""
    await pool.executemany(
        "INSERT INTO shops (shop_id, name, industry, tier) VALUES ($1, $2, $3, $4)", SHOPS
    )
    await pool.executemany(
        "INSERT INTO users (user_id, gender, age_band, province, crowd) "
        "VALUES ($1, $2, $3, $4, $5)",
        USERS,
    )
    await pool.executemany("INSERT INTO creators (creator_id, name) VALUES ($1, $2)", CREATORS)
    await pool.executemany(
        "INSERT INTO products (product_id, shop_id, name, category, price) "
        "VALUES ($1, $2, $3, $4, $5)",
        PRODUCTS,
    )
    await pool.executemany(
        "INSERT INTO campaigns (campaign_id, shop_id, channel, name) VALUES ($1, $2, $3, $4)",
        CAMPAIGNS,
    )
    await pool.executemany(
        "INSERT INTO members (shop_id, user_id, joined_at, join_channel, left_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        MEMBERS,
    )
    await pool.executemany(
        "INSERT INTO fans (shop_id, user_id, followed_at, unfollowed_at) VALUES ($1, $2, $3, $4)",
        FANS,
    )
    await pool.executemany(
        "INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount, "
        "paid_at, carrier, traffic_type, creator_id) "
        "VALUES ($1, $2, $3, $4, 1, $5, $6, $7, 'organic', $8)",
        [
            (order, shop, user, product, Decimal(amount), at(paid), carrier, creator)
            for order, shop, user, product, amount, paid, carrier, creator in ORDERS
        ],
    )
    await pool.executemany(
        "INSERT INTO events (event_id, shop_id, user_id, type, occurred_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        [(event, shop, user, kind, at(when)) for event, shop, user, kind, when in EVENTS],
    )
    await pool.executemany(
        "INSERT INTO reach (campaign_id, user_id, sent_at, shop_id) VALUES ($1, $2, $3, $4)",
        [(campaign, user, at(sent), shop) for campaign, user, sent, shop in REACH],
    )


async def matching(
    pool: asyncpg.Pool, rule: dict[str, Any], *, as_of: date = AS_OF, shop: str = SHOP
) -> list[str]:
    """The customers the rule's statement returns, sorted; each must come once."""
    params = Params()
    sql = segment_sql(rule, shop_id=shop, as_of=as_of, zone=ZONE, params=params)
    users = [record["user_id"] for record in await pool.fetch(sql, *params.values)]
    assert len(users) == len(set(users)), users
    return sorted(users)


async def parse(
    pool: asyncpg.Pool, rule: SegmentRuleInput, *, max_depth: int = 8
) -> dict[str, Any]:
    """``parse_rule`` for the main shop."""
    return await parse_rule(pool, SHOP, rule, max_depth=max_depth)

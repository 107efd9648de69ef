"""A small hand-made dataset for segment tests, evaluated as of 2026-06-30 (A; its end is
2026-07-01 00:00 Asia/Shanghai).

Customers of s1 as of A (byte order of ids):

| user  | profile                          | member at A        | fan at A | orders at s1       |
|-------|----------------------------------|--------------------|----------|--------------------|
| u"7,x | 广东 only                        | no                 | yes      | none               |
| u1    | female, 24-30, 浙江, gen_z       | live, QUALITY      | no, left | p1 06-10 100       |
| u2    | male, 31-40, 上海, white collar  | no, left 06-15     | no       | p1 05-10 200,      |
|       |                                  |                    |          | p2 06-20 50        |
| u3    | female, 浙江                     | no                 | yes      | p2 06-25 80        |
| u4    | nothing                          | creator, POTENTIAL | no       | none; visit 06-01  |

u5 is a customer of s2 only; u6 joins s1 on 2026-07-05, after A (a customer today only).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import asyncpg

ZONE = ZoneInfo("Asia/Shanghai")
AS_OF = date(2026, 6, 30)
ODD_USER = 'u"7,x'  # quotes and a comma: legal ids, matched and written literally


def at(day: str, hour: int = 12) -> datetime:
    """Noon (or ``hour``) of a day in the business zone."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=ZONE)


USERS = [
    ("u1", "female", "24-30", "浙江", "gen_z"),
    ("u2", "male", "31-40", "上海", "urban_white_collar"),
    ("u3", "female", None, "浙江", None),
    ("u4", None, None, None, None),
    ("u5", "female", "18-23", "广东", "gen_z"),
    ("u6", "male", None, None, None),
    (ODD_USER, None, None, "广东", None),
]

PRODUCTS = [
    ("p1", "s1", "Dress", "dress", 100),
    ("p2", "s1", "Skirt", "dress", 50),
    ("q1", "s2", "Lipstick", "makeup", 90),
]

ORDERS = [
    ("o1", "s1", "u1", "p1", 100, at("2026-06-10")),
    ("o2", "s1", "u2", "p1", 200, at("2026-05-10")),
    ("o3", "s1", "u2", "p2", 50, at("2026-06-20")),
    ("o4", "s1", "u3", "p2", 80, at("2026-06-25")),
    ("o5", "s2", "u5", "q1", 90, at("2026-06-12")),
]

MEMBERS = [
    ("s1", "u1", at("2026-01-01"), "live", None),
    ("s1", "u2", at("2026-02-01"), "short_video", at("2026-06-15")),
    ("s1", "u4", at("2026-03-01"), "creator", None),
    ("s1", "u6", at("2026-07-05"), "live", None),
]

FANS = [
    ("s1", "u1", at("2026-01-01"), at("2026-05-01")),
    ("s1", "u3", at("2026-03-01"), None),
    ("s1", ODD_USER, at("2026-04-01"), None),
]

EVENTS = [
    ("e1", "s1", "u4", "shop_visit", at("2026-06-01")),
]

# Rules in their GraphQL input form.
P1_BUYERS = {"purchased": {"productIds": ["p1"], "withinDays": 90}}
NOT_FANS = {"fan": {"isFan": False}}
EVERYONE = {"any": [{"fan": {"isFan": True}}, {"fan": {"isFan": False}}]}
FEMALE = {"profile": {"genders": ["female"]}}


async def load_segment_data(db: asyncpg.Pool) -> None:
    """The dataset above, over the ``shops`` fixture's s1, s2 and s3."""
    await db.executemany(
        "INSERT INTO users (user_id, gender, age_band, province, crowd) "
        "VALUES ($1, $2, $3, $4, $5)",
        USERS,
    )
    await db.executemany(
        "INSERT INTO products (product_id, shop_id, name, category, price) "
        "VALUES ($1, $2, $3, $4, $5)",
        PRODUCTS,
    )
    await db.executemany(
        "INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount, paid_at, "
        "carrier, traffic_type) VALUES ($1, $2, $3, $4, 1, $5, $6, 'live', 'organic')",
        ORDERS,
    )
    await db.executemany(
        "INSERT INTO members (shop_id, user_id, joined_at, join_channel, left_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        MEMBERS,
    )
    await db.executemany(
        "INSERT INTO fans (shop_id, user_id, followed_at, unfollowed_at) VALUES ($1, $2, $3, $4)",
        FANS,
    )
    await db.executemany(
        "INSERT INTO events (event_id, shop_id, user_id, type, occurred_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        EVENTS,
    )

"""A hand-made dataset for the members API, placed relative to the moment it is inserted.

``now`` is the fixture's instant (whole seconds); each request reads at a later instant
``at``, within a minute of ``now``, so "one minute inside/outside a window" stays on its
side. Shop ``s1`` is read; ``s2`` holds facts of the same users that must not leak.

Members of ``s1`` (M = member stint, F = follow stint, o = order, e = event; d = days
before ``now``):

| user | latest stint | channel | fan | orders before now | status now |
|---|---|---|---|---|---|
| u-alice | M 400d → | live | F 300d → | o-a1 10d 100.00, o-a2/o-a3 200d 50.50/0.00 | QUALITY |
| u-bob | M 500d → | short_video | F 300d → 100d | o-b1 365d − 1 min 200.00 | QUALITY |
| u-carol | M 500d → | product_card | F 50d → | o-c1 366d 80.00 | POTENTIAL (e 90d − 1 min) |
| u-dave | M 100d → | live | | none | DORMANT (e 91d; an impression 1d is no activity) |
| u-erin | M 30d → (also 600d → 400d, campaign) | creator | | o-e1 450d 80.00 | POTENTIAL (e 5d) |
| u-frank | M 200d → 50d (former) | order_page | | o-f1 100d 30.00 | null |
| u-ivan | M 700d → | campaign | | o-i1 365d + 1 min 5.00 | DORMANT (e 90d + 1 min) |
| u-kim | M 150d → | other | | none | DORMANT |
| QUOTED | M 20d → | shop_page | F only at s2 | o-q1 2d 10.00 | QUALITY |

Also: u-alice has o-a9 (999.00) paid 10 days *after* now and o-s2 (500.00) at ``s2``,
neither counted; u-gina is a member of ``s2`` only; u-hank bought at ``s1`` (o-h1) but
never joined; u-jack's only stint at ``s1`` begins 5 days after now.

Latest-stint join times: QUOTED 20d, u-erin 30d, u-dave 100d, u-kim 150d, u-frank 200d,
u-alice 400d, u-bob and u-carol 500d (a tie), u-ivan 700d.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

SHOP = "s1"
QUOTED = "o'brien\"; drop table x;--"

ALICE, BOB, CAROL, DAVE = "u-alice", "u-bob", "u-carol", "u-dave"
ERIN, FRANK, IVAN, KIM = "u-erin", "u-frank", "u-ivan", "u-kim"
GINA, HANK, JACK = "u-gina", "u-hank", "u-jack"

CURRENT = (ALICE, BOB, CAROL, DAVE, ERIN, IVAN, KIM, QUOTED)

MINUTE = timedelta(minutes=1)

USERS_SQL = """
INSERT INTO users (user_id, gender, age_band, province, crowd)
VALUES ($1, $2, $3, $4, $5)
"""

PRODUCTS_SQL = """
INSERT INTO products (product_id, shop_id, name, category, price)
VALUES
    ('p1', 's1', 'Cotton tee', 'tops', 99.90),
    ('p2', 's2', 'Wool scarf', 'accessories', 59.00)
"""

CREATORS_SQL = """
INSERT INTO creators (creator_id, name)
VALUES ('c1', 'Creator One')
"""

BENEFITS_SQL = """
INSERT INTO benefits (benefit_id, shop_id, kind, name, online_from)
VALUES ('b1', 's1', 'member_coupon', 'Member coupon', '2020-01-01 00:00+08')
"""

MEMBERS_SQL = """
INSERT INTO members (shop_id, user_id, joined_at, join_channel, left_at)
VALUES ($1, $2, $3, $4, $5)
"""

FANS_SQL = """
INSERT INTO fans (shop_id, user_id, followed_at, unfollowed_at)
VALUES ($1, $2, $3, $4)
"""

ORDERS_SQL = """
INSERT INTO orders (
    order_id, shop_id, user_id, product_id, quantity, amount, paid_at, carrier, traffic_type,
    entry, creator_id, benefit_id, refund_amount, refunded_at
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
"""

EVENTS_SQL = """
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at, product_id, benefit_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""


def fixture_now() -> datetime:
    """The fixture's instant, in whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def days(now: datetime, count: float) -> datetime:
    """``count`` days before ``now`` (negative: after)."""
    return now - timedelta(days=count)


async def add_order(
    db: asyncpg.Pool,
    order_id: str,
    user_id: str,
    paid_at: datetime,
    amount: str,
    *,
    shop_id: str = SHOP,
    product_id: str = "p1",
) -> None:
    """A plain live, organic order of one item."""
    await db.execute(
        ORDERS_SQL,
        order_id,
        shop_id,
        user_id,
        product_id,
        1,
        Decimal(amount),
        paid_at,
        "live",
        "organic",
        None,
        None,
        None,
        None,
        None,
    )


async def add_member(
    db: asyncpg.Pool, user_id: str, joined_at: datetime, channel: str = "live"
) -> None:
    """A user with one open stint at ``s1`` and no profile."""
    await db.execute(USERS_SQL, user_id, None, None, None, None)
    await db.execute(MEMBERS_SQL, SHOP, user_id, joined_at, channel, None)


async def insert_members_fixture(db: asyncpg.Pool, now: datetime) -> None:
    """The dataset above; the shops s1–s3 must exist."""
    await db.executemany(
        USERS_SQL,
        [
            (ALICE, "female", "24-30", "浙江", "gen_z"),
            (BOB, "male", "31-40", "广东", "urban_blue_collar"),
            (CAROL, "female", None, "上海", "refined_mom"),
            (DAVE, None, "50+", None, None),
            (ERIN, "female", "18-23", "北京", "small_town_youth"),
            (FRANK, "male", "41-50", "四川", "urban_senior"),
            (IVAN, "male", "24-30", "江苏", "senior_middle_class"),
            (KIM, None, None, "湖北", "small_town_senior"),
            (QUOTED, None, None, None, None),
            (GINA, "female", "31-40", "浙江", "urban_white_collar"),
            (HANK, "male", "18-23", "河南", "gen_z"),
            (JACK, "male", "50+", "广东", None),
        ],
    )
    await db.execute(PRODUCTS_SQL)
    await db.execute(CREATORS_SQL)
    await db.execute(BENEFITS_SQL)
    await db.executemany(
        MEMBERS_SQL,
        [
            (SHOP, ALICE, days(now, 400), "live", None),
            (SHOP, BOB, days(now, 500), "short_video", None),
            (SHOP, CAROL, days(now, 500), "product_card", None),
            (SHOP, DAVE, days(now, 100), "live", None),
            (SHOP, ERIN, days(now, 600), "campaign", days(now, 400)),
            (SHOP, ERIN, days(now, 30), "creator", None),
            (SHOP, FRANK, days(now, 200), "order_page", days(now, 50)),
            (SHOP, IVAN, days(now, 700), "campaign", None),
            (SHOP, KIM, days(now, 150), "other", None),
            (SHOP, QUOTED, days(now, 20), "shop_page", None),
            (SHOP, JACK, days(now, -5), "live", None),
            ("s2", GINA, days(now, 10), "live", None),
            ("s2", QUOTED, days(now, 20), "live", None),
        ],
    )
    await db.executemany(
        FANS_SQL,
        [
            (SHOP, ALICE, days(now, 300), None),
            (SHOP, BOB, days(now, 300), days(now, 100)),
            (SHOP, CAROL, days(now, 50), None),
            ("s2", QUOTED, days(now, 20), None),
        ],
    )
    await db.executemany(
        ORDERS_SQL,
        [
            ("o-a1", SHOP, ALICE, "p1", 2, Decimal("100.00"), days(now, 10), "live",
             "organic", None, "c1", "b1", None, None),
            ("o-a2", SHOP, ALICE, "p1", 1, Decimal("50.50"), days(now, 200), "product_card",
             "paid", "search", None, None, Decimal("10.00"), days(now, 190)),
            ("o-a3", SHOP, ALICE, "p1", 1, Decimal("0.00"), days(now, 200), "short_video",
             "organic", None, None, None, None, None),
        ],
    )  # fmt: skip
    for order_id, user_id, paid_at, amount in (
        ("o-a9", ALICE, days(now, -10), "999.00"),
        ("o-b1", BOB, days(now, 365) + MINUTE, "200.00"),
        ("o-c1", CAROL, days(now, 366), "80.00"),
        ("o-e1", ERIN, days(now, 450), "80.00"),
        ("o-f1", FRANK, days(now, 100), "30.00"),
        ("o-i1", IVAN, days(now, 365) - MINUTE, "5.00"),
        ("o-q1", QUOTED, days(now, 2), "10.00"),
        ("o-h1", HANK, days(now, 3), "60.00"),
    ):
        await add_order(db, order_id, user_id, paid_at, amount)
    await add_order(db, "o-s2", ALICE, days(now, 1), "500.00", shop_id="s2", product_id="p2")
    await db.executemany(
        EVENTS_SQL,
        [
            ("e-c1", SHOP, CAROL, "shop_visit", days(now, 90) + MINUTE, None, None),
            ("e-d1", SHOP, DAVE, "shop_visit", days(now, 91), None, None),
            ("e-d2", SHOP, DAVE, "product_impression", days(now, 1), "p1", None),
            ("e-e1", SHOP, ERIN, "benefit_claim", days(now, 5), None, "b1"),
            ("e-i1", SHOP, IVAN, "live_watch", days(now, 90) - MINUTE, None, None),
            ("e-k1", "s2", KIM, "shop_visit", days(now, 1), None, None),
        ],
    )

"""A small hand-made dataset for checking every metric's value by hand.

Business zone Asia/Shanghai; every timestamp is written with its ``+08`` offset. The main
period is March 2026: P = [2026-03-01 00:00+08, 2026-04-01 00:00+08), so E is
2026-04-01 00:00+08, the 30-day window starts 2026-03-02 00:00, the 90-day window
2026-01-01 00:00 and the 365-day window 2025-04-01 00:00.

Shop ``s1`` is the one read; shop ``s2`` has stints, fans, orders, events, a benefit and a
campaign on the same users and days, and none of them may leak into ``s1``'s figures.

The users at ``s1`` (M = member stint, F = follow stint, o = order, e = event):

- u01: M since 2025-06-01, F since 2025-01-01. o01 before P; o11 (259.90, full refund,
  benefit) and o12 in P. Reached twice (k1 on 03-02, k2 on 03-10): the first send counts.
  Returning card clicker with no card order.
- u02: M 2025-09-10 → 2026-03-15 10:00 (leaves in P). o06 before P, no order in P.
  Reached 03-14 20:00; their shop visit at 03-15 20:00 is exactly 24h later (outside).
  Two card clicks: high potential, lost.
- u03: M 2025-05-01 → 2026-03-05 12:00, rejoins 2026-03-12 09:00. o05 one second before
  P, o17 between the stints (not a member order), o18 in the second stint (benefit,
  exactly 24h after the reach send: a conversion but not a visit).
- u04: M starts at 2026-03-01 00:00 exactly, with o10 (card, benefit) at the same
  instant: a member order. Active on 03-01 only (not in the 30-day window). First order
  at ``s1`` (their earlier order is at ``s2``).
- u05: M starts 2026-03-05 10:00 with o13 (card) at that instant; o21 later.
- u06: M 2025-11-01 → 2026-03-20 18:00 and F 2026-03-01 → 2026-03-20 18:00; o14 (card,
  benefit) at exactly 18:00 is neither a member nor a fan order; o15 is both.
- u07: M 2024-01-01 → 2026-04-01 00:00 (= E, so still a member at E and not a leaver);
  o04 at 2025-04-01 00:00 exactly (first instant of the 365-day window): quality.
  Two product clicks on live and short-video carriers: high potential.
- u08: M since 2025-12-01; only order 2025-02-15; points_interaction at 2026-01-01 00:00
  exactly (first instant of the 90-day window): potential. Card impression and
  add_to_cart in P but no activity and no click.
- u09: M starts at E (not counted). Video watch in P; card impression at 23:59:59 on
  03-31; click and add_to_cart at E (outside).
- u10: M 2026-02-01 → 2026-02-20 (before P). o02 before P (refund in P, not counted),
  o16 (card, partial refund after P, counted) and o22 in P; F from 15:00:01 on 03-12,
  one second after o16. Reached by k3 (cost null).
- u11: not a member of ``s1`` (member of ``s2``). F and o19 (card) at 23:59:59 on 03-31.
- u12: M starts 2026-03-31 23:59:59. Card click and add_to_cart in P; o20 at E, inside
  their reach windows (sent 03-31 12:00).
"""

from __future__ import annotations

import asyncpg

SHOP = "s1"
OTHER_SHOP = "s2"

SHOPS_SQL = """
INSERT INTO shops (shop_id, name, industry, tier)
VALUES
    ('s1', 'Main Shop', 'apparel', 3),
    ('s2', 'Other Shop', 'apparel', 3)
"""

USERS_SQL = """
INSERT INTO users (user_id, gender, age_band, province, crowd)
VALUES
    ('u01', 'female', '24-30', '浙江', 'urban_white_collar'),
    ('u02', 'male', '31-40', '广东', NULL),
    ('u03', 'female', NULL, '上海', 'refined_mom'),
    ('u04', NULL, '18-23', NULL, 'gen_z'),
    ('u05', 'female', '41-50', '北京', 'senior_middle_class'),
    ('u06', 'male', '50+', '四川', 'urban_senior'),
    ('u07', NULL, NULL, NULL, NULL),
    ('u08', 'female', '31-40', '江苏', 'urban_blue_collar'),
    ('u09', 'male', '18-23', '河南', 'small_town_youth'),
    ('u10', 'female', '24-30', '广东', 'gen_z'),
    ('u11', 'male', NULL, '湖北', 'small_town_senior'),
    ('u12', NULL, '31-40', '浙江', NULL)
"""

CREATORS_SQL = """
INSERT INTO creators (creator_id, name)
VALUES
    ('c1', 'Creator One'),
    ('c2', 'Creator Two')
"""

PRODUCTS_SQL = """
INSERT INTO products (product_id, shop_id, name, category, price)
VALUES
    ('p1', 's1', 'Cotton tee', 'tops', 99.90),
    ('p2', 's1', 'Running shoe', 'shoes', 259.90),
    ('q1', 's2', 'Linen shirt', 'tops', 500.00)
"""

# s1's online days in March: b_end covers 03-01..03-07 (it ends at 03-08 00:00), b_on
# 03-20..03-31, b_mid lies inside b_on; b_old ends at 03-01 00:00 and b_late starts in
# April, so neither touches March. s2's bx2 (03-10..03-14) belongs to the other shop.
BENEFITS_SQL = """
INSERT INTO benefits (benefit_id, shop_id, kind, name, online_from, online_to)
VALUES
    ('b_old', 's1', 'new_member_gift', 'Welcome gift',
        '2026-01-01 10:00+08', '2026-03-01 00:00+08'),
    ('b_end', 's1', 'member_coupon', 'March coupon',
        '2026-02-01 10:00+08', '2026-03-08 00:00+08'),
    ('b_on', 's1', 'member_discount', 'Member discount', '2026-03-20 15:00+08', NULL),
    ('b_mid', 's1', 'member_price', 'Member price week',
        '2026-03-25 00:00+08', '2026-03-28 00:00+08'),
    ('b_late', 's1', 'priority_purchase', 'April preview', '2026-04-05 00:00+08', NULL),
    ('bx2', 's2', 'points_exchange', 'Points mall',
        '2026-03-10 00:00+08', '2026-03-15 00:00+08')
"""

CAMPAIGNS_SQL = """
INSERT INTO campaigns (campaign_id, shop_id, channel, name, cost)
VALUES
    ('k1', 's1', 'sms', 'March SMS', 100.00),
    ('k2', 's1', 'push', 'March push', 50.50),
    ('k3', 's1', 'private_message', 'Follow-up messages', NULL),
    ('k4', 's1', 'super_sms', 'Edge sends', 40.00),
    ('k9', 's2', 'sms', 'Other shop SMS', 999.00)
"""

# k4's two sends are one second before P and exactly at E: it has no send in March.
REACH_SQL = """
INSERT INTO reach (campaign_id, user_id, sent_at, shop_id)
VALUES
    ('k1', 'u01', '2026-03-02 09:00+08', 's1'),
    ('k2', 'u01', '2026-03-10 09:00+08', 's1'),
    ('k1', 'u02', '2026-03-14 20:00+08', 's1'),
    ('k2', 'u03', '2026-03-24 10:00+08', 's1'),
    ('k3', 'u10', '2026-03-11 10:00+08', 's1'),
    ('k1', 'u12', '2026-03-31 12:00+08', 's1'),
    ('k4', 'u06', '2026-02-28 23:59:59+08', 's1'),
    ('k4', 'u09', '2026-04-01 00:00:00+08', 's1'),
    ('k9', 'u04', '2026-03-05 10:00+08', 's2'),
    ('k9', 'u05', '2026-03-04 10:00+08', 's2')
"""

MEMBERS_SQL = """
INSERT INTO members (shop_id, user_id, joined_at, join_channel, left_at)
VALUES
    ('s1', 'u01', '2025-06-01 10:00+08', 'live', NULL),
    ('s1', 'u02', '2025-09-10 10:00+08', 'shop_page', '2026-03-15 10:00+08'),
    ('s1', 'u03', '2025-05-01 10:00+08', 'live', '2026-03-05 12:00+08'),
    ('s1', 'u03', '2026-03-12 09:00+08', 'campaign', NULL),
    ('s1', 'u04', '2026-03-01 00:00:00+08', 'product_card', NULL),
    ('s1', 'u05', '2026-03-05 10:00+08', 'order_page', NULL),
    ('s1', 'u06', '2025-11-01 10:00+08', 'creator', '2026-03-20 18:00+08'),
    ('s1', 'u07', '2024-01-01 10:00+08', 'short_video', '2026-04-01 00:00:00+08'),
    ('s1', 'u08', '2025-12-01 10:00+08', 'other', NULL),
    ('s1', 'u09', '2026-04-01 00:00:00+08', 'live', NULL),
    ('s1', 'u10', '2026-02-01 10:00+08', 'shop_page', '2026-02-20 10:00+08'),
    ('s1', 'u12', '2026-03-31 23:59:59+08', 'campaign', NULL),
    ('s2', 'u11', '2026-03-03 10:00+08', 'live', NULL),
    ('s2', 'u12', '2025-10-01 10:00+08', 'live', '2026-03-25 10:00+08'),
    ('s2', 'u06', '2026-03-20 18:00+08', 'shop_page', NULL)
"""

FANS_SQL = """
INSERT INTO fans (shop_id, user_id, followed_at, unfollowed_at)
VALUES
    ('s1', 'u01', '2025-01-01 10:00+08', NULL),
    ('s1', 'u03', '2025-06-01 10:00+08', '2026-01-01 10:00+08'),
    ('s1', 'u06', '2026-03-01 00:00+08', '2026-03-20 18:00+08'),
    ('s1', 'u10', '2026-03-12 15:00:01+08', NULL),
    ('s1', 'u11', '2026-03-31 23:59:59+08', NULL),
    ('s2', 'u04', '2025-01-01 10:00+08', NULL),
    ('s2', 'u06', '2026-03-20 18:00+08', NULL)
"""

# Each order spans two lines: who, what, how much and when; then carrier, traffic type,
# entry, creator, benefit, refund amount and refund time.
ORDERS_SQL = """
INSERT INTO orders (
    order_id, shop_id, user_id, product_id, quantity, amount, paid_at,
    carrier, traffic_type, entry, creator_id, benefit_id, refund_amount, refunded_at
)
VALUES
    ('o01', 's1', 'u01', 'p1', 1, 120.00, '2025-12-20 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o02', 's1', 'u10', 'p2', 1, 200.00, '2026-02-10 10:00+08',
        'product_card', 'paid', 'search', NULL, NULL, 50.00, '2026-03-03 10:00+08'),
    ('o03', 's1', 'u08', 'p1', 1, 80.00, '2025-02-15 10:00+08',
        'short_video', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o04', 's1', 'u07', 'p1', 1, 90.00, '2025-04-01 00:00:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o05', 's1', 'u03', 'p1', 1, 60.00, '2026-02-28 23:59:59+08',
        'product_card', 'organic', 'feed', NULL, NULL, NULL, NULL),
    ('o06', 's1', 'u02', 'p2', 1, 66.00, '2025-10-10 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o07', 's1', 'u06', 'p1', 1, 35.00, '2025-11-15 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o10', 's1', 'u04', 'p1', 1, 99.90, '2026-03-01 00:00:00+08',
        'product_card', 'organic', 'search', NULL, 'b_end', NULL, NULL),
    ('o11', 's1', 'u01', 'p2', 1, 259.90, '2026-03-03 14:00+08',
        'live', 'organic', NULL, 'c1', 'b_end', 259.90, '2026-03-06 10:00+08'),
    ('o12', 's1', 'u01', 'p1', 1, 100.00, '2026-03-22 20:00+08',
        'short_video', 'paid', NULL, NULL, NULL, NULL, NULL),
    ('o13', 's1', 'u05', 'p1', 2, 150.00, '2026-03-05 10:00+08',
        'product_card', 'paid', 'feed', NULL, NULL, NULL, NULL),
    ('o14', 's1', 'u06', 'p2', 1, 300.00, '2026-03-20 18:00+08',
        'product_card', 'organic', 'shop_page', NULL, 'b_on', NULL, NULL),
    ('o15', 's1', 'u06', 'p1', 1, 50.00, '2026-03-10 11:00+08',
        'live', 'organic', NULL, 'c2', NULL, NULL, NULL),
    ('o16', 's1', 'u10', 'p2', 1, 80.00, '2026-03-12 15:00:00+08',
        'product_card', 'paid', 'search', NULL, NULL, 30.00, '2026-04-05 10:00+08'),
    ('o17', 's1', 'u03', 'p1', 1, 70.00, '2026-03-08 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o18', 's1', 'u03', 'p2', 1, 130.00, '2026-03-25 10:00+08',
        'short_video', 'organic', NULL, 'c1', 'b_on', NULL, NULL),
    ('o19', 's1', 'u11', 'p1', 1, 45.50, '2026-03-31 23:59:59+08',
        'product_card', 'organic', 'cart', NULL, NULL, NULL, NULL),
    ('o20', 's1', 'u12', 'p1', 1, 88.00, '2026-04-01 00:00:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('o21', 's1', 'u05', 'p2', 1, 200.00, '2026-03-28 09:00+08',
        'live', 'paid', NULL, NULL, NULL, NULL, NULL),
    ('o22', 's1', 'u10', 'p1', 1, 20.00, '2026-03-17 10:00+08',
        'short_video', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('x1', 's2', 'u01', 'q1', 1, 500.00, '2026-03-10 10:00+08',
        'product_card', 'organic', 'search', NULL, NULL, NULL, NULL),
    ('x2', 's2', 'u07', 'q1', 1, 77.00, '2026-03-15 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('x3', 's2', 'u09', 'q1', 1, 33.00, '2026-03-31 23:00+08',
        'product_card', 'paid', 'search', NULL, NULL, NULL, NULL),
    ('x4', 's2', 'u04', 'q1', 1, 40.00, '2026-02-15 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('x5', 's2', 'u12', 'q1', 1, 60.00, '2026-03-20 10:00+08',
        'live', 'organic', NULL, NULL, 'bx2', NULL, NULL),
    ('x6', 's2', 'u02', 'q1', 1, 25.00, '2026-03-16 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL),
    ('x7', 's2', 'u08', 'q1', 1, 10.00, '2025-06-01 10:00+08',
        'live', 'organic', NULL, NULL, NULL, NULL, NULL)
"""

# Events without a product: visits, watches, claims, points.
PLAIN_EVENTS_SQL = """
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at, benefit_id)
VALUES
    ('e01', 's1', 'u01', 'benefit_claim', '2026-03-02 10:00+08', 'b_end'),
    ('e02', 's1', 'u01', 'benefit_claim', '2026-03-21 10:00+08', 'b_on'),
    ('e05', 's1', 'u02', 'benefit_claim', '2026-02-27 10:00+08', 'b_end'),
    ('e09', 's1', 'u02', 'shop_visit', '2026-03-15 20:00+08', NULL),
    ('e16', 's1', 'u04', 'shop_visit', '2026-03-01 12:00+08', NULL),
    ('e17', 's1', 'u05', 'live_watch', '2026-03-05 09:40+08', NULL),
    ('e26', 's1', 'u07', 'benefit_claim', '2026-03-25 10:00+08', 'b_on'),
    ('e27', 's1', 'u08', 'shop_visit', '2025-12-31 23:59:59+08', NULL),
    ('e28', 's1', 'u08', 'points_interaction', '2026-01-01 00:00:00+08', NULL),
    ('e31', 's1', 'u09', 'video_watch', '2026-03-10 20:00+08', NULL),
    ('e35', 's1', 'u10', 'shop_visit', '2026-03-11 22:00+08', NULL),
    ('e43', 's1', 'u01', 'video_watch', '2026-03-06 21:00+08', NULL),
    ('e44', 's1', 'u05', 'points_interaction', '2026-03-29 10:00+08', NULL),
    ('y1', 's2', 'u02', 'shop_visit', '2026-03-15 09:00+08', NULL),
    ('y2', 's2', 'u08', 'shop_visit', '2026-03-10 10:00+08', NULL),
    ('y3', 's2', 'u12', 'shop_visit', '2026-03-20 10:00+08', NULL),
    ('y4', 's2', 'u03', 'benefit_claim', '2026-03-12 10:00+08', 'bx2')
"""

# Events on a product: impressions, clicks and add-to-cart, with carrier and entry.
PRODUCT_EVENTS_SQL = """
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at, product_id, carrier, entry)
VALUES
    ('e03', 's1', 'u01', 'product_impression', '2026-03-04 09:59+08',
        'p1', 'product_card', 'search'),
    ('e04', 's1', 'u01', 'product_click', '2026-03-04 10:00+08',
        'p1', 'product_card', 'search'),
    ('e06', 's1', 'u02', 'product_impression', '2026-03-14 11:00+08',
        'p2', 'product_card', 'showcase'),
    ('e07', 's1', 'u02', 'product_click', '2026-03-14 11:01+08',
        'p2', 'product_card', 'showcase'),
    ('e08', 's1', 'u02', 'product_click', '2026-03-14 11:05+08',
        'p2', 'product_card', 'showcase'),
    ('e10', 's1', 'u03', 'product_impression', '2026-02-28 23:59:59+08',
        'p1', 'product_card', 'feed'),
    ('e11', 's1', 'u03', 'product_impression', '2026-03-01 00:00:00+08',
        'p1', 'product_card', 'feed'),
    ('e12', 's1', 'u03', 'product_click', '2026-03-01 00:00:30+08',
        'p1', 'product_card', 'feed'),
    ('e13', 's1', 'u04', 'product_click', '2026-02-28 23:59:59+08',
        'p1', 'product_card', 'search'),
    ('e14', 's1', 'u04', 'product_impression', '2026-03-01 00:00:00+08',
        'p1', 'product_card', 'search'),
    ('e15', 's1', 'u04', 'product_click', '2026-03-01 00:00:00+08',
        'p1', 'product_card', 'search'),
    ('e18', 's1', 'u05', 'product_impression', '2026-03-05 09:50+08',
        'p1', 'product_card', 'feed'),
    ('e19', 's1', 'u05', 'product_click', '2026-03-05 09:55+08',
        'p1', 'product_card', 'feed'),
    ('e20', 's1', 'u05', 'product_click', '2026-03-05 09:58+08',
        'p1', 'product_card', 'feed'),
    ('e21', 's1', 'u06', 'product_impression', '2026-03-20 17:00+08',
        'p2', 'product_card', 'shop_page'),
    ('e22', 's1', 'u06', 'product_click', '2026-03-20 17:30+08',
        'p2', 'product_card', 'shop_page'),
    ('e23', 's1', 'u07', 'product_impression', '2026-03-18 10:00+08',
        'p1', 'product_card', 'other'),
    ('e24', 's1', 'u07', 'product_click', '2026-03-18 10:05+08', 'p1', 'live', NULL),
    ('e25', 's1', 'u07', 'product_click', '2026-03-19 10:05+08', 'p2', 'short_video', NULL),
    ('e29', 's1', 'u08', 'product_impression', '2026-03-19 10:00+08',
        'p2', 'product_card', 'feed'),
    ('e30', 's1', 'u08', 'add_to_cart', '2026-03-19 10:01+08', 'p2', NULL, NULL),
    ('e32', 's1', 'u09', 'product_impression', '2026-03-31 23:59:59+08',
        'p1', 'product_card', 'search'),
    ('e33', 's1', 'u09', 'product_click', '2026-04-01 00:00:00+08',
        'p1', 'product_card', 'search'),
    ('e34', 's1', 'u09', 'add_to_cart', '2026-04-01 00:00:00+08', 'p1', NULL, NULL),
    ('e36', 's1', 'u10', 'product_impression', '2026-03-12 13:50+08',
        'p2', 'product_card', 'search'),
    ('e37', 's1', 'u10', 'product_click', '2026-03-12 14:00+08',
        'p2', 'product_card', 'search'),
    ('e38', 's1', 'u10', 'add_to_cart', '2026-03-12 14:30+08',
        'p2', 'product_card', 'search'),
    ('e39', 's1', 'u11', 'product_impression', '2026-03-31 23:58:00+08',
        'p1', 'product_card', 'cart'),
    ('e40', 's1', 'u11', 'product_click', '2026-03-31 23:59:00+08',
        'p1', 'product_card', 'cart'),
    ('e41', 's1', 'u12', 'product_click', '2026-03-15 15:00+08',
        'p1', 'product_card', 'feed'),
    ('e42', 's1', 'u12', 'add_to_cart', '2026-03-15 15:01+08', 'p1', 'live', NULL),
    ('y5', 's2', 'u09', 'product_click', '2026-03-11 10:00+08', 'q1', 'live', NULL),
    ('y6', 's2', 'u09', 'product_click', '2026-03-11 10:05+08', 'q1', 'live', NULL),
    ('y7', 's2', 'u07', 'product_click', '2026-03-11 11:00+08',
        'q1', 'product_card', 'search'),
    ('y8', 's2', 'u08', 'product_click', '2026-03-12 11:00+08',
        'q1', 'product_card', 'feed'),
    ('y9', 's2', 'u12', 'product_impression', '2026-03-12 10:59+08',
        'q1', 'product_card', 'feed')
"""

FIXTURE_SQL = (
    SHOPS_SQL,
    USERS_SQL,
    CREATORS_SQL,
    PRODUCTS_SQL,
    BENEFITS_SQL,
    CAMPAIGNS_SQL,
    REACH_SQL,
    MEMBERS_SQL,
    FANS_SQL,
    ORDERS_SQL,
    PLAIN_EVENTS_SQL,
    PRODUCT_EVENTS_SQL,
)


async def insert_fixture(pool: asyncpg.Pool) -> None:
    """Insert the dataset above into an empty database, in one transaction."""
    async with pool.acquire() as connection, connection.transaction():
        for statement in FIXTURE_SQL:
            await connection.execute(statement)

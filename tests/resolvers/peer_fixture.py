"""Shops of one industry in two tiers, for comparisons with other periods and with peers.

Business zone Asia/Shanghai; every timestamp is written with its ``+08`` offset. The main
period is May 2026: P = [2026-05-01 00:00, 2026-06-01 00:00). Every order is bought by
the one user ``u1``, so at each shop buyers = 1 and AOV = GMV whenever there is an order.

Shops and their single order in P (amount, refund; refund rate = refund / amount):

- ``apparel`` tier 3: ``a0`` (the shop read) 200.00, 20.00 (0.1); ``a1`` 120.00, none
  (0); ``a2`` 200.00, 30.00 (0.15); ``a3`` 260.00, 52.00 (0.2); ``a4`` 310.00, 31.00
  (0.1); ``a5`` 430.00, 172.00 (0.4); ``a6`` no order in P (GMV 0, refund rate and AOV
  null): its orders are one second before P and at P's end.
- ``apparel`` tier 5: ``c0`` 100.00, 10.00 (0.1); ``c1`` 40.00, none (0); ``c2`` 80.00,
  20.00 (0.25); ``c3`` 60.00, 6.00 (0.1); ``c4`` 80.00, 16.00 (0.2); ``c5`` no order.
- ``beauty`` tier 3: ``x1`` 10000.00, none; ``x2`` 9000.00, 9000.00; ``x3`` 5.00, 5.00.
  Another industry: never a peer of ``a0`` or ``c0``.

``a0`` also has orders around the comparison periods (``h*``, ``f*``), all outside P:

- P's previous period, the 31 days 2026-03-31 .. 2026-04-30: h2 160.00 (refund 40.00) at
  its first instant and h3 90.00 at its last second; h1 one second before it.
- P a year earlier, 2025-05-01 .. 2025-05-31: h5 100.00 (refund 5.00) at its first
  instant; h4 one second before, h6 at its end. h7 is at P's own end.
- Around the leap day: f5 120.00 (refund 12.00) on 2028-02-29 00:00. A year earlier:
  f2 30.00 at 2027-02-28 00:00 and f3 50.00 at 2027-03-01 23:59:59; f1 one second before
  2027-02-28 and f4 at 2027-03-02 00:00. Nothing on 2028-02-27 or 02-28.
"""

from __future__ import annotations

import asyncpg

SHOP = "a0"
TIER_SHOP = "c0"
OTHER_SHOPS = (
    *(f"a{n}" for n in range(1, 7)),
    *(f"c{n}" for n in range(6)),
    "x1",
    "x2",
    "x3",
)

SHOPS_SQL = """
INSERT INTO shops (shop_id, name, industry, tier)
VALUES
    ('a0', 'Main Shop', 'apparel', 3),
    ('a1', 'Peer 1', 'apparel', 3),
    ('a2', 'Peer 2', 'apparel', 3),
    ('a3', 'Peer 3', 'apparel', 3),
    ('a4', 'Peer 4', 'apparel', 3),
    ('a5', 'Peer 5', 'apparel', 3),
    ('a6', 'Peer 6', 'apparel', 3),
    ('c0', 'Tier Five', 'apparel', 5),
    ('c1', 'Tier Five 1', 'apparel', 5),
    ('c2', 'Tier Five 2', 'apparel', 5),
    ('c3', 'Tier Five 3', 'apparel', 5),
    ('c4', 'Tier Five 4', 'apparel', 5),
    ('c5', 'Tier Five 5', 'apparel', 5),
    ('x1', 'Beauty 1', 'beauty', 3),
    ('x2', 'Beauty 2', 'beauty', 3),
    ('x3', 'Beauty 3', 'beauty', 3)
"""

USERS_SQL = """
INSERT INTO users (user_id)
VALUES ('u1')
"""

PRODUCTS_SQL = """
INSERT INTO products (product_id, shop_id, name, category, price)
SELECT 'p-' || shop_id, shop_id, 'Tee', 'tops', 99.00
FROM shops
"""

ORDERS_SQL = """
INSERT INTO orders (
    order_id, shop_id, user_id, product_id, quantity, amount, paid_at,
    carrier, traffic_type, refund_amount
)
SELECT o.order_id, o.shop_id, 'u1', 'p-' || o.shop_id, 1, o.amount, o.paid_at::timestamptz,
    'live', 'organic', o.refund
FROM (
    VALUES
        ('a0', 'p0', 200.00, '2026-05-01 00:00+08', 20.00),
        ('a1', 'p1', 120.00, '2026-05-03 10:00+08', NULL),
        ('a2', 'p2', 200.00, '2026-05-10 10:00+08', 30.00),
        ('a3', 'p3', 260.00, '2026-05-15 10:00+08', 52.00),
        ('a4', 'p4', 310.00, '2026-05-20 10:00+08', 31.00),
        ('a5', 'p5', 430.00, '2026-05-31 23:59:59+08', 172.00),
        ('a6', 'p6a', 999.00, '2026-04-30 23:59:59+08', NULL),
        ('a6', 'p6b', 999.00, '2026-06-01 00:00+08', NULL),
        ('c0', 'q0', 100.00, '2026-05-05 10:00+08', 10.00),
        ('c1', 'q1', 40.00, '2026-05-06 10:00+08', NULL),
        ('c2', 'q2', 80.00, '2026-05-07 10:00+08', 20.00),
        ('c3', 'q3', 60.00, '2026-05-08 10:00+08', 6.00),
        ('c4', 'q4', 80.00, '2026-05-09 10:00+08', 16.00),
        ('x1', 'y1', 10000.00, '2026-05-11 10:00+08', NULL),
        ('x2', 'y2', 9000.00, '2026-05-12 10:00+08', 9000.00),
        ('x3', 'y3', 5.00, '2026-05-13 10:00+08', 5.00),
        ('a0', 'h1', 1000.00, '2026-03-30 23:59:59+08', NULL),
        ('a0', 'h2', 160.00, '2026-03-31 00:00+08', 40.00),
        ('a0', 'h3', 90.00, '2026-04-30 23:59:59+08', NULL),
        ('a0', 'h4', 1000.00, '2025-04-30 23:59:59+08', NULL),
        ('a0', 'h5', 100.00, '2025-05-01 00:00+08', 5.00),
        ('a0', 'h6', 1000.00, '2025-06-01 00:00+08', NULL),
        ('a0', 'h7', 1000.00, '2026-06-01 00:00+08', NULL),
        ('a0', 'f1', 1000.00, '2027-02-27 23:59:59+08', NULL),
        ('a0', 'f2', 30.00, '2027-02-28 00:00+08', NULL),
        ('a0', 'f3', 50.00, '2027-03-01 23:59:59+08', NULL),
        ('a0', 'f4', 1000.00, '2027-03-02 00:00+08', NULL),
        ('a0', 'f5', 120.00, '2028-02-29 00:00+08', 12.00)
) AS o(shop_id, order_id, amount, paid_at, refund)
"""

FIXTURE_SQL = (SHOPS_SQL, USERS_SQL, PRODUCTS_SQL, ORDERS_SQL)


async def insert_fixture(pool: asyncpg.Pool) -> None:
    """Insert the dataset above into an empty database, in one transaction."""
    async with pool.acquire() as connection, connection.transaction():
        for statement in FIXTURE_SQL:
            await connection.execute(statement)

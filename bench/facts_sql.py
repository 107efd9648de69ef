"""Set-based statements that generate the orders and events, the bulk of the data.

Customers, salts and timestamps work as in ``bench/entities_sql.py``. Rows are written in
time order, as daily loads would leave them on disk.
"""

from __future__ import annotations

from typing import Final

# $1 users, $2 creators, $3 time zone, $4 end instant, $5 entries.
ORDERS_SQL: Final = """
INSERT INTO orders (
    order_id, shop_id, user_id, product_id, quantity, amount, paid_at, carrier,
    traffic_type, entry, creator_id, benefit_id, refund_amount, refunded_at
)
SELECT
    'o' || o.n,
    o.shop_id,
    'u' || ((o.base + o.k * 7919) % $1::bigint),
    'p' || o.product_idx,
    o.quantity,
    o.amount,
    o.paid_at,
    o.carrier,
    CASE WHEN pg_temp.rnd(o.n, 708) < o.paid_share THEN 'paid' ELSE 'organic' END,
    CASE
        WHEN o.carrier = 'product_card'
        THEN ($5::text[])[1 + floor(pg_temp.rnd(o.n, 709) * cardinality($5::text[]))::integer]
    END,
    CASE
        WHEN o.carrier <> 'product_card' AND pg_temp.rnd(o.n, 710) < 0.35
        THEN 'cr' || floor(pg_temp.rnd(o.n, 711) * $2::integer)::integer
    END,
    CASE
        WHEN o.k < o.members AND pg_temp.rnd(o.n, 712) < 0.25
        THEN 'bn' || (o.benefit_lo + floor(pg_temp.rnd(o.n, 713) * o.benefits)::integer)
    END,
    CASE
        WHEN o.refunded AND pg_temp.rnd(o.n, 715) < 0.6 THEN o.amount
        WHEN o.refunded THEN round(o.amount * pg_temp.rnd(o.n, 716)::numeric, 2)
    END,
    CASE
        WHEN o.refunded
        THEN date_trunc(
            'second',
            least(
                o.paid_at + (0.1 + pg_temp.rnd(o.n, 717) * 9) * interval '1 day',
                $4::timestamptz - interval '1 second'
            )
        )
    END
FROM (
    SELECT
        g.n,
        s.shop_id,
        s.base,
        s.members,
        s.benefit_lo,
        s.benefits,
        s.paid_share,
        x.k,
        p.idx AS product_idx,
        x.quantity,
        round(p.price * x.quantity * (0.75 + 0.25 * pg_temp.rnd(g.n, 705))::numeric, 2)
            AS amount,
        (d.day + (h.hour * 3600 + floor(pg_temp.rnd(g.n, 706) * 3600)) * interval '1 second')
            AT TIME ZONE $3::text AS paid_at,
        CASE
            WHEN x.carrier < s.live_share THEN 'live'
            WHEN x.carrier < s.live_share + s.video_share THEN 'short_video'
            ELSE 'product_card'
        END AS carrier,
        pg_temp.rnd(g.n, 714) < 0.08 AS refunded
    FROM bench_shop AS s
    CROSS JOIN LATERAL generate_series(s.order_lo, s.order_hi - 1) AS g(n)
    CROSS JOIN LATERAL (
        SELECT
            floor(s.customers * pg_temp.rnd(g.n, 701) ^ 1.6)::bigint AS k,
            s.product_lo + floor(s.products * pg_temp.rnd(g.n, 702) ^ 2)::integer AS product,
            floor(pg_temp.rnd(g.n, 703) * 10000)::integer AS day_slot,
            floor(pg_temp.rnd(g.n, 704) * 1000)::integer AS hour_slot,
            CASE
                WHEN pg_temp.rnd(g.n, 707) < 0.80 THEN 1
                WHEN pg_temp.rnd(g.n, 707) < 0.95 THEN 2
                ELSE 3
            END AS quantity,
            pg_temp.rnd(g.n, 718) AS carrier
    ) AS x
    JOIN bench_product AS p ON p.idx = x.product
    JOIN bench_day AS d ON d.slot = x.day_slot
    JOIN bench_hour AS h ON h.slot = x.hour_slot
) AS o
ORDER BY o.paid_at
"""

# $1 users, $2 time zone, $3 entries.
EVENTS_SQL: Final = """
INSERT INTO events (
    event_id, shop_id, user_id, type, occurred_at, product_id, carrier, entry, benefit_id
)
SELECT
    'e' || e.n,
    e.shop_id,
    'u' || ((e.base + e.k * 7919) % $1::bigint),
    e.type,
    e.occurred_at,
    CASE
        WHEN e.type IN ('product_impression', 'product_click', 'add_to_cart')
        THEN 'p' || (e.product_lo + floor(e.products * pg_temp.rnd(e.n, 805) ^ 2)::integer)
    END,
    CASE WHEN e.type IN ('product_impression', 'product_click') THEN e.carrier END,
    CASE
        WHEN e.type IN ('product_impression', 'product_click') AND e.carrier = 'product_card'
        THEN ($3::text[])[1 + floor(pg_temp.rnd(e.n, 806) * cardinality($3::text[]))::integer]
    END,
    CASE
        WHEN e.type = 'benefit_claim'
        THEN 'bn' || (e.benefit_lo + floor(pg_temp.rnd(e.n, 807) * e.benefits)::integer)
    END
FROM (
    SELECT
        g.n,
        s.shop_id,
        s.base,
        s.product_lo,
        s.products,
        s.benefit_lo,
        s.benefits,
        x.k,
        CASE
            WHEN x.kind < 0.38 THEN 'product_impression'
            WHEN x.kind < 0.54 THEN 'product_click'
            WHEN x.kind < 0.70 THEN 'shop_visit'
            WHEN x.kind < 0.81 THEN 'live_watch'
            WHEN x.kind < 0.90 THEN 'video_watch'
            WHEN x.kind < 0.95 THEN 'add_to_cart'
            WHEN x.kind < 0.975 THEN 'benefit_claim'
            ELSE 'points_interaction'
        END AS type,
        CASE
            WHEN x.carrier < s.live_share * 0.8 THEN 'live'
            WHEN x.carrier < (s.live_share + s.video_share) * 0.8 THEN 'short_video'
            ELSE 'product_card'
        END AS carrier,
        (d.day + (h.hour * 3600 + floor(pg_temp.rnd(g.n, 804) * 3600)) * interval '1 second')
            AT TIME ZONE $2::text AS occurred_at
    FROM bench_shop AS s
    CROSS JOIN LATERAL generate_series(s.event_lo, s.event_hi - 1) AS g(n)
    CROSS JOIN LATERAL (
        SELECT
            floor(s.browsers * pg_temp.rnd(g.n, 801) ^ 1.4)::bigint AS k,
            pg_temp.rnd(g.n, 802) AS kind,
            pg_temp.rnd(g.n, 803) AS carrier,
            floor(pg_temp.rnd(g.n, 808) * 10000)::integer AS day_slot,
            floor(pg_temp.rnd(g.n, 809) * 1000)::integer AS hour_slot
    ) AS x
    JOIN bench_day AS d ON d.slot = x.day_slot
    JOIN bench_hour AS h ON h.slot = x.hour_slot
) AS e
ORDER BY e.occurred_at
"""

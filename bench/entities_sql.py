"""Set-based statements that generate users, the catalogue, outreach and stints.

Every random choice is ``pg_temp.rnd(row number, salt)``; each purpose has its own salt.
A shop's customer k is user ``(base + k * 7919) mod users``: distinct for distinct k, so a
shop's members, fans and campaign recipients are distinct users, while the customers of
different shops overlap at random (users are shared across shops). Lower k buy and visit
more often, and customers below ``members`` are the shop's members: members are its most
loyal buyers. Timestamps are whole seconds of business-zone wall time. Sends are written in
time order, as daily loads would leave them on disk.
"""

from __future__ import annotations

from typing import Final

# $1 users, $2 provinces, $3 crowds.
USERS_SQL: Final = """
INSERT INTO users (user_id, gender, age_band, province, crowd)
SELECT
    'u' || n,
    CASE
        WHEN r.gender < 0.58 THEN 'female'
        WHEN r.gender < 0.95 THEN 'male'
    END,
    CASE
        WHEN r.age < 0.04 THEN NULL
        WHEN r.age < 0.22 THEN '18-23'
        WHEN r.age < 0.52 THEN '24-30'
        WHEN r.age < 0.78 THEN '31-40'
        WHEN r.age < 0.92 THEN '41-50'
        ELSE '50+'
    END,
    CASE
        WHEN r.province >= 0.05
        THEN ($2::text[])[1 + floor(r.province2 * cardinality($2::text[]))::integer]
    END,
    CASE
        WHEN r.crowd >= 0.07
        THEN ($3::text[])[1 + floor(r.crowd2 * cardinality($3::text[]))::integer]
    END
FROM generate_series(0, $1::bigint - 1) AS n
CROSS JOIN LATERAL (
    SELECT
        pg_temp.rnd(n, 101) AS gender,
        pg_temp.rnd(n, 102) AS age,
        pg_temp.rnd(n, 103) AS province,
        pg_temp.rnd(n, 104) ^ 1.5 AS province2,
        pg_temp.rnd(n, 105) AS crowd,
        pg_temp.rnd(n, 106) AS crowd2
) AS r
"""

# $1 creators.
CREATORS_SQL: Final = """
INSERT INTO creators (creator_id, name)
SELECT 'cr' || n, '达人' || n
FROM generate_series(0, $1::integer - 1) AS n
"""

# A temporary catalogue of every product with its price, joined by the order statement.
# $1 the first instant of the window.
PRODUCT_PLAN_SQL: Final = """
CREATE TEMP TABLE bench_product AS
SELECT
    x.idx,
    s.shop_id,
    s.categories[x.category] AS category,
    round((s.prices[x.category] * (0.4 + 1.6 * x.spread ^ 2))::numeric, 0) - 0.10 AS price,
    date_trunc('second', $1::timestamptz - x.age * interval '500 days') AS listed_at
FROM bench_shop AS s
CROSS JOIN LATERAL generate_series(0, s.products - 1) AS j
CROSS JOIN LATERAL (
    SELECT
        s.product_lo + j AS idx,
        1 + floor(pg_temp.rnd(s.product_lo + j, 201) * cardinality(s.categories))::integer
            AS category,
        pg_temp.rnd(s.product_lo + j, 202) AS spread,
        pg_temp.rnd(s.product_lo + j, 203) AS age
) AS x
"""

PRODUCT_PLAN_KEY_SQL: Final = """
ALTER TABLE bench_product ADD PRIMARY KEY (idx);
ANALYZE bench_product;
"""

PRODUCTS_SQL: Final = """
INSERT INTO products (product_id, shop_id, name, category, price, listed_at)
SELECT 'p' || idx, shop_id, category || ' #' || idx, category, price, listed_at
FROM bench_product
ORDER BY idx
"""

# The first benefit of each shop is a new-member gift online throughout; the others come
# and go. $1 first instant of the window, $2 days, $3 benefit kinds.
BENEFITS_SQL: Final = """
INSERT INTO benefits (benefit_id, shop_id, kind, name, online_from, online_to)
SELECT
    'bn' || x.idx,
    s.shop_id,
    x.kind,
    x.kind || ' #' || (b + 1),
    x.online_from,
    CASE
        WHEN b > 0 AND pg_temp.rnd(x.idx, 304) >= 0.4
        THEN x.online_from + (7 + floor(pg_temp.rnd(x.idx, 305) * 90)) * interval '1 day'
    END
FROM bench_shop AS s
CROSS JOIN LATERAL generate_series(0, s.benefits - 1) AS b
CROSS JOIN LATERAL (
    SELECT
        s.benefit_lo + b AS idx,
        CASE
            WHEN b = 0 THEN 'new_member_gift'
            ELSE ($3::text[])[
                1 + floor(pg_temp.rnd(s.benefit_lo + b, 301) * cardinality($3::text[]))::integer
            ]
        END AS kind,
        CASE
            WHEN b = 0 THEN $1::timestamptz - interval '60 days'
            ELSE $1::timestamptz
                + floor(pg_temp.rnd(s.benefit_lo + b, 302) * $2::integer) * interval '1 day'
                + interval '10 hours'
        END AS online_from
) AS x
"""

# Campaigns are spread evenly over the window (about one a fortnight for a small shop, one
# every few days for a large one), each sent to a run of the shop's members.
# $1 days, $2 reach channels.
CAMPAIGN_PLAN_SQL: Final = """
CREATE TEMP TABLE bench_campaign AS
SELECT
    x.idx,
    s.shop_id,
    s.base,
    s.members,
    ($2::text[])[1 + floor(pg_temp.rnd(x.idx, 401) * cardinality($2::text[]))::integer]
        AS channel,
    least(
        $1::integer - 1,
        floor((c + pg_temp.rnd(x.idx, 402)) * $1::integer / s.campaigns)::integer
    ) AS day_no,
    greatest(1, least(s.members, floor(s.members * (0.05 + 0.25 * pg_temp.rnd(x.idx, 403)))))
        ::integer AS sends,
    floor(pg_temp.rnd(x.idx, 404) * s.members)::integer AS first_k
FROM bench_shop AS s
CROSS JOIN LATERAL generate_series(0, s.campaigns - 1) AS c
CROSS JOIN LATERAL (SELECT s.campaign_lo + c AS idx) AS x
"""

CAMPAIGN_PLAN_ANALYZE_SQL: Final = """
ANALYZE bench_campaign
"""

CAMPAIGNS_SQL: Final = """
INSERT INTO campaigns (campaign_id, shop_id, channel, name, cost)
SELECT
    'cp' || idx,
    shop_id,
    channel,
    channel || ' campaign #' || idx,
    round(
        sends * CASE channel
            WHEN 'sms' THEN 0.045
            WHEN 'super_sms' THEN 0.18
            WHEN 'private_message' THEN 0.01
            ELSE 0.002
        END,
        2
    )
FROM bench_campaign
ORDER BY idx
"""

# $1 users, $2 first day (date), $3 time zone. Sends go out from 10:00, one a second.
REACH_SQL: Final = """
INSERT INTO reach (campaign_id, user_id, sent_at, shop_id)
SELECT
    'cp' || c.idx,
    'u' || ((c.base + ((c.first_k + j) % c.members)::bigint * 7919) % $1::bigint),
    (($2::date + c.day_no) + interval '10 hours' + (j % 7200) * interval '1 second')
        AT TIME ZONE $3::text,
    c.shop_id
FROM bench_campaign AS c
CROSS JOIN LATERAL generate_series(0, c.sends - 1) AS j
ORDER BY 3
"""

# One stint per member, joined over the year before the window and the window itself
# (more recently more often); 15% leave, and 40% of those rejoin after a gap.
# $1 users, $2 first instant of the window, $3 days, $4 end instant E of the data.
MEMBERS_SQL: Final = """
WITH stint AS (
    SELECT
        s.shop_id,
        'u' || ((s.base + k::bigint * 7919) % $1::bigint) AS user_id,
        date_trunc(
            'second',
            $2::timestamptz - interval '365 days'
                + pg_temp.rnd(x.key, 501) ^ 0.8 * ($3::integer + 365) * interval '1 day'
        ) AS joined_at,
        pg_temp.rnd(x.key, 502) AS r_leave,
        pg_temp.rnd(x.key, 503) AS r_stay,
        pg_temp.rnd(x.key, 504) AS r_back,
        pg_temp.rnd(x.key, 505) AS r_gap,
        pg_temp.rnd(x.key, 506) AS r_channel,
        pg_temp.rnd(x.key, 507) AS r_channel2
    FROM bench_shop AS s
    CROSS JOIN LATERAL generate_series(0, s.members - 1) AS k
    CROSS JOIN LATERAL (SELECT s.shop_no::bigint * 100000000 + k AS key) AS x
),
first AS (
    SELECT
        stint.*,
        CASE
            WHEN r_leave < 0.15
            THEN date_trunc('second', joined_at + (1 + r_stay * 300) * interval '1 day')
        END AS left_raw,
        date_trunc('second', interval '1 day' * (1 + r_gap * 90)) AS gap
    FROM stint
)
INSERT INTO members (shop_id, user_id, joined_at, join_channel, left_at)
SELECT
    shop_id,
    user_id,
    joined_at,
    CASE
        WHEN r_channel < 0.28 THEN 'live'
        WHEN r_channel < 0.43 THEN 'short_video'
        WHEN r_channel < 0.58 THEN 'product_card'
        WHEN r_channel < 0.68 THEN 'shop_page'
        WHEN r_channel < 0.83 THEN 'order_page'
        WHEN r_channel < 0.90 THEN 'creator'
        WHEN r_channel < 0.96 THEN 'campaign'
        ELSE 'other'
    END,
    CASE WHEN left_raw < $4::timestamptz THEN left_raw END
FROM first
UNION ALL
SELECT
    shop_id,
    user_id,
    left_raw + gap,
    CASE
        WHEN r_channel2 < 0.40 THEN 'live'
        WHEN r_channel2 < 0.60 THEN 'campaign'
        WHEN r_channel2 < 0.80 THEN 'order_page'
        ELSE 'shop_page'
    END,
    NULL
FROM first
WHERE r_back < 0.4
  AND left_raw + gap < $4::timestamptz
"""

# One follow stint per fan, customers from 20% of the pool on (overlapping the members);
# 15% unfollow. $1 users, $2 first instant, $3 days, $4 end instant.
FANS_SQL: Final = """
WITH stint AS (
    SELECT
        s.shop_id,
        'u' || ((s.base + (floor(s.customers * 0.2)::bigint + k) * 7919) % $1::bigint)
            AS user_id,
        date_trunc(
            'second',
            $2::timestamptz - interval '365 days'
                + pg_temp.rnd(x.key, 601) ^ 0.7 * ($3::integer + 365) * interval '1 day'
        ) AS followed_at,
        pg_temp.rnd(x.key, 602) AS r_leave,
        pg_temp.rnd(x.key, 603) AS r_stay
    FROM bench_shop AS s
    CROSS JOIN LATERAL generate_series(0, s.fans - 1) AS k
    CROSS JOIN LATERAL (SELECT s.shop_no::bigint * 100000000 + k AS key) AS x
)
INSERT INTO fans (shop_id, user_id, followed_at, unfollowed_at)
SELECT shop_id, user_id, followed_at, unfollowed
FROM stint
CROSS JOIN LATERAL (
    SELECT date_trunc('second', followed_at + (1 + r_stay * 200) * interval '1 day') AS raw
) AS x
CROSS JOIN LATERAL (
    SELECT CASE WHEN r_leave < 0.15 AND x.raw < $4::timestamptz THEN x.raw END AS unfollowed
) AS y
"""

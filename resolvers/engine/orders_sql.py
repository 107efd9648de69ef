"""Order facts: contribution, member and fan orders, first/repeat buyers, card orders."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, WINDOWS_CTE, window_facts

# $1-$4: windows (id, shop, start, end); $5 dimension name or NULL; $6 its value or NULL
# (NULL with a dimension: every value, a breakdown); $7 user ids or NULL. Then one flag per
# costly lookup (an index probe per order or per buyer), each false unless a base needing
# it is wanted: $8 member coverage, $9 fan coverage (also on whenever the slice is
# FAN_STATUS), $10 an earlier order of the buyer; $11 whether any distinct count of
# buyers is wanted (none: the buyers are not grouped); and $12 … $19 each distinct count
# in the order of ``DISTINCT_ORDER_BASES`` (the shop order days read an array or more for
# each). A part not wanted is null, so the figures that read it are 0 and not read.
# A card order may lack its entry (the files allow it): its ENTRY key is 'unknown'.
ORDER_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
scoped AS (
    SELECT
        w.window_id,
        w.s,
        o.shop_id,
        o.user_id,
        o.amount,
        coalesce(o.refund_amount, 0) AS refund,
        o.carrier,
        o.benefit_id,
        CASE WHEN $8::boolean THEN EXISTS (
            SELECT 1
            FROM members m
            WHERE m.shop_id = o.shop_id
              AND m.user_id = o.user_id
              AND m.joined_at <= o.paid_at
              AND (m.left_at IS NULL OR m.left_at > o.paid_at)
        ) END AS by_member,
        CASE WHEN $9::boolean OR $5::text = 'FAN_STATUS' THEN EXISTS (
            SELECT 1
            FROM fans f
            WHERE f.shop_id = o.shop_id
              AND f.user_id = o.user_id
              AND f.followed_at <= o.paid_at
              AND (f.unfollowed_at IS NULL OR f.unfollowed_at > o.paid_at)
        ) END AS by_fan,
        CASE $5::text
            WHEN 'CARRIER' THEN o.carrier
            WHEN 'TRAFFIC_TYPE' THEN o.traffic_type
            WHEN 'ENTRY' THEN
                CASE WHEN o.carrier = 'product_card' THEN coalesce(o.entry, 'unknown') END
            WHEN 'PRODUCT' THEN o.product_id
            WHEN 'CATEGORY' THEN p.category
            WHEN 'CREATOR' THEN o.creator_id
            WHEN 'PRICE_BAND' THEN
                CASE
                    WHEN o.amount < 50 THEN '<50'
                    WHEN o.amount < 100 THEN '50-100'
                    WHEN o.amount < 200 THEN '100-200'
                    WHEN o.amount < 500 THEN '200-500'
                    ELSE '500+'
                END
"""
    + USER_KEYS
    + """
            ELSE ''
        END AS base_key
"""
    + window_facts("orders", "o", "paid_at")
    + """
),
facts AS (
    SELECT
        scoped.*,
        CASE
            WHEN $5::text = 'FAN_STATUS' THEN CASE WHEN by_fan THEN 'fan' ELSE 'non_fan' END
            ELSE base_key
        END AS slice_key
    FROM scoped
),
kept AS (
    SELECT *
    FROM facts
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
),
buyers AS (
    SELECT
        k.window_id,
        k.slice_key,
        count(*) AS n,
        count(*) FILTER (WHERE k.by_member) AS member_n,
        bool_or(k.by_member AND k.benefit_id IS NOT NULL) AS benefit_user,
        bool_or(k.carrier = 'product_card') AS card_buyer,
        CASE WHEN $10::boolean THEN EXISTS (
            SELECT 1
            FROM orders b
            WHERE b.shop_id = k.shop_id
              AND b.user_id = k.user_id
              AND b.paid_at < k.s
        ) END AS had_ordered
    FROM kept k
    WHERE $11::boolean
    GROUP BY k.window_id, k.slice_key, k.shop_id, k.user_id, k.s
),
totals AS (
    SELECT
        window_id,
        slice_key,
        sum(amount) AS gmv,
        sum(amount - refund) AS net_gmv,
        sum(refund) AS refunds,
        count(*) AS orders,
        coalesce(sum(amount) FILTER (WHERE by_member), 0) AS member_gmv,
        count(*) FILTER (WHERE by_member) AS member_orders,
        coalesce(sum(amount) FILTER (WHERE by_fan), 0) AS fan_gmv,
        coalesce(sum(amount) FILTER (WHERE carrier = 'product_card'), 0) AS card_gmv
    FROM kept
    GROUP BY window_id, slice_key
),
people AS (
    SELECT
        window_id,
        slice_key,
        CASE WHEN $12::boolean THEN count(*) END AS buyers,
        CASE WHEN $13::boolean THEN count(*) FILTER (WHERE n >= 2) END AS repeat_buyers,
        CASE WHEN $14::boolean THEN count(*) FILTER (WHERE member_n >= 1) END
            AS member_buyers,
        CASE WHEN $15::boolean THEN count(*) FILTER (WHERE member_n >= 2) END
            AS member_repeat_buyers,
        CASE WHEN $16::boolean THEN count(*) FILTER (WHERE benefit_user) END AS benefit_users,
        CASE WHEN $17::boolean THEN count(*) FILTER (WHERE card_buyer) END AS card_buyers,
        CASE WHEN $18::boolean THEN count(*) FILTER (WHERE had_ordered) END AS repeat_users,
        CASE WHEN $19::boolean THEN count(*) FILTER (WHERE NOT had_ordered) END
            AS first_order_users
    FROM buyers
    GROUP BY window_id, slice_key
)
SELECT *
FROM totals
LEFT JOIN people USING (window_id, slice_key)
"""
)

# The distinct counts of buyers: the bases that group the orders by buyer (or, in the
# shop order days, read the sorted arrays).
DISTINCT_ORDER_BASES: Final = (
    "buyers",
    "repeat_buyers",
    "member_buyers",
    "member_repeat_buyers",
    "benefit_users",
    "card_buyers",
    "repeat_users",
    "first_order_users",
)

ORDER_BASES: Final = (
    "gmv",
    "net_gmv",
    "refunds",
    "orders",
    "member_gmv",
    "member_orders",
    "fan_gmv",
    "card_gmv",
    *DISTINCT_ORDER_BASES,
)

# The bases of each costly part, in the order of their flags ($8 … $19).
ORDER_COSTLY_PARTS: Final = (
    frozenset(
        {"member_gmv", "member_orders", "member_buyers", "member_repeat_buyers", "benefit_users"}
    ),
    frozenset({"fan_gmv"}),
    frozenset({"repeat_users", "first_order_users"}),
    frozenset(DISTINCT_ORDER_BASES),
    *(frozenset({base}) for base in DISTINCT_ORDER_BASES),
)

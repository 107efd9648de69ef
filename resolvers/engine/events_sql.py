"""Event facts: benefit claims, audience, high-potential users, product-card traffic."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, WINDOWS_CTE

# Parameters as in ORDER_FACTS_SQL.
EVENT_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
scoped AS (
    SELECT
        w.window_id,
        w.s,
        w.e,
        ev.shop_id,
        ev.user_id,
        ev.type,
        ev.carrier,
        CASE $5::text
            WHEN 'ENTRY' THEN CASE WHEN ev.carrier = 'product_card' THEN ev.entry END
            WHEN 'PRODUCT' THEN ev.product_id
            WHEN 'CATEGORY' THEN p.category
"""
    + USER_KEYS
    + """
            ELSE ''
        END AS slice_key
    FROM w
    -- LATERAL: an index range scan per window, never a scan of every shop's events
    CROSS JOIN LATERAL (
        SELECT *
        FROM events
        WHERE events.shop_id = w.shop_id
          AND events.occurred_at >= w.s
          AND events.occurred_at < w.e
        OFFSET 0  -- keeps the subquery from being flattened into a hash join
    ) ev
    LEFT JOIN users u ON u.user_id = ev.user_id
    LEFT JOIN products p ON p.product_id = ev.product_id
    WHERE ($7::text[] IS NULL OR ev.user_id = any($7::text[]))
),
per_user AS (
    SELECT
        window_id,
        slice_key,
        shop_id,
        user_id,
        s,
        e,
        count(*) FILTER (WHERE type = 'benefit_claim') AS claims,
        bool_or(type IN ('live_watch', 'video_watch', 'product_click')) AS audience,
        count(*) FILTER (WHERE type = 'add_to_cart') AS carts,
        count(*) FILTER (WHERE type = 'product_click') AS clicks,
        bool_or(type = 'product_impression' AND carrier = 'product_card') AS card_seen,
        count(*) FILTER (WHERE type = 'product_click' AND carrier = 'product_card') AS card_clicks
    FROM scoped
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
    GROUP BY window_id, slice_key, shop_id, user_id, s, e
),
flagged AS (
    SELECT
        pu.*,
        EXISTS (
            SELECT 1
            FROM orders o
            WHERE o.shop_id = pu.shop_id
              AND o.user_id = pu.user_id
              AND o.paid_at >= pu.s
              AND o.paid_at < pu.e
        ) AS bought,
        EXISTS (
            SELECT 1
            FROM orders o
            WHERE o.shop_id = pu.shop_id
              AND o.user_id = pu.user_id
              AND o.paid_at < pu.s
        ) AS had_ordered
    FROM per_user pu
)
SELECT
    window_id,
    slice_key,
    sum(claims) AS benefit_claims,
    count(*) FILTER (WHERE claims > 0) AS benefit_claimers,
    count(*) FILTER (WHERE audience) AS audience_users,
    count(*) FILTER (
        WHERE audience AND NOT bought AND (carts >= 1 OR clicks >= 2)
    ) AS high_potential_users,
    count(*) FILTER (WHERE card_seen) AS card_impression_users,
    count(*) FILTER (WHERE card_clicks > 0) AS card_click_users,
    sum(card_clicks) AS card_clicks,
    count(*) FILTER (WHERE card_clicks > 0 AND NOT had_ordered) AS card_new_click_users,
    count(*) FILTER (WHERE card_clicks > 0 AND NOT bought) AS lost_users
FROM flagged
GROUP BY window_id, slice_key
"""
)

EVENT_BASES: Final = (
    "benefit_claims",
    "benefit_claimers",
    "audience_users",
    "high_potential_users",
    "card_impression_users",
    "card_click_users",
    "card_clicks",
    "card_new_click_users",
    "lost_users",
)

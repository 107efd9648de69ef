"""Event facts: benefit claims, audience, high-potential users, product-card traffic."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, WINDOWS_CTE, window_facts

# Parameters as in ORDER_FACTS_SQL, then the flags of ``EVENT_COSTLY_PARTS``: first the
# order lookups, the costly part here (one index probe per user and window): $8 whether
# `bought` is wanted (high-potential and lost users), $9 whether `had_ordered` is (new
# card clickers); then one per set of users counted ($10 … $15), which the event days read
# from arrays of their own. A lookup not wanted is null, so the counts that read it are 0
# and not read; a wanted one is also null for the users none of its counts would look at.
# A set not wanted is null (its base 0), as in the event days.
EVENT_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
scoped AS (
    SELECT
        w.window_id,
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
"""
    + window_facts("events", "ev", "occurred_at")
    + """
),
per_user AS (
    -- grouped on narrow keys: the window's shop and span are joined back afterwards
    SELECT
        window_id,
        slice_key,
        user_id,
        count(*) FILTER (WHERE type = 'benefit_claim') AS claims,
        bool_or(type IN ('live_watch', 'video_watch', 'product_click')) AS audience,
        count(*) FILTER (WHERE type = 'add_to_cart') AS carts,
        count(*) FILTER (WHERE type = 'product_click') AS clicks,
        bool_or(type = 'product_impression' AND carrier = 'product_card') AS card_seen,
        count(*) FILTER (WHERE type = 'product_click' AND carrier = 'product_card') AS card_clicks
    FROM scoped
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
    GROUP BY window_id, slice_key, user_id
),
flagged AS (
    -- Each lookup only for the users whose count reads it (high-potential candidates and
    -- card clickers), and once each (OFFSET 0), not once per aggregate reading it.
    SELECT
        pu.*,
        CASE WHEN $8::boolean AND (
            (audience AND (carts >= 1 OR clicks >= 2)) OR card_clicks > 0
        ) THEN EXISTS (
            SELECT 1
            FROM orders o
            WHERE o.shop_id = w.shop_id
              AND o.user_id = pu.user_id
              AND o.paid_at >= w.s
              AND o.paid_at < w.e
        ) END AS bought,
        CASE WHEN $9::boolean AND card_clicks > 0 THEN EXISTS (
            SELECT 1
            FROM orders o
            WHERE o.shop_id = w.shop_id
              AND o.user_id = pu.user_id
              AND o.paid_at < w.s
        ) END AS had_ordered
    FROM per_user pu
    JOIN w USING (window_id)
    OFFSET 0
)
SELECT
    window_id,
    slice_key,
    sum(claims) AS benefit_claims,
    CASE WHEN $10::boolean THEN count(*) FILTER (WHERE claims > 0) END AS benefit_claimers,
    CASE WHEN $11::boolean THEN count(*) FILTER (WHERE audience) END AS audience_users,
    CASE WHEN $12::boolean THEN count(*) FILTER (
        WHERE audience AND NOT bought AND (carts >= 1 OR clicks >= 2)
    ) END AS high_potential_users,
    CASE WHEN $13::boolean THEN count(*) FILTER (WHERE card_seen) END AS card_impression_users,
    CASE WHEN $14::boolean THEN count(*) FILTER (WHERE card_clicks > 0) END
        AS card_click_users,
    sum(card_clicks) AS card_clicks,
    CASE WHEN $14::boolean THEN count(*) FILTER (WHERE card_clicks > 0 AND NOT had_ordered) END
        AS card_new_click_users,
    CASE WHEN $15::boolean THEN count(*) FILTER (WHERE card_clicks > 0 AND NOT bought) END
        AS lost_users
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

# The bases of each costly part, in the order of their flags ($8 … $15): the two order
# lookups, then the sets of users counted (in the event days, each its arrays).
EVENT_COSTLY_PARTS: Final = (
    frozenset({"high_potential_users", "lost_users"}),
    frozenset({"card_new_click_users"}),
    frozenset({"benefit_claimers"}),
    frozenset({"audience_users"}),
    frozenset({"high_potential_users"}),
    frozenset({"card_impression_users"}),
    frozenset({"card_click_users", "card_new_click_users"}),
    frozenset({"lost_users"}),
)

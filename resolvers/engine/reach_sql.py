"""Outreach facts: reached users, 24-hour revisits, 7-day conversion, cost."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, WINDOWS_CTE
from vocabulary import ACTIVITY_TYPES_SQL

# Parameters as in ORDER_FACTS_SQL, and $8: whether the 24-hour revisits are wanted (two
# index probes per reached user; null, and their count 0, when not). A user's first send
# is their earliest send in the window (within the slice); the 7-day order window may run
# past E.
REACH_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
scoped AS (
    SELECT
        w.window_id,
        r.shop_id,
        r.user_id,
        r.sent_at,
        r.campaign_id,
        c.cost,
        CASE $5::text
            WHEN 'REACH_CHANNEL' THEN c.channel
"""
    + USER_KEYS
    + """
            ELSE ''
        END AS slice_key
    FROM w
    -- LATERAL: an index range scan per window, never a scan of every shop's sends
    CROSS JOIN LATERAL (
        SELECT *
        FROM reach
        WHERE reach.shop_id = w.shop_id
          AND reach.sent_at >= w.s
          AND reach.sent_at < w.e
        OFFSET 0  -- keeps the subquery from being flattened into a hash join
    ) r
    JOIN campaigns c ON c.campaign_id = r.campaign_id
    LEFT JOIN users u ON u.user_id = r.user_id
    WHERE ($7::text[] IS NULL OR r.user_id = any($7::text[]))
),
kept AS (
    SELECT *
    FROM scoped
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
),
firsts AS (
    SELECT window_id, slice_key, shop_id, user_id, min(sent_at) AS first_send
    FROM kept
    GROUP BY window_id, slice_key, shop_id, user_id
),
outcomes AS (
    SELECT
        f.window_id,
        f.slice_key,
        CASE WHEN $8::boolean THEN EXISTS (
            SELECT 1
            FROM events ev
            WHERE ev.shop_id = f.shop_id
              AND ev.user_id = f.user_id
              AND ev.type IN ("""
    + ACTIVITY_TYPES_SQL
    + """)
              AND ev.occurred_at >= f.first_send
              AND ev.occurred_at < f.first_send + interval '24 hours'
        ) OR EXISTS (
            SELECT 1
            FROM orders o
            WHERE o.shop_id = f.shop_id
              AND o.user_id = f.user_id
              AND o.paid_at >= f.first_send
              AND o.paid_at < f.first_send + interval '24 hours'
        ) END AS visited,
        (
            SELECT sum(o.amount)
            FROM orders o
            WHERE o.shop_id = f.shop_id
              AND o.user_id = f.user_id
              AND o.paid_at >= f.first_send
              AND o.paid_at < f.first_send + interval '7 days'
        ) AS gmv_7d
    FROM firsts f
    OFFSET 0  -- keeps each lookup run once per user, not once per aggregate reading it
),
costs AS (
    SELECT window_id, slice_key, coalesce(sum(cost), 0) AS campaign_cost
    FROM (SELECT DISTINCT window_id, slice_key, campaign_id, cost FROM kept) sent
    GROUP BY window_id, slice_key
)
SELECT
    o.window_id,
    o.slice_key,
    count(*) AS reached_users,
    count(*) FILTER (WHERE o.visited) AS visited_users,
    count(*) FILTER (WHERE o.gmv_7d IS NOT NULL) AS converted_users,
    coalesce(sum(o.gmv_7d), 0) AS reach_gmv,
    c.campaign_cost
FROM outcomes o
JOIN costs c USING (window_id, slice_key)
GROUP BY o.window_id, o.slice_key, c.campaign_cost
"""
)

REACH_BASES: Final = (
    "reached_users",
    "visited_users",
    "converted_users",
    "reach_gmv",
    "campaign_cost",
)

# The bases of the costly part, for its flag ($8).
REACH_COSTLY_PARTS: Final = (frozenset({"visited_users"}),)

"""Membership facts: scale at E and in P, activity, relationship quality."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, WINDOWS_CTE

# Parameters as in ORDER_FACTS_SQL, and $8: whether the activity flags are wanted (the
# lookups behind them are the costly part; counts alone skip them). Stints are
# [joined_at, left_at); a member at E is on a stint with joined_at < E <= left_at (or no
# left_at). The slice key of JOIN_CHANNEL is
# the channel of the stint itself (the one in force, for point-in-time counts).
MEMBER_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
stints AS (
    SELECT
        w.window_id,
        w.s,
        w.e,
        m.shop_id,
        m.user_id,
        m.joined_at,
        m.left_at,
        CASE $5::text
            WHEN 'JOIN_CHANNEL' THEN m.join_channel
"""
    + USER_KEYS
    + """
            ELSE ''
        END AS slice_key
    FROM w
    JOIN members m
      ON m.shop_id = w.shop_id
     AND m.joined_at < w.e
     -- a stint that ended before the window starts counts nowhere in it
     AND (m.left_at IS NULL OR m.left_at >= w.s)
    LEFT JOIN users u ON u.user_id = m.user_id
    WHERE ($7::text[] IS NULL OR m.user_id = any($7::text[]))
),
kept AS (
    SELECT *
    FROM stints
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
),
moves AS (
    SELECT
        window_id,
        slice_key,
        count(DISTINCT user_id) FILTER (WHERE joined_at >= s) AS new_members,
        count(DISTINCT user_id) FILTER (WHERE left_at >= s AND left_at < e) AS left_members
    FROM kept
    WHERE joined_at >= s OR (left_at >= s AND left_at < e)
    GROUP BY window_id, slice_key
),
at_end AS (
    -- stints of one user never overlap, so at most one is in force at E: no DISTINCT
    SELECT window_id, slice_key, shop_id, user_id, s, e
    FROM kept
    WHERE left_at IS NULL OR left_at >= e
),
latest AS MATERIALIZED (
    -- One backward index probe each: the member's last activity event and last order
    -- before E decide every flag below (materialized, so each probe runs once).
    SELECT
        a.window_id,
        a.slice_key,
        a.s,
        a.e,
        CASE WHEN $8::boolean THEN (
            SELECT max(ev.occurred_at)
            FROM events ev
            WHERE ev.shop_id = a.shop_id
              AND ev.user_id = a.user_id
              AND ev.type IN (
                  'shop_visit', 'live_watch', 'video_watch', 'benefit_claim', 'points_interaction'
              )
              AND ev.occurred_at < a.e
        ) END AS last_event,
        CASE WHEN $8::boolean THEN (
            SELECT max(o.paid_at)
            FROM orders o
            WHERE o.shop_id = a.shop_id
              AND o.user_id = a.user_id
              AND o.paid_at < a.e
        ) END AS last_order
    FROM at_end a
),
flags AS (
    SELECT
        window_id,
        slice_key,
        greatest(last_event, last_order) >= s AS active,
        greatest(last_event, last_order) >= e - interval '30 days' AS active_30,
        coalesce(last_order >= e - interval '365 days', false) AS quality,
        coalesce(last_event >= e - interval '90 days', false) AS recent_event
    FROM latest
),
standing AS (
    SELECT
        window_id,
        slice_key,
        count(*) AS member_count,
        count(*) FILTER (WHERE active) AS active_members,
        count(*) FILTER (WHERE active_30) AS monthly_active_members,
        count(*) FILTER (WHERE quality) AS quality_members,
        count(*) FILTER (WHERE NOT quality AND recent_event) AS potential_members
    FROM flags
    GROUP BY window_id, slice_key
)
SELECT
    k.window_id,
    k.slice_key,
    coalesce(st.member_count, 0) AS member_count,
    coalesce(st.active_members, 0) AS active_members,
    coalesce(st.monthly_active_members, 0) AS monthly_active_members,
    coalesce(st.quality_members, 0) AS quality_members,
    coalesce(st.potential_members, 0) AS potential_members,
    coalesce(mv.new_members, 0) AS new_members,
    coalesce(mv.left_members, 0) AS left_members
FROM (
    SELECT window_id, slice_key FROM standing
    UNION
    SELECT window_id, slice_key FROM moves
) k
LEFT JOIN standing st USING (window_id, slice_key)
LEFT JOIN moves mv USING (window_id, slice_key)
"""
)

MEMBER_ACTIVITY_BASES: Final = frozenset(
    {"active_members", "monthly_active_members", "quality_members", "potential_members"}
)

MEMBER_BASES: Final = (
    "member_count",
    "active_members",
    "monthly_active_members",
    "quality_members",
    "potential_members",
    "new_members",
    "left_members",
)

"""Membership facts: scale at E and in P, activity, relationship quality."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, WINDOWS_CTE
from vocabulary import ACTIVITY_TYPES_SQL


def stint_key(alias: str) -> str:
    """The slice key of a stint (aliased ``alias``, its user u): JOIN_CHANNEL is the
    channel of the stint itself (the one in force, for point-in-time counts). The alias
    comes from code."""
    return (
        f"""CASE $5::text
            WHEN 'JOIN_CHANNEL' THEN {alias}.join_channel
"""
        + USER_KEYS
        + """
            ELSE ''
        END"""
    )


# Parameters as in ORDER_FACTS_SQL, and $8 and $9: whether the period's active members, and
# whether the other activity flags (at E), are wanted; with either, the activity flags are
# read (the lookups behind them are the costly part; counts alone skip them); $10 whether
# the joins and leaves of the period are. Stints are
# [joined_at, left_at); a member at E is on a stint with joined_at < E <= left_at (or no
# left_at).
#
# Without the activity flags, members at E are counted without expanding every stint
# into every window: they are the stints joined before E less the stints left before E
# (no stint leaves before it joins), a running sum over the joins (+1) and leaves (-1) of
# each shop and slice in time order, read at a marker (0) placed at each window's end. A
# marker sorts before the steps at its own instant: a stint joining at E is not counted,
# one leaving at E still is. With the flags, the members in force at each E are listed
# for their lookups anyway, and counted from that list. Joins and leaves within each
# window are read by index range from the table.
_STINTS: Final = (
    WINDOWS_CTE
    + """,
spans AS (
    SELECT shop_id, min(e) AS first_e, max(e) AS last_e
    FROM w
    GROUP BY shop_id
),
stints AS (
    -- every stint of each shop read once, whatever its windows; one that ended before
    -- the shop's first window end adds +1 and -1 before every marker: left out
    SELECT
        m.shop_id,
        m.user_id,
        m.joined_at,
        m.left_at,
        """
    + stint_key("m")
    + """ AS slice_key
    FROM spans
    JOIN members m
      ON m.shop_id = spans.shop_id
     AND m.joined_at < spans.last_e
     AND (m.left_at IS NULL OR m.left_at >= spans.first_e)
    LEFT JOIN users u ON u.user_id = m.user_id
    WHERE ($7::text[] IS NULL OR m.user_id = any($7::text[]))
),
kept AS (
    SELECT *
    FROM stints
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
),
steps AS (
    SELECT shop_id, slice_key, joined_at AS at, 1 AS step, NULL::int AS window_id
    FROM kept
    UNION ALL
    SELECT shop_id, slice_key, left_at, -1, NULL
    FROM kept
    WHERE left_at IS NOT NULL
    UNION ALL
    SELECT w.shop_id, keys.slice_key, w.e, 0, w.window_id
    FROM w
    JOIN (SELECT DISTINCT shop_id, slice_key FROM kept) keys ON keys.shop_id = w.shop_id
),
running AS (
    SELECT
        window_id,
        slice_key,
        sum(step) OVER (
            -- any order of the partitions will do: the bytewise one sorts fastest
            PARTITION BY shop_id COLLATE "C", slice_key COLLATE "C"
            ORDER BY at, window_id IS NULL
            ROWS UNBOUNDED PRECEDING
        ) AS member_count
    FROM steps
    WHERE NOT ($8::boolean OR $9::boolean)
),
"""
)


# The joins and leaves within each window, read by index range from the table (no dimension
# but JOIN_CHANNEL or a user's, $5 and $6; the users $7), when the boolean parameter
# ``wanted`` (its placeholder) is true.
def moves_cte(wanted: str) -> str:
    """The ``moves`` CTE, read only when ``wanted`` (a parameter placeholder from code)."""
    return (
        """
moves AS (
    SELECT
        w.window_id,
        mv.slice_key,
        count(DISTINCT mv.user_id) FILTER (
            WHERE mv.joined_at >= w.s AND mv.joined_at < w.e
        ) AS new_members,
        count(DISTINCT mv.user_id) FILTER (
            WHERE mv.left_at >= w.s AND mv.left_at < w.e
        ) AS left_members
    FROM w
    -- LATERAL: the stints joining or leaving in the window, by index range
    CROSS JOIN LATERAL (
        SELECT
            m.user_id,
            m.joined_at,
            m.left_at,
            """
        + stint_key("m")
        + """ AS slice_key
        FROM members m
        LEFT JOIN users u ON u.user_id = m.user_id
        WHERE m.shop_id = w.shop_id
          AND (
              (m.joined_at >= w.s AND m.joined_at < w.e)
              OR (m.left_at >= w.s AND m.left_at < w.e)
          )
          AND ($7::text[] IS NULL OR m.user_id = any($7::text[]))
        OFFSET 0  -- keeps the subquery from being flattened into a join of every stint
    ) mv
    WHERE """
        + wanted
        + """
      AND mv.slice_key IS NOT NULL
      AND ($6::text IS NULL OR mv.slice_key = $6::text)
    GROUP BY w.window_id, mv.slice_key
),
"""
    )


# The members in force at each window's end, only when the activity flags are wanted,
# each with the instants of its last activity event and last order before E: found by
# one backward index probe each into the events and the orders.
_PROBED: Final = (
    """
at_end AS (
    -- the members in force at each window's end, only when the activity flags are wanted;
    -- stints of one user never overlap, so at most one is in force at E
    SELECT w.window_id, k.slice_key, k.shop_id, k.user_id, w.s, w.e
    FROM w
    JOIN kept k
      ON k.shop_id = w.shop_id
     AND k.joined_at < w.e
     AND (k.left_at IS NULL OR k.left_at >= w.e)
    WHERE ($8::boolean OR $9::boolean)
),
latest AS MATERIALIZED (
    -- One backward index probe each: the member's last activity event and last order
    -- before E decide every flag below (materialized, so each probe runs once).
    SELECT
        a.window_id,
        a.slice_key,
        a.s,
        a.e,
        (
            SELECT max(ev.occurred_at)
            FROM events ev
            WHERE ev.shop_id = a.shop_id
              AND ev.user_id = a.user_id
              AND ev.type IN ("""
    + ACTIVITY_TYPES_SQL
    + """)
              AND ev.occurred_at < a.e
        ) AS last_event,
        (
            SELECT max(o.paid_at)
            FROM orders o
            WHERE o.shop_id = a.shop_id
              AND o.user_id = a.user_id
              AND o.paid_at < a.e
        ) AS last_order
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
"""
)

# The same flags from the member activity (migration 0007): a stint in force at E carries
# its member's activity and order instants, so no lookup into the events or the orders.
_FROM_ACTIVITY: Final = (
    """
in_force AS (
    -- an activity or an order in [s, e), in the 30 days before e; an order in the 365
    -- days before e; an activity event in the 90 days before e: each one search of a
    -- multirange, done as the stint is read
    SELECT
        w.window_id,
        """
    + stint_key("a")
    + """ AS slice_key,
        a.activity_at && tstzrange(w.s, w.e) OR a.ordered_at && tstzrange(w.s, w.e) AS active,
        a.activity_at && tstzrange(w.e - interval '30 days', w.e)
            OR a.ordered_at && tstzrange(w.e - interval '30 days', w.e) AS active_30,
        a.ordered_at && tstzrange(w.e - interval '365 days', w.e) AS quality,
        a.activity_at && tstzrange(w.e - interval '90 days', w.e) AS recent_event
    FROM w
    JOIN member_activity a
      ON a.shop_id = w.shop_id
     AND a.joined_at < w.e
     AND (a.left_at IS NULL OR a.left_at >= w.e)
    LEFT JOIN users u ON $5::text IS NOT NULL AND u.user_id = a.user_id
    WHERE ($8::boolean OR $9::boolean)
      AND member_activity_ready()  -- fails if a rebuild began since readiness was read
      AND ($7::text[] IS NULL OR a.user_id = any($7::text[]))
),
at_end AS (
    SELECT *
    FROM in_force
    WHERE slice_key IS NOT NULL
      AND ($6::text IS NULL OR slice_key = $6::text)
),
flags AS (
    SELECT window_id, slice_key, active, active_30, quality, recent_event
    FROM at_end
),
"""
)

_TAIL: Final = """
counts AS (
    -- with the activity flags, the members in force are at hand: counted directly
    SELECT window_id, slice_key, member_count
    FROM running
    WHERE window_id IS NOT NULL
      AND member_count > 0
    UNION ALL
    SELECT window_id, slice_key, count(*)
    FROM at_end
    GROUP BY window_id, slice_key
),
standing AS (
    SELECT
        window_id,
        slice_key,
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
    coalesce(c.member_count, 0) AS member_count,
    coalesce(st.active_members, 0) AS active_members,
    coalesce(st.monthly_active_members, 0) AS monthly_active_members,
    coalesce(st.quality_members, 0) AS quality_members,
    coalesce(st.potential_members, 0) AS potential_members,
    coalesce(mv.new_members, 0) AS new_members,
    coalesce(mv.left_members, 0) AS left_members
FROM (
    SELECT window_id, slice_key FROM counts
    UNION
    SELECT window_id, slice_key FROM moves
) k
LEFT JOIN counts c USING (window_id, slice_key)
LEFT JOIN standing st USING (window_id, slice_key)
LEFT JOIN moves mv USING (window_id, slice_key)
"""

_HEAD: Final = _STINTS + moves_cte("$10::boolean")

MEMBER_FACTS_SQL: Final = _HEAD + _PROBED + _TAIL
MEMBER_ACTIVITY_FACTS_SQL: Final = _HEAD + _FROM_ACTIVITY + _TAIL

# The bases of each costly part, in the order of their flags ($8, $9, $10): the period's
# active members (which depend on its start), the flags at E, the joins and leaves.
MEMBER_COSTLY_PARTS: Final = (
    frozenset({"active_members"}),
    frozenset({"monthly_active_members", "quality_members", "potential_members"}),
    frozenset({"new_members", "left_members"}),
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

"""Member counts of whole business days from ``member_steps`` and ``member_recency``: the
bases of ``MEMBER_FACTS_SQL`` on no slice, without listing a member.

A shop's member steps hold how each count at a day's midnight differs from the day before
(migration 0011): a count at E, the midnight starting day D, is the sum of the shop's
rows up to D, read as the sums of the months before D's (``member_step_months``) and the
days of its month up to D. The active members of the period S … D−1 are, over the days
S + 1 … D of the member recency (migration 0013), the elements on or after S of each
day's ``starts`` less those of its ``ends``. The joins and leaves within the window are
read from the stints, as the raw statement reads them.
"""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import WINDOWS_CTE
from resolvers.engine.members_sql import moves_cte

# $1-$7 as ``statement_args`` gives them (no dimension, no users), $8 the zone the days
# are in, $9 whether the joins and leaves of the period are wanted, $10 whether its active
# members are. A window has a row when members are in force at E or some joined or left
# in it, as in the raw statement.
MEMBER_STEPS_SQL: Final = (
    WINDOWS_CTE
    + ","
    + moves_cte("$9::boolean")
    + """
at_end AS (
    SELECT w.window_id, counts.*
    FROM w
    CROSS JOIN LATERAL (
        SELECT
            coalesce(sum(s.members), 0) AS member_count,
            coalesce(sum(s.monthly_active_members), 0) AS monthly_active_members,
            coalesce(sum(s.quality_members), 0) AS quality_members,
            coalesce(sum(s.potential_members), 0) AS potential_members
        FROM (
            SELECT (w.e AT TIME ZONE $8::text)::date AS e
        ) AS d
        CROSS JOIN LATERAL (
            -- the months before E's, then the days of its month up to E
            SELECT members, quality_members, potential_members, monthly_active_members
            FROM member_step_months m
            WHERE m.shop_id = w.shop_id
              AND m.month < date_trunc('month', d.e::timestamp)::date
            UNION ALL
            SELECT members, quality_members, potential_members, monthly_active_members
            FROM member_steps m
            WHERE m.shop_id = w.shop_id
              AND m.day >= date_trunc('month', d.e::timestamp)::date
              AND m.day <= d.e
        ) AS s
    ) counts
    -- fails if the rows are not ready in zone $8 (a rebuild began since it was read)
    WHERE member_steps_ready($8::text)
),
active AS (
    SELECT w.window_id, recency.active_members
    FROM w
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(
            cardinality(r.starts) - width_bucket(d.s - 1, r.starts)
            - (cardinality(r.ends) - width_bucket(d.s - 1, r.ends))
        ), 0) AS active_members
        FROM (
            SELECT
                (w.s AT TIME ZONE $8::text)::date AS s,
                (w.e AT TIME ZONE $8::text)::date AS e
        ) AS d
        JOIN member_recency r
          ON r.shop_id = w.shop_id
         AND r.day > d.s
         AND r.day <= d.e
    ) recency
    WHERE $10::boolean
)
SELECT
    a.window_id,
    '' AS slice_key,
    a.member_count,
    coalesce(ac.active_members, 0) AS active_members,
    a.monthly_active_members,
    a.quality_members,
    a.potential_members,
    coalesce(mv.new_members, 0) AS new_members,
    coalesce(mv.left_members, 0) AS left_members
FROM at_end a
LEFT JOIN moves mv ON mv.window_id = a.window_id
LEFT JOIN active ac ON ac.window_id = a.window_id
WHERE a.member_count > 0 OR mv.window_id IS NOT NULL
"""
)

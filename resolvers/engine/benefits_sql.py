"""Benefit supply: the days on which at least one benefit was online."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import WINDOWS_CTE

# $1-$4 as in ORDER_FACTS_SQL; slices and users do not apply. Days are calendar days
# of the session time zone (the business zone): a window's days start at S, S + 1 day, …
# up to E - 1 day. A benefit is online over [online_from, online_to), and a day counts if
# any benefit's interval overlaps it (an empty one, online_to = online_from, overlaps none).
#
# Not a lookup per day: the days of each distinct period are listed once (their starts
# and ends, sorted), each benefit of the window's shop becomes the run of days it
# overlaps, found by binary search (``width_bucket``: the days ending at or before it went
# online come before the run, those starting before it went offline end it; instants are
# whole microseconds), and the runs' union is counted, each run adding the days past every
# earlier run's end.
BENEFIT_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
periods AS (
    SELECT
        p.s,
        p.e,
        array_agg(d ORDER BY d) AS starts,
        array_agg(d + interval '1 day' ORDER BY d) AS ends
    FROM (SELECT DISTINCT s, e FROM w) AS p
    CROSS JOIN LATERAL generate_series(p.s, p.e - interval '1 day', interval '1 day') AS d
    GROUP BY p.s, p.e
),
runs AS (
    SELECT
        w.window_id,
        width_bucket(b.online_from, periods.ends) AS first_day,
        CASE
            WHEN b.online_to IS NULL THEN cardinality(periods.starts)
            ELSE width_bucket(b.online_to - interval '1 microsecond', periods.starts)
        END AS end_day
    FROM w
    JOIN periods ON periods.s = w.s AND periods.e = w.e
    JOIN benefits b
        ON b.shop_id = w.shop_id
        AND b.online_from < periods.ends[cardinality(periods.ends)]
        AND (b.online_to IS NULL OR b.online_to > w.s)
        -- an empty interval overlaps no day
        AND (b.online_to IS NULL OR b.online_to > b.online_from)
),
added AS (
    SELECT
        window_id,
        greatest(
            end_day - greatest(first_day, coalesce(max(end_day) OVER earlier, first_day)),
            0
        ) AS days
    FROM runs
    WINDOW earlier AS (
        PARTITION BY window_id
        ORDER BY first_day, end_day
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    )
)
SELECT window_id, '' AS slice_key, sum(days) AS benefit_online_days
FROM added
GROUP BY window_id
"""
)

BENEFIT_BASES: Final = ("benefit_online_days",)

"""Benefit supply: the days on which at least one benefit was online."""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import WINDOWS_CTE

# $1-$4 as in ORDER_FACTS_SQL; slices and users do not apply. Days are calendar days
# of the session time zone (the business zone). A benefit is online over
# [online_from, online_to).
BENEFIT_FACTS_SQL: Final = (
    WINDOWS_CTE
    + """,
days AS (
    SELECT w.window_id, w.shop_id, d AS day_start, d + interval '1 day' AS day_end
    FROM w
    CROSS JOIN LATERAL generate_series(w.s, w.e - interval '1 day', interval '1 day') AS d
)
SELECT
    window_id,
    '' AS slice_key,
    count(*) FILTER (
        WHERE EXISTS (
            SELECT 1
            FROM benefits b
            WHERE b.shop_id = days.shop_id
              AND b.online_from < days.day_end
              AND (b.online_to IS NULL OR b.online_to > days.day_start)
        )
    ) AS benefit_online_days
FROM days
GROUP BY window_id
"""
)

BENEFIT_BASES: Final = ("benefit_online_days",)

"""SQL pieces every fact statement shares, composed into the statements at import."""

from __future__ import annotations

from typing import Final

# $1-$4: the windows (id, shop, start, end) as parallel arrays.
WINDOWS_CTE: Final = """
WITH w AS (
    SELECT *
    FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::timestamptz[])
        AS w(window_id, shop_id, s, e)
)"""

# The slice key of the user dimensions (alias u = users); missing attributes are unknown.
USER_KEYS: Final = """            WHEN 'GENDER' THEN coalesce(u.gender, 'unknown')
            WHEN 'AGE_BAND' THEN coalesce(u.age_band, 'unknown')
            WHEN 'PROVINCE' THEN coalesce(u.province, 'unknown')
            WHEN 'CROWD' THEN coalesce(u.crowd, 'unknown')"""

"""SQL pieces every fact statement shares, composed into the statements at import."""

from __future__ import annotations

from typing import Final

# $1-$4: the windows (id, shop, start, end) as parallel text arrays (the instants in ISO
# 8601 with their offset). Text arrays, because the driver knows their codec on every
# connection, where an int[] or timestamptz[] parameter costs a type lookup (one more
# statement) on each connection's first fact statement: the families' statements run on
# several connections at once, so any of them may be new.
WINDOWS_CTE: Final = """
WITH w AS (
    SELECT
        w.window_id::int AS window_id,
        w.shop_id,
        w.s::timestamptz AS s,
        w.e::timestamptz AS e
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(window_id, shop_id, s, e)
)"""


def day_windows_cte(ready: str) -> str:
    """The windows as ``WINDOWS_CTE`` takes them, with their first day S and the day after
    their last E (dates), kept only if ``ready`` (a readiness check from code, raising if
    the aggregate read is being rebuilt)."""
    return f"""
WITH w AS MATERIALIZED (  -- each window's days computed once, not once per row
    SELECT
        w.window_id::int AS window_id,
        w.shop_id,
        w.s::date AS s,
        w.e::date AS e
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(window_id, shop_id, s, e)
    -- fails if the rows are not ready (a rebuild began since readiness was read)
    WHERE {ready}
)"""  # noqa: S608 (from code)


def before_s(days: str) -> str:
    """How many of a day's sorted ``days`` (an array column of the row d) lie before the
    window's first day S (w.s): a binary search."""
    return f"width_bucket(w.s - 1, d.{days})"


# The slice key of the user dimensions (alias u = users); missing attributes are unknown.
USER_KEYS: Final = """            WHEN 'GENDER' THEN coalesce(u.gender, 'unknown')
            WHEN 'AGE_BAND' THEN coalesce(u.age_band, 'unknown')
            WHEN 'PROVINCE' THEN coalesce(u.province, 'unknown')
            WHEN 'CROWD' THEN coalesce(u.crowd, 'unknown')"""


def window_facts(table: str, alias: str, at: str) -> str:
    """The FROM clause of a fact statement: each window's rows of ``table`` (aliased
    ``alias``, timed by column ``at``) by one index range scan per window, with their user
    ``u`` and product ``p``, restricted to the users $7 when given. Names come from code."""
    return f"""    FROM w
    -- LATERAL: an index range scan per window, never a scan of every shop's {table}
    CROSS JOIN LATERAL (
        SELECT *
        FROM {table}
        WHERE {table}.shop_id = w.shop_id
          AND {table}.{at} >= w.s
          AND {table}.{at} < w.e
        OFFSET 0  -- keeps the subquery from being flattened into a hash join
    ) {alias}
    LEFT JOIN users u ON u.user_id = {alias}.user_id
    LEFT JOIN products p ON p.product_id = {alias}.product_id
    WHERE ($7::text[] IS NULL OR {alias}.user_id = any($7::text[]))"""  # noqa: S608 (names from code)

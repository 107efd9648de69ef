"""The checks several files share: SQL rules over a staging table and the span row rule.

Each SQL rule is one ``SELECT line, column_name, reason`` over the staging table; a file's
``check_sql`` joins its rules with ``union_all``, in the order its rejects are listed.
Table and column names come from literals in the entity modules, never from a file; the
only value, the shops a load may write, stays the bound parameter ``$1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from service.load.spec import Column, RowCheck, positions

DUPLICATE_KEY_SQL = """
SELECT s.line, '{column}' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM {stage} AS s
JOIN (
    SELECT {key}, min(line) AS first_line
    FROM {stage}
    GROUP BY {key}
    HAVING count(*) > 1
) AS d ON {same_key}
WHERE s.line > d.first_line
"""

TAKEN_BY_ANOTHER_SHOP_SQL = """
SELECT s.line, '{key}' AS column_name, 'already exists for another shop' AS reason
FROM {stage} AS s
JOIN {table} AS t ON t.{key} = s.{key}
WHERE t.shop_id <> s.shop_id
"""

# An empty optional reference is not an unknown one.
UNKNOWN_REFERENCE_SQL = """
SELECT s.line, '{column}' AS column_name, 'unknown {noun}' AS reason
FROM {stage} AS s
WHERE s.{column} IS NOT NULL
AND NOT EXISTS (SELECT FROM {table} AS t WHERE t.{column} = s.{column})
"""

SAME_SHOP_REFERENCE_SQL = """
SELECT
    s.line,
    '{column}' AS column_name,
    CASE WHEN t.{column} IS NULL THEN 'unknown {noun}' ELSE '{noun} of another shop' END AS reason
FROM {stage} AS s
LEFT JOIN {table} AS t ON t.{column} = s.{column}
WHERE s.{column} IS NOT NULL
AND (t.{column} IS NULL OR t.shop_id <> s.shop_id)
"""

# Users and creators belong to no shop: a load limited to some shops may add them, but a
# stored one is shared by every shop, so only an unlimited load may change it. The same
# holds for the columns of a shop that place it among its peers (industry, tier).
CHANGES_PLATFORM_ROW_SQL = """
SELECT
    s.line,
    '{key}' AS column_name,
    'stored with other values; only an admin key may change {what}' AS reason
FROM {stage} AS s
JOIN {table} AS t ON t.{key} = s.{key}
WHERE $1::text[] IS NOT NULL
AND ({stored}) IS DISTINCT FROM ({staged})
"""

OUTSIDE_ALLOWED_SHOPS_SQL = """
SELECT line, 'shop_id' AS column_name, 'not among the shops this load may write' AS reason
FROM {stage}
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""


def duplicate_key_sql(stage: str, *key: str) -> str:
    """Rows repeating an earlier row's key; a one-column key is named, a wider one is ``-``."""
    return DUPLICATE_KEY_SQL.format(
        stage=stage,
        column=key[0] if len(key) == 1 else "-",
        key=", ".join(key),
        same_key=" AND ".join(f"d.{name} = s.{name}" for name in key),
    )


def taken_by_another_shop_sql(stage: str, *, table: str, key: str) -> str:
    """Rows whose key is already stored for another shop: a row never changes shop."""
    return TAKEN_BY_ANOTHER_SHOP_SQL.format(stage=stage, table=table, key=key)


def unknown_reference_sql(stage: str, column: str, *, table: str, noun: str) -> str:
    """Rows whose ``column`` names no row of ``table``."""
    return UNKNOWN_REFERENCE_SQL.format(stage=stage, column=column, table=table, noun=noun)


def same_shop_reference_sql(stage: str, column: str, *, table: str, noun: str) -> str:
    """Rows whose ``column`` names no row of ``table``, or one of another shop."""
    return SAME_SHOP_REFERENCE_SQL.format(stage=stage, column=column, table=table, noun=noun)


def changes_platform_row_sql(
    stage: str, *, table: str, key: str, columns: Sequence[str], what: str
) -> str:
    """Rows that would change the ``columns`` of a stored row (a user, a creator, a shop's
    peer group) when the load is limited to shops; ``key`` names the rejected column."""
    return CHANGES_PLATFORM_ROW_SQL.format(
        stage=stage,
        table=table,
        key=key,
        what=what.replace("'", "''"),  # inside a SQL string literal
        stored=", ".join(f"t.{name}" for name in columns),
        staged=", ".join(f"s.{name}" for name in columns),
    )


def outside_allowed_shops_sql(stage: str) -> str:
    """Rows of a shop the load may not write (``$1``: the shops it may, NULL for all)."""
    return OUTSIDE_ALLOWED_SHOPS_SQL.format(stage=stage)


def union_all(*rules: str) -> str:
    """One statement returning every rule's rows, rule by rule."""
    return "\n" + "\nUNION ALL\n".join(rule.strip("\n") for rule in rules) + "\n"


def span_check(columns: Sequence[Column], *, start: str, end: str) -> RowCheck:
    """The row rule that a span ``[start, end)`` cannot end before it starts."""
    start_at, end_at = positions(columns, start, end)

    def check_span(record: Sequence[object]) -> list[tuple[str, str]]:
        opened, closed = record[start_at], record[end_at]
        if isinstance(closed, datetime) and isinstance(opened, datetime) and closed < opened:
            return [(end, f"before {start}")]
        return []

    return check_span

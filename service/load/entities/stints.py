"""members.csv and fans.csv: a user's stints ``[start, end)`` at a shop, never overlapping.

The two files differ only in names, so each is a `Stint` description and every statement
is composed from it once, at import. Table and column names come only from the two
descriptions at the end of this module, never from a file; values stay bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.load.cells import code_parser, parse_id, parse_timestamp
from service.load.entities.checks import (
    duplicate_key_sql,
    outside_allowed_shops_sql,
    span_check,
    union_all,
    unknown_reference_sql,
)
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity
from vocabulary import JOIN_CHANNELS

# A stored stint with the same key is the one being updated, so the file's version of it
# is what counts; every other stored stint of the same shop and user is kept as it is.
OVERLAP_SQL = """
WITH kept AS (
    SELECT t.shop_id, t.user_id, t.{start}, tstzrange(t.{start}, t.{end}) AS span
    FROM {table} AS t
    WHERE EXISTS (
        SELECT
        FROM {stage} AS s
        WHERE s.shop_id = t.shop_id
        AND s.user_id = t.user_id
    )
    AND NOT EXISTS (
        SELECT
        FROM {stage} AS s
        WHERE s.shop_id = t.shop_id
        AND s.user_id = t.user_id
        AND s.{start} = t.{start}
    )
)
SELECT s.line, '-' AS column_name, 'overlaps the stint at line ' || min(o.line) AS reason
FROM {stage} AS s
JOIN {stage} AS o
    ON o.shop_id = s.shop_id
    AND o.user_id = s.user_id
    AND o.line < s.line
    AND tstzrange(o.{start}, o.{end}) && tstzrange(s.{start}, s.{end})
GROUP BY s.line
UNION ALL
SELECT
    s.line,
    '-',
    'overlaps the stored stint {start_verb} at '
    || to_char(min(k.{start}) AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS')
FROM {stage} AS s
JOIN kept AS k
    ON k.shop_id = s.shop_id
    AND k.user_id = s.user_id
    AND k.span && tstzrange(s.{start}, s.{end})
GROUP BY s.line
"""


@dataclass(frozen=True)
class Stint:
    """One stint file: its table, the columns opening and closing a stint, and any others.

    A stint's key is ``(shop_id, user_id, start)``; the other columns are updated by a
    reload. ``start`` reads ``<verb>_at`` and the verb names a stored stint in overlap
    reasons ("the stored stint joined at …").
    """

    table: str
    start: str
    end: str
    extras: tuple[Column, ...] = ()

    @property
    def columns(self) -> tuple[Column, ...]:
        """The file's columns in staging order: key, extra columns, end."""
        return (
            Column("shop_id", parse_id, "text", required=True),
            Column("user_id", parse_id, "text", required=True),
            Column(self.start, parse_timestamp, "timestamptz", required=True),
            *self.extras,
            Column(self.end, parse_timestamp, "timestamptz"),
        )


def stint_entity(stint: Stint) -> Entity:
    """The loader's description of the stint file ``stint``, its statements built once."""
    stage = f"load_{stint.table}"
    key = ("shop_id", "user_id", stint.start)
    columns = stint.columns
    return Entity(
        file=f"{stint.table}.csv",
        stage_table=stage,
        columns=columns,
        check_sql=union_all(
            duplicate_key_sql(stage, *key),
            unknown_reference_sql(stage, "shop_id", table="shops", noun="shop"),
            unknown_reference_sql(stage, "user_id", table="users", noun="user"),
            outside_allowed_shops_sql(stage),
        ),
        overlap_sql=OVERLAP_SQL.format(
            table=stint.table,
            stage=stage,
            start=stint.start,
            end=stint.end,
            start_verb=stint.start.removesuffix("_at"),
        ),
        merge_sql=upsert_sql(stage, table=stint.table, columns=columns, key=key),
        check_row=span_check(columns, start=stint.start, end=stint.end),
    )


# Membership stints ``[joined_at, left_at)``, with the channel each was joined through.
MEMBERS = stint_entity(
    Stint(
        table="members",
        start="joined_at",
        end="left_at",
        extras=(Column("join_channel", code_parser(JOIN_CHANNELS), "text", required=True),),
    )
)

# Follow stints ``[followed_at, unfollowed_at)``.
FANS = stint_entity(Stint(table="fans", start="followed_at", end="unfollowed_at"))

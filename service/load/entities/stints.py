"""members.csv and fans.csv: a user's stints ``[start, end)`` at a shop, never overlapping.

The two files differ only in names, so each is a `Stint` description and every statement
is composed from it once, at import. Table and column names come only from the two
descriptions at the end of this module, never from a file; values stay bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.load.cells import code_parser, parse_id, parse_timestamp
from service.load.entities.checks import (
    duplicate_key_sql,
    outside_allowed_shops_sql,
    span_check,
    union_all,
    unknown_reference_sql,
)
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity
from service.vocabulary import JOIN_CHANNELS

CREATE_STAGE_SQL = """
CREATE TEMP TABLE {stage} (
    line integer NOT NULL,
    {columns}
) ON COMMIT DROP
"""

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

# ``{updated}`` are the columns after the key: the extra columns and the end.
MERGE_SQL = """
WITH merged AS (
    INSERT INTO {table} AS t (shop_id, user_id, {start}, {updated})
    SELECT s.shop_id, s.user_id, s.{start}, {staged}
    FROM {stage} AS s
    ON CONFLICT (shop_id, user_id, {start}) DO UPDATE
    SET {assignments}
    WHERE ({stored})
        IS DISTINCT FROM ({excluded})
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


@dataclass(frozen=True)
class StagedColumn:
    """A file column and the type of its staging column (NOT NULL when it is required)."""

    column: Column
    sql_type: str

    @property
    def definition(self) -> str:
        """The column's line in the staging table's definition."""
        not_null = " NOT NULL" if self.column.required else ""
        return f"{self.column.name} {self.sql_type}{not_null}"


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
    extras: tuple[StagedColumn, ...] = ()

    @property
    def staged_columns(self) -> tuple[StagedColumn, ...]:
        """The file's columns in staging order: key, extra columns, end."""
        return (
            StagedColumn(Column("shop_id", parse_id, required=True), "text"),
            StagedColumn(Column("user_id", parse_id, required=True), "text"),
            StagedColumn(Column(self.start, parse_timestamp, required=True), "timestamptz"),
            *self.extras,
            StagedColumn(Column(self.end, parse_timestamp), "timestamptz"),
        )

    @property
    def updated(self) -> tuple[str, ...]:
        """The columns a reload of a stored stint may change."""
        return (*(extra.column.name for extra in self.extras), self.end)


def _listed(names: Iterable[str], prefix: str = "") -> str:
    return ", ".join(prefix + name for name in names)


def stint_entity(stint: Stint) -> Entity:
    """The loader's description of the stint file ``stint``, its statements built once."""
    stage = stage_statements(f"load_{stint.table}")
    names = {"table": stint.table, "stage": stage.table, "start": stint.start, "end": stint.end}
    staged_columns = stint.staged_columns
    columns = tuple(staged.column for staged in staged_columns)
    return Entity(
        file=f"{stint.table}.csv",
        stage_table=stage.table,
        columns=columns,
        create_stage_sql=CREATE_STAGE_SQL.format(
            stage=stage.table,
            columns=",\n    ".join(staged.definition for staged in staged_columns),
        ),
        drop_stage_sql=stage.drop_sql,
        analyze_stage_sql=stage.analyze_sql,
        delete_staged_sql=stage.delete_sql,
        check_sql=union_all(
            duplicate_key_sql(stage.table, "shop_id", "user_id", stint.start),
            unknown_reference_sql(stage.table, "shop_id", table="shops", noun="shop"),
            unknown_reference_sql(stage.table, "user_id", table="users", noun="user"),
            outside_allowed_shops_sql(stage.table),
        ),
        overlap_sql=OVERLAP_SQL.format(**names, start_verb=stint.start.removesuffix("_at")),
        merge_sql=MERGE_SQL.format(
            **names,
            updated=_listed(stint.updated),
            staged=_listed(stint.updated, "s."),
            assignments=_listed(f"{name} = EXCLUDED.{name}" for name in stint.updated),
            stored=_listed(stint.updated, "t."),
            excluded=_listed(stint.updated, "EXCLUDED."),
        ),
        check_row=span_check(columns, start=stint.start, end=stint.end),
    )


# Membership stints ``[joined_at, left_at)``, with the channel each was joined through.
MEMBERS = stint_entity(
    Stint(
        table="members",
        start="joined_at",
        end="left_at",
        extras=(
            StagedColumn(Column("join_channel", code_parser(JOIN_CHANNELS), required=True), "text"),
        ),
    )
)

# Follow stints ``[followed_at, unfollowed_at)``.
FANS = stint_entity(Stint(table="fans", start="followed_at", end="unfollowed_at"))

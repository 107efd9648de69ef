"""How one interchange file maps to its staging table, its checks and its target table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from service.load.cells import Parser

# A row rule over one staging record ``(line, *values)``: (column, reason) for each rule
# the row breaks.
RowCheck = Callable[[Sequence[object]], list[tuple[str, str]]]

# The staging table lives only as long as the load's transaction.
CREATE_STAGE_SQL = """
CREATE TEMP TABLE {stage} (
    line integer NOT NULL,
    {columns}
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE {stage}
"""

ANALYZE_STAGE_SQL = """
ANALYZE {stage}
"""

DELETE_STAGED_SQL = """
DELETE FROM {stage}
WHERE line = any($1::integer[])
"""


@dataclass(frozen=True)
class Column:
    """One file column: its name (also the staging column's), parser, staging column type
    and whether required (a required column is NOT NULL in staging)."""

    name: str
    parse: Parser
    sql_type: str
    required: bool = False

    @property
    def definition(self) -> str:
        """The staging column's line in ``CREATE TEMP TABLE``."""
        not_null = " NOT NULL" if self.required else ""
        return f"{self.name} {self.sql_type}{not_null}"


@dataclass(frozen=True)
class Entity:
    """Everything the loader knows about one file.

    The staging table ``stage_table`` has an integer ``line`` column followed by
    ``columns`` in order; the statements that create, analyze, prune and drop it are
    derived from those two. ``check_sql`` returns ``(line, column_name, reason)`` rows and
    takes ``$1`` = the shops the load may write (text[], NULL for all). ``overlap_sql``
    (stint files only) runs once the rows ``check_sql`` rejected are gone, with ``$1`` =
    the business time zone name.
    ``merge_sql`` upserts the staged rows that are left in one statement and returns
    ``(inserted, updated)``; a row whose values did not change is not touched, and a
    row with ``xmax = 0`` is one it inserted (an updated row carries its row lock).
    Table and column names are literals of the entity modules, never a file's text.
    """

    file: str
    stage_table: str
    columns: tuple[Column, ...]
    check_sql: str
    merge_sql: str
    overlap_sql: str | None = None
    check_row: RowCheck | None = None

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        """The file's column names in staging order."""
        return tuple(column.name for column in self.columns)

    @cached_property
    def required_names(self) -> tuple[str, ...]:
        """The columns every header must have."""
        return tuple(column.name for column in self.columns if column.required)

    @cached_property
    def create_stage_sql(self) -> str:
        """Creates the staging table for the load's transaction."""
        return CREATE_STAGE_SQL.format(
            stage=self.stage_table,
            columns=",\n    ".join(column.definition for column in self.columns),
        )

    @cached_property
    def drop_stage_sql(self) -> str:
        """Drops the staging table once its rows are merged."""
        return DROP_STAGE_SQL.format(stage=self.stage_table)

    @cached_property
    def analyze_stage_sql(self) -> str:
        """Gathers the staging table's statistics before the checks join it."""
        return ANALYZE_STAGE_SQL.format(stage=self.stage_table)

    @cached_property
    def delete_staged_sql(self) -> str:
        """Removes the staged rows on the lines ``$1`` (integer[]): the rejected ones."""
        return DELETE_STAGED_SQL.format(stage=self.stage_table)


def positions(columns: Sequence[Column], *names: str) -> tuple[int, ...]:
    """Where the columns ``names`` sit in a staging record ``(line, *values)``."""
    order = [column.name for column in columns]
    return tuple(order.index(name) + 1 for name in names)

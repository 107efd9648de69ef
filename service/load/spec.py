"""How one interchange file maps to its staging table, its checks and its target table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from service.load.cells import Parser

# A row rule over one staging record ``(line, *values)``: (column, reason) for each rule
# the row breaks.
RowCheck = Callable[[Sequence[object]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Column:
    """One file column: its name (also the staging column's), parser and whether required."""

    name: str
    parse: Parser
    required: bool = False


@dataclass(frozen=True)
class Entity:
    """Everything the loader knows about one file.

    The staging table has an integer ``line`` column followed by ``columns`` in order.
    ``check_sql`` returns ``(line, column_name, reason)`` rows and takes ``$1`` = the
    shops the load may write (text[], NULL for all). ``overlap_sql`` (stint files only)
    runs once the rows ``check_sql`` rejected are gone, with ``$1`` = the business time
    zone name.
    ``merge_sql`` upserts the staged rows that are left in one statement and returns
    ``(inserted, updated)``; a row whose values did not change is not touched, and a
    row with ``xmax = 0`` is one it inserted (an updated row carries its row lock).
    """

    file: str
    stage_table: str
    columns: tuple[Column, ...]
    create_stage_sql: str
    drop_stage_sql: str
    analyze_stage_sql: str
    delete_staged_sql: str
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


def positions(columns: Sequence[Column], *names: str) -> tuple[int, ...]:
    """Where the columns ``names`` sit in a staging record ``(line, *values)``."""
    order = [column.name for column in columns]
    return tuple(order.index(name) + 1 for name in names)

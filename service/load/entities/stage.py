"""The upkeep statements of a staging table, the same for every file but for its name."""

from __future__ import annotations

from dataclasses import dataclass

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
class StageStatements:
    """A staging table's name and the statements that drop, analyze and prune it."""

    table: str
    drop_sql: str
    analyze_sql: str
    delete_sql: str


def stage_statements(table: str) -> StageStatements:
    """The statements for the staging table ``table``, a name fixed in an entity module."""
    return StageStatements(
        table=table,
        drop_sql=DROP_STAGE_SQL.format(stage=table),
        analyze_sql=ANALYZE_STAGE_SQL.format(stage=table),
        delete_sql=DELETE_STAGED_SQL.format(stage=table),
    )

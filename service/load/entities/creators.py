"""creators.csv: the influencers who sell shops' goods in their lives and videos."""

from __future__ import annotations

from service.load.cells import parse_id, parse_text
from service.load.entities.checks import changes_platform_row_sql, duplicate_key_sql, union_all
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity

STAGE = stage_statements("load_creators")

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_creators (
    line integer NOT NULL,
    creator_id text NOT NULL,
    name text NOT NULL
) ON COMMIT DROP
"""

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "creator_id"),
    changes_platform_row_sql(
        STAGE.table,
        table="creators",
        key="creator_id",
        columns=("name",),
        what="a platform-wide creator",
    ),
)

MERGE_SQL = """
WITH merged AS (
    INSERT INTO creators AS t (creator_id, name)
    SELECT s.creator_id, s.name
    FROM load_creators AS s
    ON CONFLICT (creator_id) DO UPDATE
    SET name = EXCLUDED.name
    WHERE t.name IS DISTINCT FROM EXCLUDED.name
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""

CREATORS = Entity(
    file="creators.csv",
    stage_table=STAGE.table,
    columns=(
        Column("creator_id", parse_id, required=True),
        Column("name", parse_text, required=True),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

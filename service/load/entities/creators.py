"""creators.csv: the influencers who sell shops' goods in their lives and videos."""

from __future__ import annotations

from service.load.cells import parse_id, parse_text
from service.load.spec import Column, Entity

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_creators (
    line integer NOT NULL,
    creator_id text NOT NULL,
    name text NOT NULL
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_creators
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_creators
"""

DELETE_STAGED_SQL = """
DELETE FROM load_creators
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'creator_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_creators AS s
JOIN (
    SELECT creator_id, min(line) AS first_line
    FROM load_creators
    GROUP BY creator_id
    HAVING count(*) > 1
) AS d ON d.creator_id = s.creator_id
WHERE s.line > d.first_line
"""

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
    stage_table="load_creators",
    columns=(
        Column("creator_id", parse_id, required=True),
        Column("name", parse_text, required=True),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    shop_scoped=False,
)

"""users.csv: platform-wide people and their profile attributes (`unknown` is stored as null)."""

from __future__ import annotations

from service.load.cells import attribute_parser, parse_id
from service.load.spec import Column, Entity
from service.vocabulary import AGE_BANDS, CROWDS, GENDERS

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_users (
    line integer NOT NULL,
    user_id text NOT NULL,
    gender text,
    age_band text,
    province text,
    crowd text
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_users
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_users
"""

DELETE_STAGED_SQL = """
DELETE FROM load_users
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'user_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_users AS s
JOIN (
    SELECT user_id, min(line) AS first_line
    FROM load_users
    GROUP BY user_id
    HAVING count(*) > 1
) AS d ON d.user_id = s.user_id
WHERE s.line > d.first_line
"""

MERGE_SQL = """
WITH merged AS (
    INSERT INTO users AS t (user_id, gender, age_band, province, crowd)
    SELECT s.user_id, s.gender, s.age_band, s.province, s.crowd
    FROM load_users AS s
    ON CONFLICT (user_id) DO UPDATE
    SET
        gender = EXCLUDED.gender,
        age_band = EXCLUDED.age_band,
        province = EXCLUDED.province,
        crowd = EXCLUDED.crowd
    WHERE (t.gender, t.age_band, t.province, t.crowd)
        IS DISTINCT FROM (EXCLUDED.gender, EXCLUDED.age_band, EXCLUDED.province, EXCLUDED.crowd)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""

USERS = Entity(
    file="users.csv",
    stage_table="load_users",
    columns=(
        Column("user_id", parse_id, required=True),
        Column("gender", attribute_parser(GENDERS)),
        Column("age_band", attribute_parser(AGE_BANDS)),
        Column("province", attribute_parser(None)),
        Column("crowd", attribute_parser(CROWDS)),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    shop_scoped=False,
)

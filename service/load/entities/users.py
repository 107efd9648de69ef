"""users.csv: platform-wide people and their profile attributes (`unknown` is stored as null)."""

from __future__ import annotations

from service.load.cells import attribute_parser, parse_id
from service.load.entities.checks import changes_platform_row_sql, duplicate_key_sql, union_all
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity
from service.vocabulary import AGE_BANDS, CROWDS, GENDERS

STAGE = stage_statements("load_users")

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

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "user_id"),
    changes_platform_row_sql(
        STAGE.table,
        table="users",
        key="user_id",
        columns=("gender", "age_band", "province", "crowd"),
        what="a platform-wide user",
    ),
)

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
    stage_table=STAGE.table,
    columns=(
        Column("user_id", parse_id, required=True),
        Column("gender", attribute_parser(GENDERS)),
        Column("age_band", attribute_parser(AGE_BANDS)),
        Column("province", attribute_parser(None)),
        Column("crowd", attribute_parser(CROWDS)),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

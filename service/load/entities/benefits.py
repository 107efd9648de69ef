"""benefits.csv: member benefits a shop offers, online over ``[online_from, online_to)``."""

from __future__ import annotations

from service.load.cells import code_parser, parse_id, parse_text, parse_timestamp
from service.load.entities.checks import (
    duplicate_key_sql,
    outside_allowed_shops_sql,
    span_check,
    taken_by_another_shop_sql,
    union_all,
    unknown_reference_sql,
)
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity
from service.vocabulary import BENEFIT_KINDS

STAGE = stage_statements("load_benefits")

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_benefits (
    line integer NOT NULL,
    benefit_id text NOT NULL,
    shop_id text NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    online_from timestamptz NOT NULL,
    online_to timestamptz
) ON COMMIT DROP
"""

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "benefit_id"),
    taken_by_another_shop_sql(STAGE.table, table="benefits", key="benefit_id"),
    unknown_reference_sql(STAGE.table, "shop_id", table="shops", noun="shop"),
    outside_allowed_shops_sql(STAGE.table),
)

MERGE_SQL = """
WITH merged AS (
    INSERT INTO benefits AS t (benefit_id, shop_id, kind, name, online_from, online_to)
    SELECT s.benefit_id, s.shop_id, s.kind, s.name, s.online_from, s.online_to
    FROM load_benefits AS s
    ON CONFLICT (benefit_id) DO UPDATE
    SET
        kind = EXCLUDED.kind,
        name = EXCLUDED.name,
        online_from = EXCLUDED.online_from,
        online_to = EXCLUDED.online_to
    WHERE (t.kind, t.name, t.online_from, t.online_to)
        IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.online_from, EXCLUDED.online_to)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


COLUMNS = (
    Column("benefit_id", parse_id, required=True),
    Column("shop_id", parse_id, required=True),
    Column("kind", code_parser(BENEFIT_KINDS), required=True),
    Column("name", parse_text, required=True),
    Column("online_from", parse_timestamp, required=True),
    Column("online_to", parse_timestamp),
)

BENEFITS = Entity(
    file="benefits.csv",
    stage_table=STAGE.table,
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    check_row=span_check(COLUMNS, start="online_from", end="online_to"),
)

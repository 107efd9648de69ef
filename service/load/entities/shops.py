"""shops.csv: the tenants, each with its industry and size tier."""

from __future__ import annotations

from service.load.cells import parse_id, parse_text, parse_tier, parse_timestamp
from service.load.entities.checks import (
    changes_platform_row_sql,
    duplicate_key_sql,
    outside_allowed_shops_sql,
    union_all,
)
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity

STAGE = stage_statements("load_shops")

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_shops (
    line integer NOT NULL,
    shop_id text NOT NULL,
    name text NOT NULL,
    industry text NOT NULL,
    tier smallint NOT NULL,
    opened_at timestamptz
) ON COMMIT DROP
"""

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "shop_id"),
    outside_allowed_shops_sql(STAGE.table),
    # industry and tier choose the shop's peers, whose figures other shops see
    changes_platform_row_sql(
        STAGE.table,
        table="shops",
        key="shop_id",
        columns=("industry", "tier"),
        what="a shop's industry or tier",
    ),
)

MERGE_SQL = """
WITH merged AS (
    INSERT INTO shops AS t (shop_id, name, industry, tier, opened_at)
    SELECT s.shop_id, s.name, s.industry, s.tier, s.opened_at
    FROM load_shops AS s
    ON CONFLICT (shop_id) DO UPDATE
    SET
        name = EXCLUDED.name,
        industry = EXCLUDED.industry,
        tier = EXCLUDED.tier,
        opened_at = EXCLUDED.opened_at
    WHERE (t.name, t.industry, t.tier, t.opened_at)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.industry, EXCLUDED.tier, EXCLUDED.opened_at)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""

SHOPS = Entity(
    file="shops.csv",
    stage_table=STAGE.table,
    columns=(
        Column("shop_id", parse_id, required=True),
        Column("name", parse_text, required=True),
        # industry groups peers, so it follows the id rules: no stray spaces splitting a group.
        Column("industry", parse_id, required=True),
        Column("tier", parse_tier, required=True),
        Column("opened_at", parse_timestamp),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

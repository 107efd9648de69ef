"""shops.csv: the tenants, each with its industry and size tier."""

from __future__ import annotations

from service.load.cells import parse_id, parse_text, parse_tier, parse_timestamp
from service.load.spec import Column, Entity

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

DROP_STAGE_SQL = """
DROP TABLE load_shops
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_shops
"""

DELETE_STAGED_SQL = """
DELETE FROM load_shops
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'shop_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_shops AS s
JOIN (
    SELECT shop_id, min(line) AS first_line
    FROM load_shops
    GROUP BY shop_id
    HAVING count(*) > 1
) AS d ON d.shop_id = s.shop_id
WHERE s.line > d.first_line
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_shops
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

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
    stage_table="load_shops",
    columns=(
        Column("shop_id", parse_id, required=True),
        Column("name", parse_text, required=True),
        # industry groups peers, so it follows the id rules: no stray spaces splitting a group.
        Column("industry", parse_id, required=True),
        Column("tier", parse_tier, required=True),
        Column("opened_at", parse_timestamp),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

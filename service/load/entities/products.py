"""products.csv: each shop's goods, with category and list price."""

from __future__ import annotations

from service.load.cells import parse_id, parse_money, parse_text, parse_timestamp
from service.load.spec import Column, Entity

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_products (
    line integer NOT NULL,
    product_id text NOT NULL,
    shop_id text NOT NULL,
    name text NOT NULL,
    category text NOT NULL,
    price numeric(14, 2) NOT NULL,
    listed_at timestamptz
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_products
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_products
"""

DELETE_STAGED_SQL = """
DELETE FROM load_products
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'product_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_products AS s
JOIN (
    SELECT product_id, min(line) AS first_line
    FROM load_products
    GROUP BY product_id
    HAVING count(*) > 1
) AS d ON d.product_id = s.product_id
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'product_id', 'already exists for another shop'
FROM load_products AS s
JOIN products AS t ON t.product_id = s.product_id
WHERE t.shop_id <> s.shop_id
UNION ALL
SELECT s.line, 'shop_id', 'unknown shop'
FROM load_products AS s
WHERE NOT EXISTS (SELECT FROM shops AS t WHERE t.shop_id = s.shop_id)
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_products
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

MERGE_SQL = """
WITH merged AS (
    INSERT INTO products AS t (product_id, shop_id, name, category, price, listed_at)
    SELECT s.product_id, s.shop_id, s.name, s.category, s.price, s.listed_at
    FROM load_products AS s
    ON CONFLICT (product_id) DO UPDATE
    SET
        name = EXCLUDED.name,
        category = EXCLUDED.category,
        price = EXCLUDED.price,
        listed_at = EXCLUDED.listed_at
    WHERE (t.name, t.category, t.price, t.listed_at)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.category, EXCLUDED.price, EXCLUDED.listed_at)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""

PRODUCTS = Entity(
    file="products.csv",
    stage_table="load_products",
    columns=(
        Column("product_id", parse_id, required=True),
        Column("shop_id", parse_id, required=True),
        Column("name", parse_text, required=True),
        Column("category", parse_text, required=True),
        Column("price", parse_money, required=True),
        Column("listed_at", parse_timestamp),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

"""products.csv: each shop's goods, with category and list price."""

from __future__ import annotations

from service.load.cells import parse_id, parse_money, parse_text, parse_timestamp
from service.load.entities.checks import (
    duplicate_key_sql,
    outside_allowed_shops_sql,
    taken_by_another_shop_sql,
    union_all,
    unknown_reference_sql,
)
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity

STAGE = stage_statements("load_products")

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

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "product_id"),
    taken_by_another_shop_sql(STAGE.table, table="products", key="product_id"),
    unknown_reference_sql(STAGE.table, "shop_id", table="shops", noun="shop"),
    outside_allowed_shops_sql(STAGE.table),
)

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
    stage_table=STAGE.table,
    columns=(
        Column("product_id", parse_id, required=True),
        Column("shop_id", parse_id, required=True),
        Column("name", parse_text, required=True),
        Column("category", parse_text, required=True),
        Column("price", parse_money, required=True),
        Column("listed_at", parse_timestamp),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

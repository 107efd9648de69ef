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
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity

STAGE = "load_products"

COLUMNS = (
    Column("product_id", parse_id, "text", required=True),
    Column("shop_id", parse_id, "text", required=True),
    Column("name", parse_text, "text", required=True),
    Column("category", parse_text, "text", required=True),
    Column("price", parse_money, "numeric(14, 2)", required=True),
    Column("listed_at", parse_timestamp, "timestamptz"),
)

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "product_id"),
    taken_by_another_shop_sql(STAGE, table="products", key="product_id"),
    unknown_reference_sql(STAGE, "shop_id", table="shops", noun="shop"),
    outside_allowed_shops_sql(STAGE),
)

PRODUCTS = Entity(
    file="products.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(
        STAGE, table="products", columns=COLUMNS, key=("product_id",), kept=("shop_id",)
    ),
)

"""shops.csv: the tenants, each with its industry and size tier."""

from __future__ import annotations

from service.load.cells import parse_id, parse_text, parse_tier, parse_timestamp
from service.load.entities.checks import (
    changes_platform_row_sql,
    duplicate_key_sql,
    outside_allowed_shops_sql,
    union_all,
)
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity

STAGE = "load_shops"

COLUMNS = (
    Column("shop_id", parse_id, "text", required=True),
    Column("name", parse_text, "text", required=True),
    # industry groups peers, so it follows the id rules: no stray spaces splitting a group.
    Column("industry", parse_id, "text", required=True),
    Column("tier", parse_tier, "smallint", required=True),
    Column("opened_at", parse_timestamp, "timestamptz"),
)

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "shop_id"),
    outside_allowed_shops_sql(STAGE),
    # industry and tier choose the shop's peers, whose figures other shops see
    changes_platform_row_sql(
        STAGE,
        table="shops",
        key="shop_id",
        columns=("industry", "tier"),
        what="a shop's industry or tier",
    ),
)

SHOPS = Entity(
    file="shops.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(STAGE, table="shops", columns=COLUMNS, key=("shop_id",)),
)

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
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity
from vocabulary import BENEFIT_KINDS

STAGE = "load_benefits"

COLUMNS = (
    Column("benefit_id", parse_id, "text", required=True),
    Column("shop_id", parse_id, "text", required=True),
    Column("kind", code_parser(BENEFIT_KINDS), "text", required=True),
    Column("name", parse_text, "text", required=True),
    Column("online_from", parse_timestamp, "timestamptz", required=True),
    Column("online_to", parse_timestamp, "timestamptz"),
)

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "benefit_id"),
    taken_by_another_shop_sql(STAGE, table="benefits", key="benefit_id"),
    unknown_reference_sql(STAGE, "shop_id", table="shops", noun="shop"),
    outside_allowed_shops_sql(STAGE),
)

BENEFITS = Entity(
    file="benefits.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(
        STAGE, table="benefits", columns=COLUMNS, key=("benefit_id",), kept=("shop_id",)
    ),
    check_row=span_check(COLUMNS, start="online_from", end="online_to"),
)

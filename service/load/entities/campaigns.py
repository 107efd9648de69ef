"""campaigns.csv: a shop's outreach campaigns (触达) and what they cost."""

from __future__ import annotations

from service.load.cells import code_parser, parse_id, parse_money, parse_text
from service.load.entities.checks import (
    duplicate_key_sql,
    outside_allowed_shops_sql,
    taken_by_another_shop_sql,
    union_all,
    unknown_reference_sql,
)
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity
from vocabulary import REACH_CHANNELS

STAGE = "load_campaigns"

COLUMNS = (
    Column("campaign_id", parse_id, "text", required=True),
    Column("shop_id", parse_id, "text", required=True),
    Column("channel", code_parser(REACH_CHANNELS), "text", required=True),
    Column("name", parse_text, "text", required=True),
    Column("cost", parse_money, "numeric(14, 2)"),
)

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "campaign_id"),
    taken_by_another_shop_sql(STAGE, table="campaigns", key="campaign_id"),
    unknown_reference_sql(STAGE, "shop_id", table="shops", noun="shop"),
    outside_allowed_shops_sql(STAGE),
)

CAMPAIGNS = Entity(
    file="campaigns.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(
        STAGE, table="campaigns", columns=COLUMNS, key=("campaign_id",), kept=("shop_id",)
    ),
)

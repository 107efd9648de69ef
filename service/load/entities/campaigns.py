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
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity
from service.vocabulary import REACH_CHANNELS

STAGE = stage_statements("load_campaigns")

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_campaigns (
    line integer NOT NULL,
    campaign_id text NOT NULL,
    shop_id text NOT NULL,
    channel text NOT NULL,
    name text NOT NULL,
    cost numeric(14, 2)
) ON COMMIT DROP
"""

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "campaign_id"),
    taken_by_another_shop_sql(STAGE.table, table="campaigns", key="campaign_id"),
    unknown_reference_sql(STAGE.table, "shop_id", table="shops", noun="shop"),
    outside_allowed_shops_sql(STAGE.table),
)

MERGE_SQL = """
WITH merged AS (
    INSERT INTO campaigns AS t (campaign_id, shop_id, channel, name, cost)
    SELECT s.campaign_id, s.shop_id, s.channel, s.name, s.cost
    FROM load_campaigns AS s
    ON CONFLICT (campaign_id) DO UPDATE
    SET channel = EXCLUDED.channel, name = EXCLUDED.name, cost = EXCLUDED.cost
    WHERE (t.channel, t.name, t.cost)
        IS DISTINCT FROM (EXCLUDED.channel, EXCLUDED.name, EXCLUDED.cost)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""

CAMPAIGNS = Entity(
    file="campaigns.csv",
    stage_table=STAGE.table,
    columns=(
        Column("campaign_id", parse_id, required=True),
        Column("shop_id", parse_id, required=True),
        Column("channel", code_parser(REACH_CHANNELS), required=True),
        Column("name", parse_text, required=True),
        Column("cost", parse_money),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

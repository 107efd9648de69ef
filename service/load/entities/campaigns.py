"""campaigns.csv: a shop's outreach campaigns (触达) and what they cost."""

from __future__ import annotations

from service.load.cells import code_parser, parse_id, parse_money, parse_text
from service.load.spec import Column, Entity
from service.vocabulary import REACH_CHANNELS

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

DROP_STAGE_SQL = """
DROP TABLE load_campaigns
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_campaigns
"""

DELETE_STAGED_SQL = """
DELETE FROM load_campaigns
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'campaign_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_campaigns AS s
JOIN (
    SELECT campaign_id, min(line) AS first_line
    FROM load_campaigns
    GROUP BY campaign_id
    HAVING count(*) > 1
) AS d ON d.campaign_id = s.campaign_id
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'campaign_id', 'already exists for another shop'
FROM load_campaigns AS s
JOIN campaigns AS t ON t.campaign_id = s.campaign_id
WHERE t.shop_id <> s.shop_id
UNION ALL
SELECT s.line, 'shop_id', 'unknown shop'
FROM load_campaigns AS s
WHERE NOT EXISTS (SELECT FROM shops AS t WHERE t.shop_id = s.shop_id)
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_campaigns
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

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
    stage_table="load_campaigns",
    columns=(
        Column("campaign_id", parse_id, required=True),
        Column("shop_id", parse_id, required=True),
        Column("channel", code_parser(REACH_CHANNELS), required=True),
        Column("name", parse_text, required=True),
        Column("cost", parse_money),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

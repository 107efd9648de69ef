"""reach.csv: one row per outreach message sent; the shop is the campaign's."""

from __future__ import annotations

from service.load.cells import parse_id, parse_timestamp
from service.load.entities.checks import duplicate_key_sql, union_all, unknown_reference_sql
from service.load.spec import Column, Entity

STAGE = "load_reach"

# A reach row has no shop column: its shop is its campaign's.
CAMPAIGN_OF_ALLOWED_SHOPS_SQL = """
SELECT s.line, 'campaign_id' AS column_name, 'campaign of a shop this load may not write' AS reason
FROM load_reach AS s
JOIN campaigns AS t ON t.campaign_id = s.campaign_id
WHERE $1::text[] IS NOT NULL
AND NOT t.shop_id = any($1::text[])
"""

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "campaign_id", "user_id", "sent_at"),
    unknown_reference_sql(STAGE, "campaign_id", table="campaigns", noun="campaign"),
    unknown_reference_sql(STAGE, "user_id", table="users", noun="user"),
    CAMPAIGN_OF_ALLOWED_SHOPS_SQL,
)

# Every reach column is part of the key and a campaign never changes shop, so a stored row
# is never updated: it is either new or unchanged.
MERGE_SQL = """
WITH merged AS (
    INSERT INTO reach (campaign_id, user_id, sent_at, shop_id)
    SELECT s.campaign_id, s.user_id, s.sent_at, c.shop_id
    FROM load_reach AS s
    JOIN campaigns AS c ON c.campaign_id = s.campaign_id
    ORDER BY c.shop_id, s.sent_at  -- a shop's sends together on disk
    ON CONFLICT (campaign_id, user_id, sent_at) DO NOTHING
    RETURNING 1
)
SELECT count(*) AS inserted, 0 AS updated
FROM merged
"""

REACH = Entity(
    file="reach.csv",
    stage_table=STAGE,
    columns=(
        Column("campaign_id", parse_id, "text", required=True),
        Column("user_id", parse_id, "text", required=True),
        Column("sent_at", parse_timestamp, "timestamptz", required=True),
    ),
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

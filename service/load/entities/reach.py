"""reach.csv: one row per outreach message sent; the shop is the campaign's."""

from __future__ import annotations

from service.load.cells import parse_id, parse_timestamp
from service.load.spec import Column, Entity

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_reach (
    line integer NOT NULL,
    campaign_id text NOT NULL,
    user_id text NOT NULL,
    sent_at timestamptz NOT NULL
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_reach
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_reach
"""

DELETE_STAGED_SQL = """
DELETE FROM load_reach
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, '-' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_reach AS s
JOIN (
    SELECT campaign_id, user_id, sent_at, min(line) AS first_line
    FROM load_reach
    GROUP BY campaign_id, user_id, sent_at
    HAVING count(*) > 1
) AS d ON d.campaign_id = s.campaign_id AND d.user_id = s.user_id AND d.sent_at = s.sent_at
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'campaign_id', 'unknown campaign'
FROM load_reach AS s
WHERE NOT EXISTS (SELECT FROM campaigns AS t WHERE t.campaign_id = s.campaign_id)
UNION ALL
SELECT s.line, 'user_id', 'unknown user'
FROM load_reach AS s
WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.user_id = s.user_id)
UNION ALL
SELECT s.line, 'campaign_id', 'campaign of a shop this load may not write'
FROM load_reach AS s
JOIN campaigns AS t ON t.campaign_id = s.campaign_id
WHERE $1::text[] IS NOT NULL
AND NOT t.shop_id = any($1::text[])
"""

# Every reach column is part of the key and a campaign never changes shop, so a stored row
# is never updated: it is either new or unchanged.
MERGE_SQL = """
WITH merged AS (
    INSERT INTO reach (campaign_id, user_id, sent_at, shop_id)
    SELECT s.campaign_id, s.user_id, s.sent_at, c.shop_id
    FROM load_reach AS s
    JOIN campaigns AS c ON c.campaign_id = s.campaign_id
    ON CONFLICT (campaign_id, user_id, sent_at) DO NOTHING
    RETURNING 1
)
SELECT count(*) AS inserted, 0 AS updated
FROM merged
"""

REACH = Entity(
    file="reach.csv",
    stage_table="load_reach",
    columns=(
        Column("campaign_id", parse_id, required=True),
        Column("user_id", parse_id, required=True),
        Column("sent_at", parse_timestamp, required=True),
    ),
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
)

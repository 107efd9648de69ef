"""benefits.csv: member benefits a shop offers, online over ``[online_from, online_to)``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from service.load.cells import code_parser, parse_id, parse_text, parse_timestamp
from service.load.spec import Column, Entity, positions
from service.vocabulary import BENEFIT_KINDS

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_benefits (
    line integer NOT NULL,
    benefit_id text NOT NULL,
    shop_id text NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    online_from timestamptz NOT NULL,
    online_to timestamptz
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_benefits
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_benefits
"""

DELETE_STAGED_SQL = """
DELETE FROM load_benefits
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'benefit_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_benefits AS s
JOIN (
    SELECT benefit_id, min(line) AS first_line
    FROM load_benefits
    GROUP BY benefit_id
    HAVING count(*) > 1
) AS d ON d.benefit_id = s.benefit_id
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'benefit_id', 'already exists for another shop'
FROM load_benefits AS s
JOIN benefits AS t ON t.benefit_id = s.benefit_id
WHERE t.shop_id <> s.shop_id
UNION ALL
SELECT s.line, 'shop_id', 'unknown shop'
FROM load_benefits AS s
WHERE NOT EXISTS (SELECT FROM shops AS t WHERE t.shop_id = s.shop_id)
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_benefits
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

MERGE_SQL = """
WITH merged AS (
    INSERT INTO benefits AS t (benefit_id, shop_id, kind, name, online_from, online_to)
    SELECT s.benefit_id, s.shop_id, s.kind, s.name, s.online_from, s.online_to
    FROM load_benefits AS s
    ON CONFLICT (benefit_id) DO UPDATE
    SET
        kind = EXCLUDED.kind,
        name = EXCLUDED.name,
        online_from = EXCLUDED.online_from,
        online_to = EXCLUDED.online_to
    WHERE (t.kind, t.name, t.online_from, t.online_to)
        IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.online_from, EXCLUDED.online_to)
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


COLUMNS = (
    Column("benefit_id", parse_id, required=True),
    Column("shop_id", parse_id, required=True),
    Column("kind", code_parser(BENEFIT_KINDS), required=True),
    Column("name", parse_text, required=True),
    Column("online_from", parse_timestamp, required=True),
    Column("online_to", parse_timestamp),
)
ONLINE_FROM, ONLINE_TO = positions(COLUMNS, "online_from", "online_to")


def check_benefit(record: Sequence[object]) -> list[tuple[str, str]]:
    """A benefit cannot go offline before it goes online."""
    online_from, online_to = record[ONLINE_FROM], record[ONLINE_TO]
    if isinstance(online_to, datetime) and isinstance(online_from, datetime):
        if online_to < online_from:
            return [("online_to", "before online_from")]
    return []


BENEFITS = Entity(
    file="benefits.csv",
    stage_table="load_benefits",
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    check_row=check_benefit,
)

"""events.csv: behaviour events (visits, watches, product impressions and clicks, claims)."""

from __future__ import annotations

from collections.abc import Sequence

from service.load.cells import code_parser, parse_id, parse_timestamp
from service.load.spec import Column, Entity, positions
from service.vocabulary import CARRIERS, ENTRIES, EVENT_TYPES

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_events (
    line integer NOT NULL,
    event_id text NOT NULL,
    shop_id text NOT NULL,
    user_id text NOT NULL,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    product_id text,
    carrier text,
    entry text,
    benefit_id text
) ON COMMIT DROP
"""

DROP_STAGE_SQL = """
DROP TABLE load_events
"""

ANALYZE_STAGE_SQL = """
ANALYZE load_events
"""

DELETE_STAGED_SQL = """
DELETE FROM load_events
WHERE line = any($1::integer[])
"""

CHECK_SQL = """
SELECT s.line, 'event_id' AS column_name, 'duplicate of line ' || d.first_line AS reason
FROM load_events AS s
JOIN (
    SELECT event_id, min(line) AS first_line
    FROM load_events
    GROUP BY event_id
    HAVING count(*) > 1
) AS d ON d.event_id = s.event_id
WHERE s.line > d.first_line
UNION ALL
SELECT s.line, 'event_id', 'already exists for another shop'
FROM load_events AS s
JOIN events AS t ON t.event_id = s.event_id
WHERE t.shop_id <> s.shop_id
UNION ALL
SELECT s.line, 'shop_id', 'unknown shop'
FROM load_events AS s
WHERE NOT EXISTS (SELECT FROM shops AS t WHERE t.shop_id = s.shop_id)
UNION ALL
SELECT s.line, 'user_id', 'unknown user'
FROM load_events AS s
WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.user_id = s.user_id)
UNION ALL
SELECT
    s.line,
    'product_id',
    CASE WHEN t.product_id IS NULL THEN 'unknown product' ELSE 'product of another shop' END
FROM load_events AS s
LEFT JOIN products AS t ON t.product_id = s.product_id
WHERE s.product_id IS NOT NULL
AND (t.product_id IS NULL OR t.shop_id <> s.shop_id)
UNION ALL
SELECT
    s.line,
    'benefit_id',
    CASE WHEN t.benefit_id IS NULL THEN 'unknown benefit' ELSE 'benefit of another shop' END
FROM load_events AS s
LEFT JOIN benefits AS t ON t.benefit_id = s.benefit_id
WHERE s.benefit_id IS NOT NULL
AND (t.benefit_id IS NULL OR t.shop_id <> s.shop_id)
UNION ALL
SELECT line, 'shop_id', 'not among the shops this load may write'
FROM load_events
WHERE $1::text[] IS NOT NULL
AND NOT shop_id = any($1::text[])
"""

MERGE_SQL = """
WITH merged AS (
    INSERT INTO events AS t (
        event_id, shop_id, user_id, type, occurred_at, product_id, carrier, entry,
        benefit_id
    )
    SELECT
        s.event_id, s.shop_id, s.user_id, s.type, s.occurred_at, s.product_id, s.carrier,
        s.entry, s.benefit_id
    FROM load_events AS s
    ON CONFLICT (event_id) DO UPDATE
    SET
        user_id = EXCLUDED.user_id,
        type = EXCLUDED.type,
        occurred_at = EXCLUDED.occurred_at,
        product_id = EXCLUDED.product_id,
        carrier = EXCLUDED.carrier,
        entry = EXCLUDED.entry,
        benefit_id = EXCLUDED.benefit_id
    WHERE (
        t.user_id, t.type, t.occurred_at, t.product_id, t.carrier, t.entry, t.benefit_id
    ) IS DISTINCT FROM (
        EXCLUDED.user_id, EXCLUDED.type, EXCLUDED.occurred_at, EXCLUDED.product_id,
        EXCLUDED.carrier, EXCLUDED.entry, EXCLUDED.benefit_id
    )
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""

PRODUCT_EVENTS = ("product_impression", "product_click")

COLUMNS = (
    Column("event_id", parse_id, required=True),
    Column("shop_id", parse_id, required=True),
    Column("user_id", parse_id, required=True),
    Column("type", code_parser(EVENT_TYPES), required=True),
    Column("occurred_at", parse_timestamp, required=True),
    Column("product_id", parse_id),
    Column("carrier", code_parser(CARRIERS)),
    Column("entry", code_parser(ENTRIES)),
    Column("benefit_id", parse_id),
)
(
    TYPE,
    PRODUCT_ID,
    CARRIER,
    ENTRY,
    BENEFIT_ID,
) = positions(
    COLUMNS,
    "type",
    "product_id",
    "carrier",
    "entry",
    "benefit_id",
)


def check_event(record: Sequence[object]) -> list[tuple[str, str]]:
    """Product events carry their product and carrier; claims carry their benefit."""
    problems: list[tuple[str, str]] = []
    kind, carrier, entry = record[TYPE], record[CARRIER], record[ENTRY]
    if kind in PRODUCT_EVENTS:
        if record[PRODUCT_ID] is None:
            problems.append(("product_id", f"required for {kind} events"))
        if carrier is None:
            problems.append(("carrier", f"required for {kind} events"))
        elif carrier == "product_card" and entry is None:
            problems.append(("entry", "required when carrier is product_card"))
    if kind == "benefit_claim" and record[BENEFIT_ID] is None:
        problems.append(("benefit_id", "required for benefit_claim events"))
    if entry is not None and carrier != "product_card":
        problems.append(("entry", "only allowed when carrier is product_card"))
    return problems


EVENTS = Entity(
    file="events.csv",
    stage_table="load_events",
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=DROP_STAGE_SQL,
    analyze_stage_sql=ANALYZE_STAGE_SQL,
    delete_staged_sql=DELETE_STAGED_SQL,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    check_row=check_event,
)

"""events.csv: behaviour events (visits, watches, product impressions and clicks, claims)."""

from __future__ import annotations

from collections.abc import Sequence

from service.load.cells import code_parser, parse_id, parse_timestamp
from service.load.entities.checks import (
    duplicate_key_sql,
    outside_allowed_shops_sql,
    same_shop_reference_sql,
    taken_by_another_shop_sql,
    union_all,
    unknown_reference_sql,
)
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity, positions
from service.vocabulary import CARRIERS, ENTRIES, EVENT_TYPES

STAGE = stage_statements("load_events")

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

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "event_id"),
    taken_by_another_shop_sql(STAGE.table, table="events", key="event_id"),
    unknown_reference_sql(STAGE.table, "shop_id", table="shops", noun="shop"),
    unknown_reference_sql(STAGE.table, "user_id", table="users", noun="user"),
    same_shop_reference_sql(STAGE.table, "product_id", table="products", noun="product"),
    same_shop_reference_sql(STAGE.table, "benefit_id", table="benefits", noun="benefit"),
    outside_allowed_shops_sql(STAGE.table),
)

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
    stage_table=STAGE.table,
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    check_row=check_event,
)

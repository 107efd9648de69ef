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
from service.load.entities.merge import upsert_sql
from service.load.spec import Column, Entity, positions
from vocabulary import CARRIERS, ENTRIES, EVENT_TYPES

STAGE = "load_events"

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "event_id"),
    taken_by_another_shop_sql(STAGE, table="events", key="event_id"),
    unknown_reference_sql(STAGE, "shop_id", table="shops", noun="shop"),
    unknown_reference_sql(STAGE, "user_id", table="users", noun="user"),
    same_shop_reference_sql(STAGE, "product_id", table="products", noun="product"),
    same_shop_reference_sql(STAGE, "benefit_id", table="benefits", noun="benefit"),
    outside_allowed_shops_sql(STAGE),
)

PRODUCT_EVENTS = ("product_impression", "product_click")

COLUMNS = (
    Column("event_id", parse_id, "text", required=True),
    Column("shop_id", parse_id, "text", required=True),
    Column("user_id", parse_id, "text", required=True),
    Column("type", code_parser(EVENT_TYPES), "text", required=True),
    Column("occurred_at", parse_timestamp, "timestamptz", required=True),
    Column("product_id", parse_id, "text"),
    Column("carrier", code_parser(CARRIERS), "text"),
    Column("entry", code_parser(ENTRIES), "text"),
    Column("benefit_id", parse_id, "text"),
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
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(
        STAGE,
        table="events",
        columns=COLUMNS,
        key=("event_id",),
        kept=("shop_id",),
        order_by=("shop_id", "occurred_at"),
    ),
    check_row=check_event,
)

"""orders.csv: paid orders, with their traffic source and any refund."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from service.load.cells import (
    code_parser,
    parse_id,
    parse_money,
    parse_quantity,
    parse_timestamp,
)
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
from vocabulary import CARRIERS, ENTRIES, TRAFFIC_TYPES

STAGE = "load_orders"

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE, "order_id"),
    taken_by_another_shop_sql(STAGE, table="orders", key="order_id"),
    unknown_reference_sql(STAGE, "shop_id", table="shops", noun="shop"),
    unknown_reference_sql(STAGE, "user_id", table="users", noun="user"),
    same_shop_reference_sql(STAGE, "product_id", table="products", noun="product"),
    unknown_reference_sql(STAGE, "creator_id", table="creators", noun="creator"),
    same_shop_reference_sql(STAGE, "benefit_id", table="benefits", noun="benefit"),
    outside_allowed_shops_sql(STAGE),
)

COLUMNS = (
    Column("order_id", parse_id, "text", required=True),
    Column("shop_id", parse_id, "text", required=True),
    Column("user_id", parse_id, "text", required=True),
    Column("product_id", parse_id, "text", required=True),
    Column("quantity", parse_quantity, "integer", required=True),
    Column("amount", parse_money, "numeric(14, 2)", required=True),
    Column("paid_at", parse_timestamp, "timestamptz", required=True),
    Column("carrier", code_parser(CARRIERS), "text", required=True),
    Column("traffic_type", code_parser(TRAFFIC_TYPES), "text", required=True),
    Column("entry", code_parser(ENTRIES), "text"),
    Column("creator_id", parse_id, "text"),
    Column("benefit_id", parse_id, "text"),
    Column("refund_amount", parse_money, "numeric(14, 2)"),
    Column("refunded_at", parse_timestamp, "timestamptz"),
)
(
    AMOUNT,
    PAID_AT,
    CARRIER,
    ENTRY,
    REFUND_AMOUNT,
    REFUNDED_AT,
) = positions(
    COLUMNS,
    "amount",
    "paid_at",
    "carrier",
    "entry",
    "refund_amount",
    "refunded_at",
)


def check_order(record: Sequence[object]) -> list[tuple[str, str]]:
    """Refunds stay within the order; only product-card orders have an entry."""
    problems: list[tuple[str, str]] = []
    amount, refund_amount = record[AMOUNT], record[REFUND_AMOUNT]
    if isinstance(refund_amount, Decimal) and isinstance(amount, Decimal):
        if refund_amount > amount:
            problems.append(("refund_amount", "greater than amount"))
    paid_at, refunded_at = record[PAID_AT], record[REFUNDED_AT]
    if isinstance(refunded_at, datetime) and isinstance(paid_at, datetime):
        if refunded_at < paid_at:
            problems.append(("refunded_at", "before paid_at"))
    if record[ENTRY] is not None and record[CARRIER] != "product_card":
        problems.append(("entry", "only allowed on product_card orders"))
    return problems


ORDERS = Entity(
    file="orders.csv",
    stage_table=STAGE,
    columns=COLUMNS,
    check_sql=CHECK_SQL,
    merge_sql=upsert_sql(
        STAGE,
        table="orders",
        columns=COLUMNS,
        key=("order_id",),
        kept=("shop_id",),
        order_by=("shop_id", "paid_at"),
    ),
    check_row=check_order,
)

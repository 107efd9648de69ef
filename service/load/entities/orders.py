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
from service.load.entities.stage import stage_statements
from service.load.spec import Column, Entity, positions
from service.vocabulary import CARRIERS, ENTRIES, TRAFFIC_TYPES

STAGE = stage_statements("load_orders")

CREATE_STAGE_SQL = """
CREATE TEMP TABLE load_orders (
    line integer NOT NULL,
    order_id text NOT NULL,
    shop_id text NOT NULL,
    user_id text NOT NULL,
    product_id text NOT NULL,
    quantity integer NOT NULL,
    amount numeric(14, 2) NOT NULL,
    paid_at timestamptz NOT NULL,
    carrier text NOT NULL,
    traffic_type text NOT NULL,
    entry text,
    creator_id text,
    benefit_id text,
    refund_amount numeric(14, 2),
    refunded_at timestamptz
) ON COMMIT DROP
"""

CHECK_SQL = union_all(
    duplicate_key_sql(STAGE.table, "order_id"),
    taken_by_another_shop_sql(STAGE.table, table="orders", key="order_id"),
    unknown_reference_sql(STAGE.table, "shop_id", table="shops", noun="shop"),
    unknown_reference_sql(STAGE.table, "user_id", table="users", noun="user"),
    same_shop_reference_sql(STAGE.table, "product_id", table="products", noun="product"),
    unknown_reference_sql(STAGE.table, "creator_id", table="creators", noun="creator"),
    same_shop_reference_sql(STAGE.table, "benefit_id", table="benefits", noun="benefit"),
    outside_allowed_shops_sql(STAGE.table),
)

MERGE_SQL = """
WITH merged AS (
    INSERT INTO orders AS t (
        order_id, shop_id, user_id, product_id, quantity, amount, paid_at, carrier,
        traffic_type, entry, creator_id, benefit_id, refund_amount, refunded_at
    )
    SELECT
        s.order_id, s.shop_id, s.user_id, s.product_id, s.quantity, s.amount, s.paid_at,
        s.carrier, s.traffic_type, s.entry, s.creator_id, s.benefit_id, s.refund_amount,
        s.refunded_at
    FROM load_orders AS s
    ON CONFLICT (order_id) DO UPDATE
    SET
        user_id = EXCLUDED.user_id,
        product_id = EXCLUDED.product_id,
        quantity = EXCLUDED.quantity,
        amount = EXCLUDED.amount,
        paid_at = EXCLUDED.paid_at,
        carrier = EXCLUDED.carrier,
        traffic_type = EXCLUDED.traffic_type,
        entry = EXCLUDED.entry,
        creator_id = EXCLUDED.creator_id,
        benefit_id = EXCLUDED.benefit_id,
        refund_amount = EXCLUDED.refund_amount,
        refunded_at = EXCLUDED.refunded_at
    WHERE (
        t.user_id, t.product_id, t.quantity, t.amount, t.paid_at, t.carrier, t.traffic_type,
        t.entry, t.creator_id, t.benefit_id, t.refund_amount, t.refunded_at
    ) IS DISTINCT FROM (
        EXCLUDED.user_id, EXCLUDED.product_id, EXCLUDED.quantity, EXCLUDED.amount,
        EXCLUDED.paid_at, EXCLUDED.carrier, EXCLUDED.traffic_type, EXCLUDED.entry,
        EXCLUDED.creator_id, EXCLUDED.benefit_id, EXCLUDED.refund_amount,
        EXCLUDED.refunded_at
    )
    RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM merged
"""


COLUMNS = (
    Column("order_id", parse_id, required=True),
    Column("shop_id", parse_id, required=True),
    Column("user_id", parse_id, required=True),
    Column("product_id", parse_id, required=True),
    Column("quantity", parse_quantity, required=True),
    Column("amount", parse_money, required=True),
    Column("paid_at", parse_timestamp, required=True),
    Column("carrier", code_parser(CARRIERS), required=True),
    Column("traffic_type", code_parser(TRAFFIC_TYPES), required=True),
    Column("entry", code_parser(ENTRIES)),
    Column("creator_id", parse_id),
    Column("benefit_id", parse_id),
    Column("refund_amount", parse_money),
    Column("refunded_at", parse_timestamp),
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
    stage_table=STAGE.table,
    columns=COLUMNS,
    create_stage_sql=CREATE_STAGE_SQL,
    drop_stage_sql=STAGE.drop_sql,
    analyze_stage_sql=STAGE.analyze_sql,
    delete_staged_sql=STAGE.delete_sql,
    check_sql=CHECK_SQL,
    merge_sql=MERGE_SQL,
    check_row=check_order,
)

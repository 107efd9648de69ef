"""``Member.orders``: one member's orders at the shop, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final, Protocol

import asyncpg
import strawberry

from resolvers.errors import BadUserInput
from resolvers.pagination import build_connection, check_first, decode_cursor, encode_cursor
from schema.context import Info
from schema.order import Order, OrderConnection


@dataclass(frozen=True)
class MemberKey:
    """What a member's fields need: the shop, the user and the instant the member was read
    at (orders paid from then on belong to a later reading)."""

    shop_id: str
    user_id: str
    at: datetime


class MemberRoot(Protocol):
    """The part of a ``Member`` object the fields read."""

    @property
    def key(self) -> MemberKey: ...


# The total rides along on a one-row derived table, so an empty page still reports it.
# Order ids compare byte-wise (COLLATE "C"): the order does not depend on the database.
ORDERS_PAGE_SQL: Final = """
WITH page AS (
    SELECT o.order_id,
           o.product_id,
           o.quantity,
           o.amount,
           o.paid_at,
           o.carrier,
           o.traffic_type,
           o.entry,
           o.creator_id,
           o.benefit_id,
           o.refund_amount,
           o.refunded_at
    FROM orders AS o
    WHERE o.shop_id = $1
      AND o.user_id = $2
      AND o.paid_at < $3
      AND (
          $4::timestamptz IS NULL
          OR o.paid_at < $4::timestamptz
          OR (o.paid_at = $4::timestamptz AND o.order_id COLLATE "C" < $5::text)
      )
    ORDER BY o.paid_at DESC, o.order_id COLLATE "C" DESC
    LIMIT $6
)
SELECT total.orders AS total,
       p.*
FROM (
    SELECT count(*) AS orders
    FROM orders AS o
    WHERE o.shop_id = $1
      AND o.user_id = $2
      AND o.paid_at < $3
) AS total
LEFT JOIN page AS p ON true
ORDER BY p.paid_at DESC, p.order_id COLLATE "C" DESC
"""


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _order(record: asyncpg.Record) -> Order:
    creator, benefit = record["creator_id"], record["benefit_id"]
    return Order(
        id=strawberry.ID(record["order_id"]),
        product_id=strawberry.ID(record["product_id"]),
        quantity=record["quantity"],
        amount=float(record["amount"]),
        paid_at=record["paid_at"],
        carrier=record["carrier"],
        traffic_type=record["traffic_type"],
        entry=record["entry"],
        creator_id=strawberry.ID(creator) if creator is not None else None,
        benefit_id=strawberry.ID(benefit) if benefit is not None else None,
        refund_amount=_money(record["refund_amount"]),
        refunded_at=record["refunded_at"],
    )


def _order_cursor(order: Order) -> str:
    return encode_cursor("order", [order.paid_at.isoformat(), str(order.id)])


def _after_key(after: str) -> tuple[datetime, str]:
    key = decode_cursor(after, kind="order")
    if len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], str):
        try:
            paid_at = datetime.fromisoformat(key[0])
        except ValueError:
            pass
        else:
            if paid_at.tzinfo is not None:
                return paid_at, key[1]
    raise BadUserInput("after: not a cursor of this list")


async def resolve_member_orders(
    root: MemberRoot, info: Info, first: int | None = 20, after: str | None = None
) -> OrderConnection:
    """``Member.orders``: keyset pages on (paid_at, order id), newest first, page and total
    from one statement."""
    first = check_first(first, max_page_size=info.context.settings.max_page_size)
    paid_at, order_id = _after_key(after) if after is not None else (None, None)
    key = root.key
    records = await info.context.pool.fetch(
        ORDERS_PAGE_SQL, key.shop_id, key.user_id, key.at, paid_at, order_id, first + 1
    )
    total: int = records[0]["total"]
    return build_connection(
        [_order(record) for record in records if record["order_id"] is not None],
        first=first,
        total=total,
        has_previous=after is not None,
        cursor_of=_order_cursor,
    )

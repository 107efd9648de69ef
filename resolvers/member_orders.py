"""``Member.orders``: one member's orders at the shop, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final, Protocol

import asyncpg
import strawberry
from strawberry.dataloader import DataLoader

from resolvers.days import checked_instant
from resolvers.errors import BadUserInput
from resolvers.pagination import build_connection, check_first, decode_cursor, encode_cursor
from resolvers.shared import shared
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


# Every member of a page asking the same page of orders is read in one statement: each
# wanted user's page by a LATERAL index scan, with the user's total beside it (so a user
# without orders still reports 0). Order ids compare byte-wise (COLLATE "C"): the order
# does not depend on the database.
ORDERS_PAGES_SQL: Final = """
WITH wanted AS (
    SELECT DISTINCT user_id
    FROM unnest($2::text[]) AS w(user_id)
)
SELECT w.user_id,
       (
           SELECT count(*)
           FROM orders AS o
           WHERE o.shop_id = $1
             AND o.user_id = w.user_id
             AND o.paid_at < $3
       ) AS total,
       p.*
FROM wanted AS w
LEFT JOIN LATERAL (
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
      AND o.user_id = w.user_id
      AND o.paid_at < $3
      AND (
          $4::timestamptz IS NULL
          OR o.paid_at < $4::timestamptz
          OR (o.paid_at = $4::timestamptz AND o.order_id COLLATE "C" < $5::text)
      )
    ORDER BY o.paid_at DESC, o.order_id COLLATE "C" DESC
    LIMIT $6
) AS p ON true
ORDER BY w.user_id, p.paid_at DESC, p.order_id COLLATE "C" DESC
"""


@dataclass(frozen=True)
class PageAsked:
    """One page of orders, as asked of every member of a reading."""

    shop_id: str
    at: datetime
    paid_before: datetime | None
    order_before: str | None
    limit: int


@dataclass(frozen=True)
class OrdersPage:
    """A member's total and the orders of the page asked (up to ``limit``)."""

    total: int
    records: list[asyncpg.Record]


def _pages_loader(info: Info, asked: PageAsked) -> DataLoader[str, OrdersPage]:
    """The request's loader of this page for any number of users: one statement each time
    the fields waiting on it have all asked."""

    async def load(user_ids: list[str]) -> list[OrdersPage]:
        records = await info.context.pool.fetch(
            ORDERS_PAGES_SQL,
            asked.shop_id,
            user_ids,
            asked.at,
            asked.paid_before,
            asked.order_before,
            asked.limit,
        )
        pages: dict[str, OrdersPage] = {}
        for record in records:
            page = pages.setdefault(record["user_id"], OrdersPage(record["total"], []))
            if record["order_id"] is not None:
                page.records.append(record)
        return [pages[user_id] for user_id in user_ids]

    return shared(info, ("member orders", asked), lambda: DataLoader(load_fn=load))


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
                return checked_instant(paid_at, subject=f"after: a cursor at {key[0]}"), key[1]
    raise BadUserInput("after: not a cursor of this list")


async def resolve_member_orders(
    root: MemberRoot, info: Info, first: int | None = 20, after: str | None = None
) -> OrderConnection:
    """``Member.orders``: keyset pages on (paid_at, order id), newest first; the members of
    one page asking the same page share one statement."""
    first = check_first(first, max_page_size=info.context.settings.max_page_size)
    paid_at, order_id = _after_key(after) if after is not None else (None, None)
    key = root.key
    asked = PageAsked(key.shop_id, key.at, paid_at, order_id, first + 1)
    page = await _pages_loader(info, asked).load(key.user_id)
    return build_connection(
        [_order(record) for record in page.records],
        first=first,
        total=page.total,
        has_previous=after is not None,
        cursor_of=_order_cursor,
    )

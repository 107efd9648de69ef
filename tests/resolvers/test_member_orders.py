"""``Member.orders``: a member's orders at the shop before now, newest first, in keyset pages.

u-alice's orders at ``s1`` before now (``member_fixture``): o-a1 10 days ago, then o-a2
and o-a3 at the same instant 200 days ago (ties by order id, descending: o-a3 first).
o-a9 is paid after now and o-s2 at ``s2``: neither is listed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest

from resolvers.pagination import encode_cursor
from tests.conftest import Caller
from tests.resolvers.member_fixture import (
    ALICE,
    DAVE,
    FRANK,
    SHOP,
    add_order,
    days,
    fixture_now,
    insert_members_fixture,
)

ORDERS = """
query O($shop: ID!, $id: ID!, $first: Int, $after: String) {
  shop(id: $shop) {
    member(id: $id) {
      orders(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges {
          cursor
          node {
            id productId quantity amount paidAt carrier trafficType entry creatorId benefitId
            refundAmount refundedAt
          }
        }
      }
    }
  }
}
"""


@pytest.fixture
async def now(shops: asyncpg.Pool) -> datetime:
    """The fixture's instant, with the members dataset inserted at it."""
    moment = fixture_now()
    await insert_members_fixture(shops, moment)
    return moment


async def orders(me: Caller, user_id: str = ALICE, **variables: Any) -> dict[str, Any]:
    body = await me.query(ORDERS, shop=SHOP, id=user_id, **variables)
    assert body.get("errors") is None, body["errors"]
    connection: dict[str, Any] = body["data"]["shop"]["member"]["orders"]
    return connection


def order_ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


async def test_orders_are_newest_first_with_every_field(caller: Any, now: datetime) -> None:
    connection = await orders(await caller())
    assert order_ids(connection) == ["o-a1", "o-a3", "o-a2"]
    assert connection["totalCount"] == 3
    nodes = {edge["node"]["id"]: edge["node"] for edge in connection["edges"]}
    for node in nodes.values():
        node["paidAt"], node["refundedAt"] = when(node["paidAt"]), when(node["refundedAt"])
    assert nodes["o-a1"] == {
        "id": "o-a1",
        "productId": "p1",
        "quantity": 2,
        "amount": 100.0,
        "paidAt": days(now, 10),
        "carrier": "live",
        "trafficType": "organic",
        "entry": None,
        "creatorId": "c1",
        "benefitId": "b1",
        "refundAmount": None,
        "refundedAt": None,
    }
    assert nodes["o-a2"] == {
        "id": "o-a2",
        "productId": "p1",
        "quantity": 1,
        "amount": 50.5,
        "paidAt": days(now, 200),
        "carrier": "product_card",
        "trafficType": "paid",
        "entry": "search",
        "creatorId": None,
        "benefitId": None,
        "refundAmount": 10.0,
        "refundedAt": days(now, 190),
    }


async def test_order_pages_resume_after_the_cursor_while_orders_arrive(
    caller: Any, now: datetime, db: asyncpg.Pool
) -> None:
    me = await caller()
    first = await orders(me, first=2)
    assert order_ids(first) == ["o-a1", "o-a3"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    # A new order sorts before the cursor (not shown again); an older one after it.
    await add_order(db, "o-a4", ALICE, fixture_now() - timedelta(seconds=1), "5.00")
    await add_order(db, "o-a0", ALICE, days(now, 300), "7.00")
    second = await orders(me, first=2, after=first["pageInfo"]["endCursor"])
    assert order_ids(second) == ["o-a2", "o-a0"]
    assert second["totalCount"] == 5
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True


async def test_orders_of_a_member_without_orders_are_an_empty_page(
    caller: Any, now: datetime
) -> None:
    connection = await orders(await caller(), DAVE)
    assert connection == {
        "totalCount": 0,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "edges": [],
    }


async def test_a_former_members_orders_are_listed(caller: Any, now: datetime) -> None:
    assert order_ids(await orders(await caller(), FRANK)) == ["o-f1"]


async def test_orders_of_each_member_of_a_page(caller: Any, now: datetime) -> None:
    body = await (await caller()).query(
        """
        {
          shop(id: "s1") {
            members(filter: {statuses: [QUALITY]}) {
              edges { node { id orders(first: 1) { totalCount edges { node { id } } } } }
            }
          }
        }
        """
    )
    assert body.get("errors") is None, body["errors"]
    assert [
        (
            edge["node"]["id"],
            edge["node"]["orders"]["totalCount"],
            order_ids(edge["node"]["orders"]),
        )
        for edge in body["data"]["shop"]["members"]["edges"]
    ] == [
        ("o'brien\"; drop table x;--", 1, ["o-q1"]),
        (ALICE, 3, ["o-a1"]),
        ("u-bob", 1, ["o-b1"]),
    ]


async def error_of(me: Caller, **variables: Any) -> tuple[str, str]:
    body = await me.query(ORDERS, shop=SHOP, id=ALICE, **variables)
    assert body["data"]["shop"]["member"] is None
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


async def test_bad_order_cursors_are_bad_user_input(caller: Any, now: datetime) -> None:
    me = await caller()
    member_cursor = encode_cursor("member:JOINED_AT_DESC", [now.isoformat(), ALICE])
    for cursor in [
        "not-a-cursor",
        member_cursor,
        encode_cursor("order", ["yesterday", "o-a1"]),
        encode_cursor("order", ["2026-01-01T00:00:00", "o-a1"]),
        encode_cursor("order", [now.isoformat()]),
        encode_cursor("order", [now.isoformat(), 7]),
    ]:
        assert await error_of(me, after=cursor) == (
            "BAD_USER_INPUT",
            "after: not a cursor of this list",
        ), cursor


async def test_an_order_page_over_the_cap_is_bad_user_input(caller: Any, now: datetime) -> None:
    assert await error_of(await caller(), first=101) == (
        "BAD_USER_INPUT",
        "first must be between 0 and 100, not 101",
    )

"""``shops`` pages by keyset cursors; ``shop`` reads one."""

from __future__ import annotations

from typing import Any

import asyncpg

PAGE = """
query Page($first: Int!, $after: String) {
  shops(first: $first, after: $after) {
    totalCount
    edges { cursor node { id name industry tier } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


async def test_pages_visit_every_shop_once(caller: Any, shops: asyncpg.Pool) -> None:
    me = await caller()
    first = (await me.query(PAGE, first=2))["data"]["shops"]
    assert first["totalCount"] == 3
    assert [edge["node"] for edge in first["edges"]] == [
        {"id": "s1", "name": "Shop One", "industry": "apparel", "tier": 3},
        {"id": "s2", "name": "Shop Two", "industry": "apparel", "tier": 3},
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    second = (await me.query(PAGE, first=2, after=first["pageInfo"]["endCursor"]))["data"]["shops"]
    assert [edge["node"]["id"] for edge in second["edges"]] == ["s3"]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["edges"][0]["cursor"],
    }
    assert second["totalCount"] == 3


async def test_page_size_over_the_cap_names_first(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller()).query(PAGE, first=101)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "first must be between 0 and 100, not 101"


async def test_foreign_cursor_names_after(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller()).query(PAGE, first=2, after="not-a-cursor")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "after: not a cursor of this list"


async def test_shop_by_id(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller()).query('{ shop(id: "s3") { id name industry tier } }')
    assert body == {
        "data": {"shop": {"id": "s3", "name": "Shop Three", "industry": "beauty", "tier": 5}}
    }

"""Every GraphQL request needs a live key; limited keys see only their shops."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from service.keys import revoke_key
from tests.conftest import Caller

SHOPS_QUERY = "{ shops { totalCount edges { node { id } } } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_request_without_key_is_unauthenticated(
    client: httpx.AsyncClient, shops: asyncpg.Pool
) -> None:
    response = await Caller(client, None).post(SHOPS_QUERY)
    assert response.status_code == 401
    body = response.json()
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "missing Authorization header"


async def test_unknown_key_is_unauthenticated(
    client: httpx.AsyncClient, shops: asyncpg.Pool
) -> None:
    response = await Caller(client, "mlk_nothing_like_a_real_key").post(SHOPS_QUERY)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "unknown or revoked API key"


async def test_non_bearer_scheme_is_unauthenticated(
    client: httpx.AsyncClient, shops: asyncpg.Pool
) -> None:
    response = await client.post(
        "/graphql", json={"query": SHOPS_QUERY}, headers={"authorization": "Basic abc"}
    )
    assert response.status_code == 401
    assert codes(response.json()) == ["UNAUTHENTICATED"]


async def test_revoked_key_stops_working_at_once(caller: Any, shops: asyncpg.Pool) -> None:
    me: Caller = await caller("admin")
    assert (await me.post(SHOPS_QUERY)).status_code == 200
    key_id = me.secret.split("_")[1] if me.secret else ""
    assert await revoke_key(shops, key_id=key_id)
    response = await me.post(SHOPS_QUERY)
    assert response.status_code == 401
    assert codes(response.json()) == ["UNAUTHENTICATED"]


async def test_admin_key_sees_every_shop(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller("admin")).query(SHOPS_QUERY)
    assert body["data"]["shops"]["totalCount"] == 3
    assert [edge["node"]["id"] for edge in body["data"]["shops"]["edges"]] == ["s1", "s2", "s3"]


async def test_shop_limited_key_sees_only_its_shops(caller: Any, shops: asyncpg.Pool) -> None:
    me: Caller = await caller("read", ("s2", "s3"))
    body = await me.query(SHOPS_QUERY)
    assert body["data"]["shops"]["totalCount"] == 2
    assert [edge["node"]["id"] for edge in body["data"]["shops"]["edges"]] == ["s2", "s3"]


async def test_shop_limited_key_is_forbidden_other_shops(caller: Any, shops: asyncpg.Pool) -> None:
    me: Caller = await caller("read", ("s2",))
    body = await me.query('{ own: shop(id: "s2") { name } other: shop(id: "s1") { name } }')
    assert body["data"] == {"own": {"name": "Shop Two"}, "other": None}
    assert codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == ["other"]


async def test_limited_key_gets_forbidden_not_not_found_for_unknown_shop(
    caller: Any, shops: asyncpg.Pool
) -> None:
    body = await (await caller("read", ("s2",))).query('{ shop(id: "nope") { name } }')
    assert codes(body) == ["FORBIDDEN"]


async def test_admin_gets_not_found_for_unknown_shop(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller("admin")).query('{ shop(id: "nope") { name } }')
    assert body["data"] == {"shop": None}
    assert codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["message"] == "id: no shop 'nope'"

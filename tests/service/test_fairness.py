"""No key holds what other tenants need: a few requests and connections per key, a request
deadline, and coded answers when time runs out or the database is away."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest

from service.app import create_app
from service.db.pool import CONNECTION_LANE, create_pool
from service.fairness import KeyBusy, KeyLanes
from service.keys import create_key
from service.settings import Settings

SHOP_QUERY = '{ shop(id: "s1") { id } }'
Post = Callable[[str, str], Awaitable[httpx.Response]]


@asynccontextmanager
async def serving(settings: Settings, database_url: str, **limits: Any) -> AsyncIterator[Post]:
    """An app with ``limits`` in its settings, and a poster of documents with a key."""
    app = create_app(settings.model_copy(update=limits), database_url=database_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:

            async def post(secret: str, document: str) -> httpx.Response:
                headers = {"authorization": f"Bearer {secret}"}
                return await http.post("/graphql", json={"query": document}, headers=headers)

            yield post


@asynccontextmanager
async def locked(pool: asyncpg.Pool, table: str) -> AsyncIterator[None]:
    """``table`` locked against every reader until the block ends."""
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield


async def test_a_key_runs_a_few_requests_at_once_and_waits_briefly_for_more() -> None:
    lanes = KeyLanes(requests=2, connections=1, wait_seconds=0.05)
    async with lanes.turn("k1"), lanes.turn("k1"):
        with pytest.raises(KeyBusy):
            async with lanes.turn("k1"):
                pass
        async with lanes.turn("k2"):  # another key has its own turns
            pass
    async with lanes.turn("k1"):  # the turns came back
        pass
    assert lanes._lanes == {}  # lanes of keys without requests are dropped


async def test_a_request_takes_connections_within_its_key_share(
    settings: Settings, database_url: str, db: asyncpg.Pool
) -> None:
    pool = await create_pool(settings.model_copy(update={"pool_size": 6}), database_url)
    held = peak = 0

    async def query() -> None:
        nonlocal held, peak
        async with pool.acquire() as connection:
            held += 1
            peak = max(peak, held)
            await connection.execute("SELECT pg_sleep(0.3)")
            held -= 1

    try:
        token = CONNECTION_LANE.set(asyncio.Semaphore(2))
        try:
            await asyncio.gather(*(query() for _ in range(6)))
        finally:
            CONNECTION_LANE.reset(token)
        assert peak == 2
        held = peak = 0
        await asyncio.gather(*(query() for _ in range(6)))  # outside a request: no lane
        assert peak > 2
    finally:
        await pool.close()


async def test_a_key_over_its_concurrent_requests_is_rate_limited_with_retry_after(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    _, busy = await create_key(shops, scope="read", shops=("s1",), name="busy")
    _, other = await create_key(shops, scope="read", shops=("s2",), name="other")
    async with serving(settings, database_url, key_requests=1, key_wait_seconds=0.2) as post:
        async with locked(shops, "shops"):
            first = asyncio.create_task(post(busy, SHOP_QUERY))
            await asyncio.sleep(0.3)
            second = await post(busy, SHOP_QUERY)
        assert (await first).json() == {"data": {"shop": {"id": "s1"}}}
        assert second.status_code == 429
        assert second.headers["retry-after"] == "1"
        assert second.json()["errors"] == [
            {
                "message": "this API key already runs 1 requests at once; retry when one has "
                "answered",
                "extensions": {"code": "RATE_LIMITED"},
            }
        ]
        answer = await post(other, '{ shop(id: "s2") { id } }')
        assert answer.json() == {"data": {"shop": {"id": "s2"}}}


async def test_the_rate_limit_answers_429_with_retry_after(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="fast")
    limits = {"rate_limit_per_second": 0.5, "rate_limit_burst": 1}
    async with serving(settings, database_url, **limits) as post:
        assert (await post(secret, SHOP_QUERY)).status_code == 200
        refused = await post(secret, SHOP_QUERY)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"  # one token comes back in 2 s
    assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}


async def test_a_statement_timeout_is_query_too_complex_for_that_field(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="slow")
    async with serving(settings, database_url, statement_timeout_seconds=0.2) as post:
        async with locked(shops, "shops"):
            response = await post(secret, '{ shop(id: "s1") { id } metricDefinitions { unit } }')
    body = response.json()
    assert response.status_code == 200
    assert body["data"]["shop"] is None
    assert body["data"]["metricDefinitions"][0] == {"unit": "COUNT"}  # its sibling answers
    assert body["errors"] == [
        {
            "message": "took longer than 0.2 s: ask for fewer fields or a shorter period",
            "locations": [{"line": 1, "column": 3}],
            "path": ["shop"],
            "extensions": {"code": "QUERY_TOO_COMPLEX"},
        }
    ]


async def test_the_request_deadline_is_query_too_complex(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="slow")
    async with serving(settings, database_url, request_deadline_seconds=0.3) as post:
        async with locked(shops, "shops"):
            response = await post(secret, SHOP_QUERY)
    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "took longer than 0.3 s: ask for fewer fields or a shorter period",
                "extensions": {"code": "QUERY_TOO_COMPLEX"},
            }
        ],
    }


async def test_a_mutation_cut_by_the_deadline_saved_nothing(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    _, secret = await create_key(shops, scope="write", shops=("s1",), name="writer")
    document = (
        'mutation { createSegment(shopId: "s1", name: "fans", rule: {fan: {isFan: true}}) '
        "{ id size } }"
    )
    async with serving(settings, database_url, request_deadline_seconds=0.5) as post:
        # The segment is saved, then its size waits on the fans table past the deadline.
        async with locked(shops, "fans"):
            response = await post(secret, document)
    assert response.json()["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}
    assert await shops.fetchval("SELECT count(*) FROM segments") == 0


async def test_an_unreachable_database_is_unavailable_with_retry_after(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="reader")
    app = create_app(settings, database_url=database_url)
    async with app.router.lifespan_context(app):
        await app.state.pool.close()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.post(
                "/graphql",
                json={"query": SHOP_QUERY},
                headers={"authorization": f"Bearer {secret}"},
            )
            load = await http.post("/load", headers={"authorization": f"Bearer {secret}"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "the database cannot be reached now; retry later",
                "extensions": {"code": "UNAVAILABLE"},
            }
        ],
    }
    assert load.status_code == 503
    assert load.json()["errors"][0]["extensions"] == {"code": "UNAVAILABLE"}


async def test_a_turn_given_back_twice_counts_once() -> None:
    lanes = KeyLanes(requests=1, connections=1, wait_seconds=0.05)
    give_back = await lanes.enter("k1")
    give_back()
    give_back()
    assert lanes._lanes == {}
    again = await lanes.enter("k1")
    with pytest.raises(KeyBusy):  # one turn only: the double give-back freed no second
        await lanes.enter("k1")
    again()


async def test_downloads_and_loads_take_turns_of_their_key(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    key, secret = await create_key(shops, scope="write", shops=("s1",), name="writer")
    app = create_app(
        settings.model_copy(update={"key_requests": 1, "key_wait_seconds": 0.1}),
        database_url=database_url,
    )
    headers = {"authorization": f"Bearer {secret}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            created = await http.post(
                "/graphql",
                headers=headers,
                json={
                    "query": 'mutation { s: createSegment(shopId: "s1", name: "fans", '
                    "rule: {fan: {isFan: true}}) { id } }"
                },
            )
            segment = created.json()["data"]["s"]["id"]
            exported = await http.post(
                "/graphql",
                headers=headers,
                json={"query": f'mutation {{ exportSegment(id: "{segment}") {{ url }} }}'},
            )
            link = exported.json()["data"]["exportSegment"]["url"]
            give_back = await app.state.lanes.enter(key.key_id)  # the key's one turn, taken
            download = await http.get(link, headers=headers)
            load = await http.post("/load", headers=headers, files={"shops.csv": b"x"})
            give_back()
            after = await http.get(link, headers=headers)
    for refused in (download, load):
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}
    assert after.status_code == 200
    assert after.text.startswith("user_id,")
    assert app.state.lanes._lanes == {}  # the download gave its turn back

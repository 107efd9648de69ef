"""The HTTP surface: probes, GraphiQL, error codes and request guards."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from service.app import create_app
from service.db.migrate import head_revision
from service.settings import Settings
from tests.conftest import Caller


async def test_healthz_answers_without_a_key(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")
    assert len(response.headers["x-request-id"]) == 32


async def test_readyz_when_database_is_migrated(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "revision": head_revision()}


async def test_readyz_reports_unmigrated_database(
    settings: Settings, database_url: str, pool: asyncpg.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    # A name of its own, so that runs sharing a server never collide.
    name = f"memberlens_unmigrated_{secrets.token_hex(4)}"
    await pool.execute(f'CREATE DATABASE "{name}"')
    try:
        head, _, query = database_url.partition("?")
        url = head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
        app = create_app(settings, database_url=url)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                response = await http.get("/readyz")
    finally:
        await pool.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    assert response.status_code == 503
    assert response.json() == {"ready": False}
    assert f"schema at None, expected {head_revision()}: run memberlens migrate" in caplog.text


async def test_readyz_reports_unreachable_database(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await app.state.pool.close()
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False}  # the exception's text stays in the log


async def test_graphiql_is_served_on_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_metrics_counts_requests(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    response = await client.get("/metrics")
    assert 'memberlens_http_requests_total{route="/healthz",status="200"} 1.0' in response.text


async def test_metrics_show_what_the_process_keeps(
    client: httpx.AsyncClient, caller: Any, shops: asyncpg.Pool
) -> None:
    reader = await caller("read", ("s1",))
    document = '{ shop(id: "s1") { metrics(names: [GMV], period: {lastDays: 7}) { value } } }'
    for _ in range(3):
        assert "errors" not in await reader.query(document)
    text = (await client.get("/metrics")).text
    assert "memberlens_kept_answers_served_total 2.0" in text
    assert 'memberlens_kept_readings_total{result="miss"} 1.0' in text
    assert 'memberlens_kept_readings_total{result="hit"} 0.0' in text
    held = next(
        line for line in text.splitlines() if line.startswith("memberlens_kept_answers_bytes")
    )
    assert float(held.split()[1]) > 0


async def test_invalid_document_is_bad_user_input(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller()).query("{ shops { nope } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "nope" in body["errors"][0]["message"]


async def test_too_deep_query_is_too_complex(
    settings: Settings, database_url: str, db: asyncpg.Pool
) -> None:
    app = create_app(settings.model_copy(update={"max_depth": 2}), database_url=database_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            from service.keys import create_key

            _, secret = await create_key(db, scope="admin", shops=None, name="")
            body = await Caller(http, secret).query("{ shops { edges { node { id } } } }")
    assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TOO_COMPLEX"]


async def test_too_many_aliases_is_too_complex(caller: Any, shops: asyncpg.Pool) -> None:
    document = "{ " + " ".join(f'a{n}: shop(id: "s1") {{ id }}' for n in range(31)) + " }"
    body = await (await caller()).query(document)
    assert [error["extensions"]["code"] for error in body["errors"]] == ["QUERY_TOO_COMPLEX"]


async def test_oversized_body_is_refused(caller: Any, shops: asyncpg.Pool) -> None:
    me: Caller = await caller()
    response = await me.post("{ shops { totalCount } }", padding="x" * (1024 * 1024))
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_chunked_body_is_read_only_up_to_the_cap(caller: Any, shops: asyncpg.Pool) -> None:
    me: Caller = await caller()
    headers = {"authorization": f"Bearer {me.secret}", "content-type": "application/json"}
    sent = 0

    async def endless() -> AsyncIterator[bytes]:  # no content-length: chunked
        nonlocal sent
        yield b'{"query": "{ shops { totalCount } }", "variables": {"padding": "'
        for _ in range(1024):  # 64 MiB if read to the end
            sent += 1
            yield b"x" * 65536
        yield b'"}}'

    response = await me.http.post("/graphql", content=endless(), headers=headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert sent <= 17  # stopped just past 1 MiB

    async def small() -> AsyncIterator[bytes]:
        yield b'{"query": "{ shops '
        yield b'{ totalCount } }"}'

    response = await me.http.post("/graphql", content=small(), headers=headers)
    assert response.json() == {"data": {"shops": {"totalCount": 3}}}


async def test_bad_enum_variable_is_bad_user_input(caller: Any, shops: asyncpg.Pool) -> None:
    document = """
    query M($names: [Metric!]!) {
      shop(id: "s1") { metrics(names: $names, period: {lastDays: 7}) { value } }
    }
    """
    body = await (await caller()).query(document, names=["NOT_A_METRIC"])
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]
    assert "NOT_A_METRIC" in body["errors"][0]["message"]


async def test_an_unexpected_error_outside_graphql_is_masked(
    app: Starlette, caller: Any, monkeypatch: Any, caplog: Any
) -> None:
    me: Caller = await caller("admin")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("service.routes.load.load_upload", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.post(
            "/load",
            headers={"authorization": f"Bearer {me.secret}"},
            files={"users.csv": ("users.csv", b"user_id\nu1\n")},
        )
    assert response.status_code == 500
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert error["message"] == f"Internal error (request {error['extensions']['requestId']})."
    assert "secret detail" not in response.text
    assert "secret detail" in caplog.text

"""Shared fixtures: one real PostgreSQL per run, emptied per test; the app and API keys."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from service.app import create_app
from service.db.migrate import upgrade
from service.db.pool import create_pool
from service.keys import Scope, create_key
from service.settings import Settings

DATA_TABLES = (
    "reach",
    "events",
    "orders",
    "fans",
    "members",
    "campaigns",
    "benefits",
    "products",
    "creators",
    "users",
    "kpi_targets",
    "segments",
    "api_keys",
    "shops",
    "peer_figures",
)
# The business time zone of every test's settings, and of the order days built for them.
TEST_ZONE = "Asia/Shanghai"

TRUNCATE_SQL = f"TRUNCATE {', '.join(DATA_TABLES)} CASCADE"


def _with_database(url: str, name: str) -> str:
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A migrated, empty database: on ``TEST_DATABASE_URL``'s server if set, else embedded."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        import asyncio

        name = f"memberlens_test_{secrets.token_hex(4)}"

        async def admin(sql: str) -> None:
            connection = await asyncpg.connect(server_url)
            try:
                await connection.execute(sql)
            finally:
                await connection.close()

        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        url = _with_database(server_url, name)
        try:
            upgrade(url, TEST_ZONE)
            yield url
        finally:
            asyncio.run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))
        return

    from service.db.embedded import start_embedded

    server = start_embedded(
        Path(tempfile.mkdtemp(prefix="memberlens-test-")) / "pg", throwaway=True
    )
    try:
        upgrade(server.url, TEST_ZONE)
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    """Default settings pointed at the test database."""
    return Settings(database_url=database_url, timezone=TEST_ZONE)


@pytest.fixture(scope="session")
async def pool(settings: Settings, database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """One pool for the whole run."""
    created = await create_pool(settings, database_url)
    yield created
    await created.close()


async def new_data_version(pool: asyncpg.Pool) -> None:
    """Move the data version on, as a load would: readings kept so far are not served."""
    await pool.execute("UPDATE data_version SET version = version + 1")


@pytest.fixture
async def db(pool: asyncpg.Pool) -> asyncpg.Pool:
    """The pool over an emptied database."""
    await pool.execute(TRUNCATE_SQL)
    return pool


SHOPS = [
    ("s1", "Shop One", "apparel", 3),
    ("s2", "Shop Two", "apparel", 3),
    ("s3", "Shop Three", "beauty", 5),
]

INSERT_SHOP_SQL = """
INSERT INTO shops (shop_id, name, industry, tier)
VALUES ($1, $2, $3, $4)
"""


@pytest.fixture
async def shops(db: asyncpg.Pool) -> asyncpg.Pool:
    """Three shops: s1, s2 (apparel, tier 3) and s3 (beauty, tier 5)."""
    await db.executemany(INSERT_SHOP_SQL, SHOPS)
    return db


@pytest.fixture
async def app(settings: Settings, database_url: str) -> AsyncIterator[Starlette]:
    """The application with its lifespan running."""
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


class Caller:
    """Posts GraphQL documents with one API key."""

    def __init__(self, http: httpx.AsyncClient, secret: str | None) -> None:
        self.http = http
        self.secret = secret

    async def post(self, query: str, **variables: Any) -> httpx.Response:
        headers = {"authorization": f"Bearer {self.secret}"} if self.secret else {}
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )

    async def query(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.post(query, **variables)
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def caller(client: httpx.AsyncClient, db: asyncpg.Pool) -> Any:
    """``await caller(scope, shops)`` makes a key and returns a ``Caller`` using it."""

    async def make(scope: Scope = "admin", shops: tuple[str, ...] | None = None) -> Caller:
        _, secret = await create_key(db, scope=scope, shops=shops, name="test")
        return Caller(client, secret)

    return make

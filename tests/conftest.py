"""Shared fixtures: one real PostgreSQL per test run, emptied before each test that asks."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from service.db.migrate import upgrade
from service.db.pool import create_pool
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
)
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
            upgrade(url)
            yield url
        finally:
            asyncio.run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))
        return

    from service.db.embedded import start_embedded

    server = start_embedded(
        Path(tempfile.mkdtemp(prefix="memberlens-test-")) / "pg", throwaway=True
    )
    try:
        upgrade(server.url)
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    """Default settings pointed at the test database."""
    return Settings(database_url=database_url, timezone="Asia/Shanghai")


@pytest.fixture(scope="session")
async def pool(settings: Settings, database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """One pool for the whole run."""
    created = await create_pool(settings, database_url)
    yield created
    await created.close()


@pytest.fixture
async def db(pool: asyncpg.Pool) -> asyncpg.Pool:
    """The pool over an emptied database."""
    await pool.execute(TRUNCATE_SQL)
    return pool

"""Schema migrations: bring a database to the newest revision, or tell whether it is there."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from service.db.aggregates import build_aggregates
from service.db.urls import asyncpg_url, sqlalchemy_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without any ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config("postgresql://x/x")).get_current_head()
    assert head is not None
    return head


def upgrade(url: str, zone: str, *, progress: bool = False) -> dict[str, float]:
    """Apply every pending migration, then build the aggregates not ready (the order days
    in the business time zone ``zone``; with ``progress``, a bar on standard error); the
    seconds each build took. Runs its own event loop, so call it from sync code."""
    command.upgrade(alembic_config(url), "head")
    return asyncio.run(_build(url, zone, progress))


async def _build(url: str, zone: str, progress: bool) -> dict[str, float]:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        # A build of a large database takes longer than any statement timeout set for it.
        await connection.execute("SET statement_timeout = 0")
        return await build_aggregates(connection, zone, progress=progress)
    finally:
        await connection.close()


CURRENT_REVISION_SQL = """
SELECT version_num
FROM alembic_version
"""


async def current_revision(connection: asyncpg.Connection) -> str | None:
    """The revision the database is at, or None before the first migration."""
    try:
        value: str | None = await connection.fetchval(CURRENT_REVISION_SQL)
    except asyncpg.UndefinedTableError:
        return None
    return value


async def is_current(url: str) -> bool:
    """Whether the database at ``url`` is at the newest revision."""
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        return await current_revision(connection) == head_revision()
    finally:
        await connection.close()

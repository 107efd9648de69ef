"""Conversions between the plain PostgreSQL URL and the forms each client wants."""

from __future__ import annotations


def sqlalchemy_url(url: str) -> str:
    """The URL for SQLAlchemy's asyncpg driver (``postgresql+asyncpg://``)."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('://', 1)[0]}://…")


def asyncpg_url(url: str) -> str:
    """The URL for asyncpg itself (``postgresql://``)."""
    return "postgresql://" + sqlalchemy_url(url)[len("postgresql+asyncpg://") :]

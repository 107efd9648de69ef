"""Counting the SQL statements each request runs (for logs, metrics and tests)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

import asyncpg


@dataclass
class StatementCount:
    """Statements run so far on behalf of one request."""

    value: int = 0


CURRENT: ContextVar[StatementCount | None] = ContextVar("memberlens_statements", default=None)


def _count(record: asyncpg.connection.LoggedQuery) -> None:
    # asyncpg calls query loggers via call_soon, which carries the caller's context.
    counter = CURRENT.get()
    if counter is not None:
        counter.value += 1


async def count_statements(connection: asyncpg.Connection) -> None:
    """Pool ``init`` hook: count every statement run on the connection."""
    connection.add_query_logger(_count)

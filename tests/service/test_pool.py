"""A pool connection comes back as it was handed out, though the pool runs no reset query."""

from __future__ import annotations

import asyncpg

from service.db.locks import LOAD_LOCK_KEY

SESSION_SQL = """
SELECT
    current_setting('statement_timeout') AS statement_timeout,
    current_setting('work_mem') AS work_mem,
    (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())
        AS advisory_locks
"""


async def test_a_released_connection_keeps_no_transaction_or_its_settings(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as connection:
        before = dict(await connection.fetchrow(SESSION_SQL))
        pid = await connection.fetchval("SELECT pg_backend_pid()")
        # what a load does: transaction-local settings and lock
        async with connection.transaction():
            await connection.execute(
                "SELECT set_config('statement_timeout', '0', true), "
                "set_config('work_mem', '64MB', true), pg_advisory_xact_lock($1)",
                LOAD_LOCK_KEY,
            )
        # a transaction left open by code that failed midway
        await connection.execute("BEGIN")
        await connection.execute("SELECT set_config('work_mem', '32MB', true)")
    async with pool.acquire() as connection:
        assert await connection.fetchval("SELECT pg_backend_pid()") == pid  # the same one
        assert not connection.is_in_transaction()
        assert dict(await connection.fetchrow(SESSION_SQL)) == before
    assert before["advisory_locks"] == 0
    assert before["work_mem"] != "64MB"

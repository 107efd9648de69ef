import asyncpg


async def test_schema_is_migrated(db: asyncpg.Pool) -> None:
    assert await db.fetchval("SELECT count(*) FROM shops") == 0
    assert await db.fetchval("SHOW timezone") == "Asia/Shanghai"

"""The fact tables' references, checked once a statement (migration 0021): a fact naming
no stored row is refused, and so is removing or re-keying a row a fact names."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from service.db.locks import LOAD_LOCK_KEY

SETUP_SQL = """
INSERT INTO users (user_id) VALUES ('u1'), ('u2'), ('u3');
INSERT INTO products (product_id, shop_id, name, category, price)
VALUES ('p1', 's1', 'Tee', 'tops', 10);
INSERT INTO campaigns (campaign_id, shop_id, channel, name) VALUES ('c1', 's1', 'sms', 'C');
"""

ORDER_SQL = """
INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount, paid_at,
                    carrier, traffic_type, creator_id, benefit_id)
VALUES ($1, $2, $3, $4, 1, 10, '2026-11-01T10:00:00+08:00', 'live', 'organic', $5, $6)
"""

EVENT_SQL = """
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at, product_id, carrier)
VALUES ($1, 's1', $2, 'product_click', '2026-11-01T10:00:00+08:00', $3, 'live')
"""

MEMBER_SQL = """
INSERT INTO members (shop_id, user_id, joined_at, join_channel)
VALUES ($1, $2, '2026-11-01T10:00:00+08:00', 'live')
"""

FAN_SQL = """
INSERT INTO fans (shop_id, user_id, followed_at)
VALUES ('s1', $1, '2026-11-01T10:00:00+08:00')
"""

REACH_SQL = """
INSERT INTO reach (campaign_id, user_id, shop_id, sent_at)
VALUES ($1, $2, 's1', '2026-11-01T10:00:00+08:00')
"""


@pytest.fixture
async def stored(shops: asyncpg.Pool) -> asyncpg.Pool:
    """Shops s1–s3, users u1–u3, product p1 and campaign c1 of s1."""
    await shops.execute(SETUP_SQL)
    return shops


async def refused(db: asyncpg.Pool, sql: str, *args: object) -> asyncpg.PostgresError:
    with pytest.raises(asyncpg.ForeignKeyViolationError) as caught:
        await db.execute(sql, *args)
    return caught.value


@pytest.mark.parametrize(
    ("sql", "args", "column", "detail"),
    [
        (ORDER_SQL, ("o1", "s9", "u1", "p1", None, None), "shop_id", "(shop_id)=(s9)"),
        (ORDER_SQL, ("o1", "s1", "u9", "p1", None, None), "user_id", "(user_id)=(u9)"),
        (ORDER_SQL, ("o1", "s1", "u1", "p9", None, None), "product_id", "(product_id)=(p9)"),
        (ORDER_SQL, ("o1", "s1", "u1", "p1", "k9", None), "creator_id", "(creator_id)=(k9)"),
        (ORDER_SQL, ("o1", "s1", "u1", "p1", None, "b9"), "benefit_id", "(benefit_id)=(b9)"),
        (EVENT_SQL, ("e1", "u9", "p1"), "user_id", "(user_id)=(u9)"),
        (EVENT_SQL, ("e1", "u1", "p9"), "product_id", "(product_id)=(p9)"),
        (MEMBER_SQL, ("s9", "u1"), "shop_id", "(shop_id)=(s9)"),
        (MEMBER_SQL, ("s1", "u9"), "user_id", "(user_id)=(u9)"),
        (FAN_SQL, ("u9",), "user_id", "(user_id)=(u9)"),
        (REACH_SQL, ("c9", "u1"), "campaign_id", "(campaign_id)=(c9)"),
        (REACH_SQL, ("c1", "u9"), "user_id", "(user_id)=(u9)"),
    ],
)
async def test_a_fact_naming_no_stored_row_is_refused(
    stored: asyncpg.Pool, sql: str, args: tuple[object, ...], column: str, detail: str
) -> None:
    error = await refused(stored, sql, *args)
    assert error.column_name == column
    assert error.detail is not None and detail in error.detail
    for table in ("orders", "events", "members", "fans", "reach"):
        assert await stored.fetchval(f"SELECT count(*) FROM {table}") == 0


async def test_facts_naming_stored_rows_or_none_are_kept(stored: asyncpg.Pool) -> None:
    await stored.execute(ORDER_SQL, "o1", "s1", "u1", "p1", None, None)
    await stored.execute(EVENT_SQL, "e1", "u2", "p1")
    await stored.execute(MEMBER_SQL, "s1", "u1")
    await stored.execute(FAN_SQL, "u3")
    await stored.execute(REACH_SQL, "c1", "u2")
    counts = [
        await stored.fetchval(f"SELECT count(*) FROM {table}")
        for table in ("orders", "events", "members", "fans", "reach")
    ]
    assert counts == [1, 1, 1, 1, 1]


async def test_an_update_to_an_unknown_reference_is_refused(stored: asyncpg.Pool) -> None:
    await stored.execute(ORDER_SQL, "o1", "s1", "u1", "p1", None, None)
    error = await refused(stored, "UPDATE orders SET user_id = 'u9' WHERE order_id = 'o1'")
    assert error.detail is not None and "(user_id)=(u9)" in error.detail
    assert await stored.fetchval("SELECT user_id FROM orders") == "u1"


async def test_one_bad_row_refuses_the_whole_statement(stored: asyncpg.Pool) -> None:
    await refused(
        stored,
        "INSERT INTO fans (shop_id, user_id, followed_at) "
        "SELECT 's1', u, now() FROM unnest(ARRAY['u1', 'u2', 'u8']) AS u",
    )
    assert await stored.fetchval("SELECT count(*) FROM fans") == 0


async def test_a_referenced_row_cannot_be_removed_or_rekeyed(stored: asyncpg.Pool) -> None:
    await stored.execute(ORDER_SQL, "o1", "s1", "u1", "p1", None, None)
    await stored.execute(REACH_SQL, "c1", "u2")
    error = await refused(stored, "DELETE FROM users WHERE user_id IN ('u1', 'u3')")
    assert error.detail is not None and "(user_id)=(u1)" in error.detail
    assert "orders" in error.detail
    error = await refused(stored, "DELETE FROM campaigns")
    assert error.detail is not None and "(campaign_id)=(c1)" in error.detail
    await refused(stored, "UPDATE users SET user_id = 'u7' WHERE user_id = 'u1'")
    await refused(stored, "UPDATE users SET user_id = 'u7' WHERE user_id = 'u3'")
    assert await stored.fetchval("SELECT count(*) FROM users") == 3
    # rows no fact names go; other columns change freely
    await stored.execute("DELETE FROM users WHERE user_id = 'u3'")
    await stored.execute("UPDATE users SET gender = 'female' WHERE user_id = 'u1'")
    assert await stored.fetch("SELECT user_id, gender FROM users ORDER BY 1") == [
        ("u1", "female"),
        ("u2", None),
    ]


async def test_a_referenced_table_is_emptied_only_with_its_facts(stored: asyncpg.Pool) -> None:
    await stored.execute(MEMBER_SQL, "s1", "u1")
    error = await refused(stored, "TRUNCATE users")
    assert error.detail is not None and "members" in error.detail
    assert await stored.fetchval("SELECT count(*) FROM users") == 3
    await stored.execute("TRUNCATE users, members")
    assert await stored.fetchval("SELECT count(*) FROM users") == 0


async def test_a_truncate_finds_a_reference_behind_facts_naming_none(
    stored: asyncpg.Pool,
) -> None:
    await stored.execute("INSERT INTO creators (creator_id, name) VALUES ('k1', 'K')")
    for order in range(1, 4):
        await stored.execute(ORDER_SQL, f"o{order}", "s1", "u1", "p1", None, None)
    await stored.execute(ORDER_SQL, "o4", "s1", "u1", "p1", "k1", None)
    error = await refused(stored, "TRUNCATE creators")
    assert error.detail is not None and "(creator_id)=(k1)" in error.detail
    await stored.execute("DELETE FROM orders WHERE order_id = 'o4'")
    await stored.execute("TRUNCATE creators")  # orders naming no creator keep none back
    assert await stored.fetchval("SELECT count(*) FROM creators") == 0


REMOVE_U3_SQL = "DELETE FROM users WHERE user_id = 'u3'"


async def _waits_then_is_refused(
    db: asyncpg.Pool, first: tuple[str, tuple[object, ...]], then: tuple[str, tuple[object, ...]]
) -> None:
    """``then`` waits for ``first``'s transaction to commit, then fails its check."""
    async with db.acquire() as one, db.acquire() as other:
        transaction = one.transaction()
        await transaction.start()
        await one.execute(first[0], *first[1])
        waiting = asyncio.ensure_future(other.execute(then[0], *then[1]))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # waits on the first one's lock
        await transaction.commit()
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await waiting


async def test_a_removal_waits_for_a_fact_write_in_progress_then_sees_it(
    stored: asyncpg.Pool,
) -> None:
    await _waits_then_is_refused(stored, (FAN_SQL, ("u3",)), (REMOVE_U3_SQL, ()))
    assert await stored.fetchval("SELECT count(*) FROM users WHERE user_id = 'u3'") == 1


async def test_a_fact_write_waits_for_a_removal_in_progress_then_sees_it(
    stored: asyncpg.Pool,
) -> None:
    await _waits_then_is_refused(stored, (REMOVE_U3_SQL, ()), (FAN_SQL, ("u3",)))
    assert await stored.fetchval("SELECT count(*) FROM fans") == 0


async def test_a_fact_write_waits_for_a_load_and_a_load_checks_its_own(
    stored: asyncpg.Pool,
) -> None:
    async with stored.acquire() as loader, stored.acquire() as other:
        loading = loader.transaction()
        await loading.start()
        await loader.execute("SELECT pg_advisory_xact_lock($1)", LOAD_LOCK_KEY)
        await loader.execute(FAN_SQL, "u1")
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await loader.execute("SAVEPOINT s; " + FAN_SQL.replace("$1", "'u9'"))
        await loader.execute("ROLLBACK TO SAVEPOINT s")
        write = asyncio.ensure_future(other.execute(FAN_SQL, "u2"))
        await asyncio.sleep(0.3)
        assert not write.done()  # the other writer waits for the load's commit
        await loading.commit()
        await write
    assert await stored.fetch("SELECT user_id FROM fans ORDER BY 1") == [("u1",), ("u2",)]

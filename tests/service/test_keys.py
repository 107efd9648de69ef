"""Keys are random, stored hashed, and scoped."""

from __future__ import annotations

import asyncpg
import pytest

from service.keys import create_key, find_active_key, hash_secret, list_keys, revoke_key


async def test_secret_is_stored_only_as_its_hash(shops: asyncpg.Pool) -> None:
    key, secret = await create_key(shops, scope="read", shops=("s1",), name="bi")
    stored = await shops.fetchrow("SELECT * FROM api_keys WHERE key_id = $1", key.key_id)
    assert stored is not None
    assert secret not in [str(value) for value in stored.values()]
    assert stored["secret_hash"] == hash_secret(secret)
    assert len(secret.split("_", 2)[2]) >= 43  # 32 random bytes, url-safe base64


async def test_two_keys_differ(shops: asyncpg.Pool) -> None:
    _, first = await create_key(shops, scope="admin", shops=None, name="")
    _, second = await create_key(shops, scope="admin", shops=None, name="")
    assert first != second


@pytest.mark.parametrize(
    ("scope", "shop_ids", "message"),
    [
        ("read", None, "a read key must name the shops it may touch"),
        ("write", None, "a write key must name the shops it may touch"),
        ("admin", ("s1",), "an admin key reaches every shop; do not name shops"),
        ("read", ("s1", "zz"), "unknown shop(s): zz"),
    ],
)
async def test_bad_key_requests_are_refused(
    shops: asyncpg.Pool, scope: str, shop_ids: tuple[str, ...] | None, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        await create_key(shops, scope=scope, shops=shop_ids, name="")  # type: ignore[arg-type]
    assert str(raised.value) == message


async def test_revoked_key_is_listed_but_not_found(shops: asyncpg.Pool) -> None:
    key, secret = await create_key(shops, scope="write", shops=("s1", "s2"), name="crm")
    assert await find_active_key(shops, secret=secret) == key
    assert await revoke_key(shops, key_id=key.key_id)
    assert await find_active_key(shops, secret=secret) is None
    (listed,) = await list_keys(shops)
    assert listed.key_id == key.key_id
    assert listed.shops == ("s1", "s2")
    assert listed.revoked_at is not None
    assert not await revoke_key(shops, key_id="no-such-key")

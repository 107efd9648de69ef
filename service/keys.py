"""API keys: random secrets shown once, kept only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import asyncpg

Scope = Literal["read", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "write", "admin")
KEY_PREFIX = "mlk"


@dataclass(frozen=True)
class ApiKey:
    """A stored key, without its secret."""

    key_id: str
    name: str
    scope: Scope
    shops: tuple[str, ...] | None
    created_at: datetime
    revoked_at: datetime | None


def hash_secret(secret: str) -> str:
    """The stored form of a key (keys carry ≥128 random bits, so a plain digest suffices)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(record: asyncpg.Record) -> ApiKey:
    shops = record["shops"]
    return ApiKey(
        key_id=record["key_id"],
        name=record["name"],
        scope=record["scope"],
        shops=tuple(shops) if shops is not None else None,
        created_at=record["created_at"],
        revoked_at=record["revoked_at"],
    )


UNKNOWN_SHOPS_SQL = """
SELECT wanted
FROM unnest($1::text[]) AS wanted
WHERE NOT EXISTS (SELECT 1 FROM shops WHERE shops.shop_id = wanted)
"""

INSERT_KEY_SQL = """
INSERT INTO api_keys (key_id, name, scope, shops, secret_hash)
VALUES ($1, $2, $3, $4, $5)
RETURNING key_id, name, scope, shops, created_at, revoked_at
"""


async def create_key(
    pool: asyncpg.Pool, *, scope: Scope, shops: tuple[str, ...] | None, name: str
) -> tuple[ApiKey, str]:
    """Store a new key and return it with its secret, which is never shown again.

    Admin keys reach every shop; read and write keys must name the shops they reach.
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if scope == "admin" and shops:
        raise ValueError("an admin key reaches every shop; do not name shops")
    if scope != "admin" and not shops:
        raise ValueError(f"a {scope} key must name the shops it may touch")
    if shops:
        unknown = [row["wanted"] for row in await pool.fetch(UNKNOWN_SHOPS_SQL, list(shops))]
        if unknown:
            raise ValueError(f"unknown shop(s): {', '.join(unknown)}")
    key_id = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    record = await pool.fetchrow(
        INSERT_KEY_SQL,
        key_id,
        name,
        scope,
        list(shops) if shops else None,
        hash_secret(secret),
    )
    assert record is not None
    return _key(record), secret


LIST_KEYS_SQL = """
SELECT key_id, name, scope, shops, created_at, revoked_at
FROM api_keys
ORDER BY created_at, key_id
"""


async def list_keys(pool: asyncpg.Pool) -> list[ApiKey]:
    """Every key, revoked ones included."""
    return [_key(record) for record in await pool.fetch(LIST_KEYS_SQL)]


REVOKE_KEY_SQL = """
UPDATE api_keys
SET revoked_at = coalesce(revoked_at, now())
WHERE key_id = $1
RETURNING key_id
"""


async def revoke_key(pool: asyncpg.Pool, *, key_id: str) -> bool:
    """Revoke a key at once; False when no key has that id."""
    return await pool.fetchval(REVOKE_KEY_SQL, key_id) is not None


FIND_KEY_SQL = """
SELECT key_id, name, scope, shops, created_at, revoked_at
FROM api_keys
WHERE secret_hash = $1
  AND revoked_at IS NULL
"""


async def find_active_key(pool: asyncpg.Pool, *, secret: str) -> ApiKey | None:
    """The unrevoked key with this secret, if any."""
    record = await pool.fetchrow(FIND_KEY_SQL, hash_secret(secret))
    return _key(record) if record is not None else None

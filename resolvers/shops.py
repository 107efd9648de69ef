"""Shops the caller may read."""

from __future__ import annotations

import asyncpg
import strawberry

from resolvers.errors import Forbidden, NotFound
from resolvers.pagination import build_connection, check_first, decode_id_cursor, encode_cursor
from schema.context import Info
from schema.shop import Shop, ShopConnection

SHOP_SQL = """
SELECT shop_id, name, industry, tier
FROM shops
WHERE shop_id = $1
"""

SHOPS_PAGE_SQL = """
SELECT shop_id, name, industry, tier
FROM shops
WHERE ($1::text[] IS NULL OR shop_id = any($1::text[]))
  AND ($2::text IS NULL OR shop_id > $2::text)
ORDER BY shop_id
LIMIT $3
"""

SHOPS_COUNT_SQL = """
SELECT count(*)
FROM shops
WHERE ($1::text[] IS NULL OR shop_id = any($1::text[]))
"""


def _shop(record: asyncpg.Record) -> Shop:
    return Shop(
        id=strawberry.ID(record["shop_id"]),
        name=record["name"],
        industry=record["industry"],
        tier=record["tier"],
    )


async def load_shop(info: Info, shop_id: str) -> Shop:
    """The shop, once the caller is allowed to read it; FORBIDDEN before NOT_FOUND."""
    if not info.context.principal.may_read(shop_id):
        raise Forbidden(f"id: this API key may not read shop {shop_id!r}")
    record = await info.context.pool.fetchrow(SHOP_SQL, shop_id)
    if record is None:
        raise NotFound(f"id: no shop {shop_id!r}")
    return _shop(record)


async def resolve_shop(info: Info, id: strawberry.ID) -> Shop | None:
    """``Query.shop``."""
    return await load_shop(info, str(id))


async def resolve_shops(
    info: Info, first: int | None = 20, after: str | None = None
) -> ShopConnection:
    """``Query.shops``: keyset pages over shop ids."""
    first = check_first(first, max_page_size=info.context.settings.max_page_size)
    after_id = decode_id_cursor(after, kind="shop") if after is not None else None
    shops = info.context.principal.shops
    visible = sorted(shops) if shops is not None else None
    pool = info.context.pool
    records = await pool.fetch(SHOPS_PAGE_SQL, visible, after_id, first + 1)
    total = await pool.fetchval(SHOPS_COUNT_SQL, visible)
    return build_connection(
        [_shop(record) for record in records],
        first=first,
        total=total,
        has_previous=after_id is not None,
        cursor_of=lambda shop: encode_cursor("shop", [str(shop.id)]),
    )

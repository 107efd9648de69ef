"""Saving segments: create, update, delete, and reading a shop's saved segments."""

from __future__ import annotations

import json
import secrets
from typing import Any, Final

import asyncpg
import strawberry
from strawberry.scalars import JSON

from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.metrics import ShopKey
from resolvers.segments.audience import SegmentKey, decode_rule
from resolvers.segments.rules import parse_rule
from resolvers.shop_fields import ShopRoot, shop_key
from schema.context import Info
from schema.segment import Segment
from schema.segment_rule import SegmentRuleInput

MAX_NAME_LENGTH: Final = 200

SEGMENT_SQL: Final = """
SELECT g.segment_id, g.shop_id, g.name, g.rule, g.created_at, g.updated_at, s.industry, s.tier
FROM segments AS g
JOIN shops AS s ON s.shop_id = g.shop_id
WHERE g.segment_id = $1
"""

SHOP_SEGMENTS_SQL: Final = """
SELECT g.segment_id, g.shop_id, g.name, g.rule, g.created_at, g.updated_at, s.industry, s.tier
FROM segments AS g
JOIN shops AS s ON s.shop_id = g.shop_id
WHERE g.shop_id = $1
ORDER BY g.created_at DESC, g.segment_id DESC
"""

SHOP_SEGMENT_SQL: Final = """
SELECT g.segment_id, g.shop_id, g.name, g.rule, g.created_at, g.updated_at, s.industry, s.tier
FROM segments AS g
JOIN shops AS s ON s.shop_id = g.shop_id
WHERE g.segment_id = $1
  AND g.shop_id = $2
"""

SHOP_EXISTS_SQL: Final = """
SELECT 1
FROM shops
WHERE shop_id = $1
"""

INSERT_SEGMENT_SQL: Final = """
WITH g AS (
    INSERT INTO segments (segment_id, shop_id, name, rule)
    VALUES ($1, $2, $3, $4::jsonb)
    RETURNING segment_id, shop_id, name, rule, created_at, updated_at
)
SELECT g.segment_id, g.shop_id, g.name, g.rule, g.created_at, g.updated_at, s.industry, s.tier
FROM g
JOIN shops AS s ON s.shop_id = g.shop_id
"""

UPDATE_SEGMENT_SQL: Final = """
WITH g AS (
    UPDATE segments
    SET name = coalesce($2, name),
        rule = coalesce($3::jsonb, rule),
        updated_at = now()
    WHERE segment_id = $1
    RETURNING segment_id, shop_id, name, rule, created_at, updated_at
)
SELECT g.segment_id, g.shop_id, g.name, g.rule, g.created_at, g.updated_at, s.industry, s.tier
FROM g
JOIN shops AS s ON s.shop_id = g.shop_id
"""

DELETE_SEGMENT_SQL: Final = """
DELETE FROM segments
WHERE segment_id = $1
"""


def new_segment_id() -> str:
    """A random, URL-safe segment id."""
    return "seg_" + secrets.token_urlsafe(12)


def segment_of(record: asyncpg.Record) -> Segment:
    """The GraphQL segment of a row of segment and shop columns."""
    rule = decode_rule(record["rule"])
    shop = ShopKey(shop_id=record["shop_id"], industry=record["industry"], tier=record["tier"])
    return Segment(
        id=strawberry.ID(record["segment_id"]),
        name=record["name"],
        rule=JSON(rule),
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        key=SegmentKey(segment_id=record["segment_id"], shop=shop, rule=rule),
    )


def checked_name(name: str) -> str:
    """The name trimmed, once it is 1 to 200 characters long."""
    trimmed = name.strip()
    if not trimmed:
        raise BadUserInput("name: must not be empty")
    if len(trimmed) > MAX_NAME_LENGTH:
        raise BadUserInput(f"name: at most {MAX_NAME_LENGTH} characters, not {len(trimmed)}")
    return trimmed


async def checked_rule(info: Info, shop_id: str, rule: SegmentRuleInput) -> str:
    """The rule validated against the shop, as the JSON text stored."""
    parsed: dict[str, Any] = await parse_rule(
        info.context.pool,
        shop_id,
        rule,
        max_depth=info.context.settings.segment_max_depth,
    )
    return json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))


def require_write(info: Info, operation: str) -> None:
    """FORBIDDEN for a key without write scope."""
    if not info.context.principal.can_write:
        raise Forbidden(f"{operation}: this API key has read scope; segments need a write key")


async def writable_segment(info: Info, segment_id: str, operation: str) -> Segment:
    """The segment a write key may change: FORBIDDEN (read key, or a shop the key may not
    touch) before NOT_FOUND."""
    require_write(info, operation)
    record = await info.context.pool.fetchrow(SEGMENT_SQL, segment_id)
    if record is None:
        raise NotFound(f"id: no segment {segment_id!r}")
    if not info.context.principal.may_read(record["shop_id"]):
        raise Forbidden(f"id: this API key may not touch the shop of segment {segment_id!r}")
    return segment_of(record)


async def resolve_create_segment(
    info: Info, shop_id: strawberry.ID, name: str, rule: SegmentRuleInput
) -> Segment:
    """``Mutation.createSegment``: a new segment of the shop, its rule validated."""
    require_write(info, "createSegment")
    shop = str(shop_id)
    if not info.context.principal.may_read(shop):
        raise Forbidden(f"shopId: this API key may not touch shop {shop!r}")
    pool = info.context.pool
    if await pool.fetchval(SHOP_EXISTS_SQL, shop) is None:
        raise NotFound(f"shopId: no shop {shop!r}")
    saved_name = checked_name(name)
    saved_rule = await checked_rule(info, shop, rule)
    record = await pool.fetchrow(INSERT_SEGMENT_SQL, new_segment_id(), shop, saved_name, saved_rule)
    return segment_of(record)


async def resolve_update_segment(
    info: Info,
    id: strawberry.ID,
    name: str | None = None,
    rule: SegmentRuleInput | None = None,
) -> Segment:
    """``Mutation.updateSegment``: a new name, a new rule (validated again), or both."""
    segment = await writable_segment(info, str(id), "updateSegment")
    if name is None and rule is None:
        raise BadUserInput("updateSegment: give a new name, a new rule or both")
    saved_name = checked_name(name) if name is not None else None
    saved_rule = (
        await checked_rule(info, segment.key.shop.shop_id, rule) if rule is not None else None
    )
    record = await info.context.pool.fetchrow(UPDATE_SEGMENT_SQL, str(id), saved_name, saved_rule)
    if record is None:  # deleted meanwhile
        raise NotFound(f"id: no segment {str(id)!r}")
    return segment_of(record)


async def resolve_delete_segment(info: Info, id: strawberry.ID) -> bool:
    """``Mutation.deleteSegment``: true once deleted, with its export links."""
    await writable_segment(info, str(id), "deleteSegment")
    status = await info.context.pool.execute(DELETE_SEGMENT_SQL, str(id))
    if status == "DELETE 0":  # deleted meanwhile
        raise NotFound(f"id: no segment {str(id)!r}")
    return True


async def resolve_shop_segments(root: ShopRoot, info: Info) -> list[Segment]:
    """``Shop.segments``: newest first."""
    records = await info.context.pool.fetch(SHOP_SEGMENTS_SQL, shop_key(root).shop_id)
    return [segment_of(record) for record in records]


async def resolve_shop_segment(root: ShopRoot, info: Info, id: strawberry.ID) -> Segment | None:
    """``Shop.segment``: null with NOT_FOUND unless the segment is this shop's."""
    shop_id = shop_key(root).shop_id
    record = await info.context.pool.fetchrow(SHOP_SEGMENT_SQL, str(id), shop_id)
    if record is None:
        raise NotFound(f"id: no segment {str(id)!r} in shop {shop_id!r}")
    return segment_of(record)

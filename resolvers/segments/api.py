"""Reading saved segments, and what the mutations that save them share: the checks of a
name, a rule and a key's right to write."""

from __future__ import annotations

import json
from typing import Any, Final

import asyncpg
import strawberry
from strawberry.scalars import JSON

from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.metrics import ShopKey
from resolvers.segments.audience import decode_rule, segment_key
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


def segment_of(info: Info, record: asyncpg.Record) -> Segment:
    """The GraphQL segment of a row of segment and shop columns."""
    rule = decode_rule(record["rule"])
    shop = ShopKey(shop_id=record["shop_id"], industry=record["industry"], tier=record["tier"])
    max_depth = info.context.settings.segment_max_depth
    return Segment(
        id=strawberry.ID(record["segment_id"]),
        name=record["name"],
        rule=JSON(rule),
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        key=segment_key(record["segment_id"], shop, rule, max_depth=max_depth),
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
    return segment_of(info, record)


async def resolve_shop_segments(root: ShopRoot, info: Info) -> list[Segment]:
    """``Shop.segments``: newest first."""
    records = await info.context.pool.fetch(SHOP_SEGMENTS_SQL, shop_key(root).shop_id)
    return [segment_of(info, record) for record in records]


async def resolve_shop_segment(root: ShopRoot, info: Info, id: strawberry.ID) -> Segment | None:
    """``Shop.segment``: null with NOT_FOUND unless the segment is this shop's."""
    shop_id = shop_key(root).shop_id
    record = await info.context.pool.fetchrow(SHOP_SEGMENT_SQL, str(id), shop_id)
    if record is None:
        raise NotFound(f"id: no segment {str(id)!r} in shop {shop_id!r}")
    return segment_of(info, record)

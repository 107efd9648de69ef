"""``createSegment``, ``updateSegment`` and ``deleteSegment``.

Each registers, once it has saved, the statement that takes the save back should the
response carry no result (SPEC §8): a later field or mutation of the same document can
fail in a way that nulls ``data``, and the client then never learns what was saved.
"""

from __future__ import annotations

import secrets
from typing import Final

import strawberry

from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.segments.api import (
    checked_name,
    checked_rule,
    require_write,
    segment_of,
    writable_segment,
)
from resolvers.take_back import take_back_with
from schema.context import Info
from schema.segment import Segment
from schema.segment_rule import SegmentRuleInput

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

# The new segment's exports, if any, go with it (ON DELETE CASCADE).
TAKE_BACK_INSERT_SQL: Final = """
DELETE FROM segments
WHERE segment_id = $1
"""

# The row as it was comes back with the new one; FOR UPDATE makes it the latest version.
UPDATE_SEGMENT_SQL: Final = """
WITH previous AS (
    SELECT segment_id, name, rule, updated_at
    FROM segments
    WHERE segment_id = $1
    FOR UPDATE
),
g AS (
    UPDATE segments AS u
    SET name = coalesce($2, u.name),
        rule = coalesce($3::jsonb, u.rule),
        updated_at = now()
    FROM previous AS p
    WHERE u.segment_id = p.segment_id
    RETURNING u.segment_id, u.shop_id, u.name, u.rule, u.created_at, u.updated_at,
              p.name AS previous_name, p.rule AS previous_rule,
              p.updated_at AS previous_updated_at
)
SELECT g.segment_id, g.shop_id, g.name, g.rule, g.created_at, g.updated_at, s.industry, s.tier,
       g.previous_name, g.previous_rule, g.previous_updated_at
FROM g
JOIN shops AS s ON s.shop_id = g.shop_id
"""

# Only while the segment is still as the update left it ($5: the update's updated_at).
TAKE_BACK_UPDATE_SQL: Final = """
UPDATE segments
SET name = $2,
    rule = $3::jsonb,
    updated_at = $4
WHERE segment_id = $1
  AND updated_at = $5
"""

# The export links go with the segment; they are read in the same snapshot, before the
# cascade, so that a take-back can put them back.
DELETE_SEGMENT_SQL: Final = """
WITH links AS (
    SELECT coalesce(jsonb_agg(to_jsonb(e)), '[]'::jsonb) AS rows
    FROM segment_exports AS e
    WHERE e.segment_id = $1
)
DELETE FROM segments AS g
WHERE g.segment_id = $1
RETURNING g.shop_id, g.name, g.rule, g.created_at, g.updated_at, (SELECT rows FROM links) AS links
"""

TAKE_BACK_DELETE_SQL: Final = """
WITH g AS (
    INSERT INTO segments (segment_id, shop_id, name, rule, created_at, updated_at)
    VALUES ($1, $2, $3, $4::jsonb, $5, $6)
    ON CONFLICT (segment_id) DO NOTHING
    RETURNING segment_id
)
INSERT INTO segment_exports (export_id, segment_id, shop_id, rule, as_of, rows, expires_at,
                             created_at)
SELECT e.export_id, e.segment_id, e.shop_id, e.rule, e.as_of, e.rows, e.expires_at,
       e.created_at
FROM g
JOIN jsonb_populate_recordset(NULL::segment_exports, $7::jsonb) AS e
  ON e.segment_id = g.segment_id
ON CONFLICT (export_id) DO NOTHING
"""


def new_segment_id() -> str:
    """A random, URL-safe segment id."""
    return "seg_" + secrets.token_urlsafe(12)


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
    segment_id = new_segment_id()
    # Registered before the insert: should the request end while the insert is committed
    # but not yet answered (its deadline), the new id is still taken back.
    take_back_with(info, TAKE_BACK_INSERT_SQL, segment_id)
    record = await pool.fetchrow(INSERT_SEGMENT_SQL, segment_id, shop, saved_name, saved_rule)
    return segment_of(info, record)


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
    take_back_with(
        info,
        TAKE_BACK_UPDATE_SQL,
        str(id),
        record["previous_name"],
        record["previous_rule"],
        record["previous_updated_at"],
        record["updated_at"],
    )
    return segment_of(info, record)


async def resolve_delete_segment(info: Info, id: strawberry.ID) -> bool:
    """``Mutation.deleteSegment``: true once deleted, with its export links."""
    await writable_segment(info, str(id), "deleteSegment")
    record = await info.context.pool.fetchrow(DELETE_SEGMENT_SQL, str(id))
    if record is None:  # deleted meanwhile
        raise NotFound(f"id: no segment {str(id)!r}")
    # A Boolean! has no sub-field that could fail once the segment is gone, but a later
    # mutation of the same document can still null the response: it is taken back then.
    take_back_with(
        info,
        TAKE_BACK_DELETE_SQL,
        str(id),
        record["shop_id"],
        record["name"],
        record["rule"],
        record["created_at"],
        record["updated_at"],
        record["links"],
    )
    return True

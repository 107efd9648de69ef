"""Audience exports: a link that freezes a segment's rule and as-of day, and the CSV it
streams when downloaded."""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from zoneinfo import ZoneInfo

import asyncpg
import strawberry

from resolvers.errors import NotFound
from resolvers.member_status import is_fan_sql, member_status_sql
from resolvers.segments.api import writable_segment
from resolvers.segments.audience import as_of_day, compile_audience, decode_rule
from resolvers.segments.compiler import segment_sql
from resolvers.segments.params import Params
from resolvers.take_back import take_back_with
from schema.context import Info
from schema.segment import Export

EXPORT_ROUTE: Final = "segment_export"  # the name of the download route in the app
CSV_COLUMNS: Final = (
    "user_id",
    "gender",
    "age_band",
    "province",
    "crowd",
    "member_status",
    "fan_status",
)
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection);
# OWASP's remedy: a single quote in front, so that the cell is shown as text.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
FETCH_ROWS: Final = 1000  # rows the server-side cursor hands over at a time
CHUNK_BYTES: Final = 64 * 1024  # CSV text gathered before it is sent

# The size is counted by the INSERT itself: one statement for the count and the link.
# Links expired for more than a day are purged on the way (they then answer 404, not 410).
INSERT_EXPORT_SQL: Final = """
WITH purged AS (
    DELETE FROM segment_exports WHERE expires_at < now() - interval '1 day'
)
INSERT INTO segment_exports (export_id, segment_id, shop_id, rule, as_of, rows, expires_at)
SELECT {export_id}, {segment_id}, {shop_id}, {rule}, {as_of}, count(*),
       now() + {seconds} * interval '1 second'
FROM (
{audience}
) AS audience
RETURNING rows, expires_at
"""

TAKE_BACK_EXPORT_SQL: Final = """
DELETE FROM segment_exports
WHERE export_id = $1
"""

EXPORT_SQL: Final = """
SELECT segment_id, shop_id, rule, as_of, expires_at <= now() AS expired
FROM segment_exports
WHERE export_id = $1
"""

AUDIENCE_CSV_SQL: Final = """
WITH audience AS (
{audience}
)
SELECT a.user_id,
       coalesce(u.gender, 'unknown') AS gender,
       coalesce(u.age_band, 'unknown') AS age_band,
       coalesce(u.province, 'unknown') AS province,
       coalesce(u.crowd, 'unknown') AS crowd,
       lower({status}) AS member_status,
       CASE WHEN {is_fan} THEN 'fan' ELSE 'non_fan' END AS fan_status
FROM audience AS a
LEFT JOIN users AS u ON u.user_id = a.user_id
ORDER BY a.user_id COLLATE "C"
"""


async def resolve_export_segment(
    info: Info, id: strawberry.ID, as_of: date | None = None
) -> Export:
    """``Mutation.exportSegment``: a download link for the audience as of the day, valid
    for ``export_link_seconds``."""
    segment = await writable_segment(info, str(id), "exportSegment")
    settings = info.context.settings
    day = as_of_day(as_of, zone=settings.zone)
    key = segment.key
    shop_id = key.shop.shop_id
    rule = key.evaluable_rule()
    params = Params()
    audience = segment_sql(rule, shop_id=shop_id, as_of=day, zone=settings.zone, params=params)
    export_id = secrets.token_urlsafe(24)
    statement = INSERT_EXPORT_SQL.format(
        export_id=params.add(export_id, "text"),
        segment_id=params.add(key.segment_id, "text"),
        shop_id=params.add(shop_id, "text"),
        rule=params.add(json.dumps(rule, ensure_ascii=False), "jsonb"),
        as_of=params.add(day, "date"),
        seconds=params.add(settings.export_link_seconds, "integer"),
        audience=audience,
    )
    try:
        record = await info.context.pool.fetchrow(statement, *params.values)
    except asyncpg.ForeignKeyViolationError:  # the segment was deleted meanwhile
        raise NotFound(f"id: no segment {str(id)!r}") from None
    # The link is taken back should the response carry no result: nobody would know it.
    take_back_with(info, TAKE_BACK_EXPORT_SQL, export_id)
    url = info.context.request.url_for(EXPORT_ROUTE, export_id=export_id)
    return Export(url=str(url), expires_at=record["expires_at"], rows=record["rows"])


@dataclass(frozen=True)
class ExportTicket:
    """An export link as stored: whose audience, as of which day, and whether it expired."""

    export_id: str
    segment_id: str
    shop_id: str
    rule: dict[str, Any]
    as_of: date
    expired: bool

    @property
    def filename(self) -> str:
        return f"{self.segment_id}-{self.as_of.isoformat()}.csv"


async def find_export(pool: asyncpg.Pool, *, export_id: str) -> ExportTicket | None:
    """The export behind a link, expired or not; None when unknown."""
    record = await pool.fetchrow(EXPORT_SQL, export_id)
    if record is None:
        return None
    return ExportTicket(
        export_id=export_id,
        segment_id=record["segment_id"],
        shop_id=record["shop_id"],
        rule=decode_rule(record["rule"]),
        as_of=record["as_of"],
        expired=record["expired"],
    )


def neutralised(cell: object) -> object:
    """The cell as written: text a spreadsheet would take for a formula gets a single
    quote in front (the CSV quoting then applies to the quoted text as to any other)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return f"'{cell}"
    return cell


async def audience_csv(
    pool: asyncpg.Pool, ticket: ExportTicket, *, zone: ZoneInfo
) -> AsyncGenerator[bytes, None]:
    """The audience as UTF-8 CSV chunks, by user id (byte order), read through a
    server-side cursor in one read-only transaction so that memory stays flat."""
    audience = compile_audience(ticket.rule, shop_id=ticket.shop_id, as_of=ticket.as_of, zone=zone)
    statement = AUDIENCE_CSV_SQL.format(
        audience=audience.sql,
        status=member_status_sql(audience.shop, "a.user_id", audience.at),
        is_fan=is_fan_sql(shop=audience.shop, user="a.user_id", at=audience.at),
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    async with pool.acquire() as connection:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            rows = connection.cursor(statement, *audience.params.values, prefetch=FETCH_ROWS)
            async for record in rows:
                writer.writerow([neutralised(cell) for cell in record.values()])
                if buffer.tell() >= CHUNK_BYTES:
                    yield buffer.getvalue().encode()
                    buffer.seek(0)
                    buffer.truncate()
    yield buffer.getvalue().encode()

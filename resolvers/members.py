"""``Shop.members`` and ``Shop.member``: a shop's members, read at the request instant.

A member node is a user with a membership stint at the shop that began before the instant;
its stint fields are those of the latest such stint, which is the one in force if any
(stints of one user never overlap). Every statement below aliases that latest stint (or
the page of them) ``l``, so the status, fan and sort-key fragments fit each of them.

Parameters shared by the page and the count statements: $1 shop, $2 the instant,
$3 include former members, $4 join channels, $5/$6 joined in [from, until), $7 statuses,
$8 fan or not. The page adds $9/$10 (the cursor's user id and sort key) and $11 (limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Final
from zoneinfo import ZoneInfo

import asyncpg
import strawberry

from resolvers.days import checked_instant, day_start, shift_day
from resolvers.errors import BadUserInput, NotFound
from resolvers.member_orders import MemberKey
from resolvers.member_status import MemberStatus, is_fan_sql, member_status_sql
from resolvers.pagination import build_connection, check_first, decode_cursor, encode_cursor
from resolvers.shop_fields import ShopRoot
from schema.context import Info
from schema.member import Member, MemberConnection, MemberFilter, MemberOrder
from vocabulary import JOIN_CHANNELS

STATUS_SQL: Final = member_status_sql("$1::text", "l.user_id", "$2::timestamptz")

IS_FAN_SQL: Final = is_fan_sql(shop="$1::text", user="l.user_id", at="$2::timestamptz")

# Stints that begin after the instant do not exist yet for this reading.
LATEST_STINTS_SQL: Final = """
SELECT DISTINCT ON (m.user_id)
       m.user_id,
       m.joined_at,
       m.join_channel,
       m.left_at
FROM members AS m
WHERE m.shop_id = $1::text
  AND m.joined_at < $2::timestamptz
ORDER BY m.user_id, m.joined_at DESC
"""

FILTERS_SQL: Final = f"""($3::boolean OR l.left_at IS NULL OR l.left_at >= $2::timestamptz)
      AND ($4::text[] IS NULL OR l.join_channel = any($4::text[]))
      AND ($5::timestamptz IS NULL OR l.joined_at >= $5::timestamptz)
      AND ($6::timestamptz IS NULL OR l.joined_at < $6::timestamptz)
      AND ($7::text[] IS NULL OR ({STATUS_SQL}) = any($7::text[]))
      AND ($8::boolean IS NULL OR ({IS_FAN_SQL}) = $8::boolean)"""

MEMBERS_COUNT_SQL: Final = f"""
WITH latest AS (
{LATEST_STINTS_SQL}
)
SELECT count(*)
FROM latest AS l
WHERE {FILTERS_SQL}
"""  # noqa: S608 (fixed fragments from code)

# The select list and FROM clause of the scalar fields of the members in ``page`` (aliased
# l): computed for those rows only, never per member statement.
MEMBER_FIELDS_SQL: Final = f"""l.user_id,
       l.joined_at,
       l.join_channel,
       l.left_at,
       {STATUS_SQL} AS status,
       {IS_FAN_SQL} AS is_fan,
       u.gender,
       u.age_band,
       u.province,
       u.crowd,
       bought.order_count,
       bought.total_amount,
       bought.last_order_at
FROM page AS l
LEFT JOIN users AS u ON u.user_id = l.user_id
CROSS JOIN LATERAL (
    SELECT count(*) AS order_count,
           coalesce(sum(o.amount), 0) AS total_amount,
           max(o.paid_at) AS last_order_at
    FROM orders AS o
    WHERE o.shop_id = $1::text
      AND o.user_id = l.user_id
      AND o.paid_at < $2::timestamptz
) AS bought"""  # noqa: S608 (fixed fragments from code)

MEMBER_SQL: Final = f"""
WITH page AS (
    SELECT m.user_id,
           m.joined_at,
           m.join_channel,
           m.left_at
    FROM members AS m
    WHERE m.shop_id = $1::text
      AND m.user_id = $3::text
      AND m.joined_at < $2::timestamptz
    ORDER BY m.joined_at DESC
    LIMIT 1
)
SELECT {MEMBER_FIELDS_SQL}
"""  # noqa: S608 (fixed fragments from code)

# Sort keys over the latest stint l; the order-based ones are null without orders.
ORDERS_BEFORE_SQL: Final = """(
        SELECT {aggregate}
        FROM orders AS o
        WHERE o.shop_id = $1::text
          AND o.user_id = l.user_id
          AND o.paid_at < $2::timestamptz
    )"""


@dataclass(frozen=True)
class Sort:
    """One ordering: its key over the latest stint, the key's SQL type, its direction."""

    key_sql: str
    key_type: str
    descending: bool

    @property
    def nullable(self) -> bool:
        """Only the order-based keys are ever null (a member without orders)."""
        return self.key_sql != JOINED_AT


JOINED_AT = "l.joined_at"
LAST_ORDER_AT = ORDERS_BEFORE_SQL.format(aggregate="max(o.paid_at)")
TOTAL_AMOUNT = ORDERS_BEFORE_SQL.format(aggregate="sum(o.amount)")

SORTS: Final[dict[MemberOrder, Sort]] = {
    MemberOrder.JOINED_AT_DESC: Sort(JOINED_AT, "timestamptz", descending=True),
    MemberOrder.JOINED_AT_ASC: Sort(JOINED_AT, "timestamptz", descending=False),
    MemberOrder.LAST_ORDER_AT_DESC: Sort(LAST_ORDER_AT, "timestamptz", descending=True),
    MemberOrder.LAST_ORDER_AT_ASC: Sort(LAST_ORDER_AT, "timestamptz", descending=False),
    MemberOrder.TOTAL_AMOUNT_DESC: Sort(TOTAL_AMOUNT, "numeric", descending=True),
    MemberOrder.TOTAL_AMOUNT_ASC: Sort(TOTAL_AMOUNT, "numeric", descending=False),
}


def _page_sql(sort: Sort) -> str:
    """The page statement of one ordering: keys ascending or descending with nulls (no
    orders) last either way, ties by user id byte-wise; rows after the cursor ($9, $10)."""
    direction = "DESC" if sort.descending else "ASC"
    beyond = "<" if sort.descending else ">"
    key = f"$10::{sort.key_type}"
    order = f'l.sort_key {direction} NULLS LAST, l.user_id COLLATE "C"'
    return f"""
WITH latest AS (
{LATEST_STINTS_SQL}
),
listed AS (
    SELECT l.*,
           {sort.key_sql} AS sort_key
    FROM latest AS l
    WHERE {FILTERS_SQL}
),
page AS (
    SELECT l.*
    FROM listed AS l
    WHERE $9::text IS NULL
       OR ({key} IS NULL AND l.sort_key IS NULL AND l.user_id COLLATE "C" > $9::text)
       OR ({key} IS NOT NULL AND (
              l.sort_key IS NULL
              OR l.sort_key {beyond} {key}
              OR (l.sort_key = {key} AND l.user_id COLLATE "C" > $9::text)
          ))
    ORDER BY {order}
    LIMIT $11::integer
)
SELECT l.sort_key,
       {MEMBER_FIELDS_SQL}
ORDER BY {order}
"""  # noqa: S608 (fixed fragments from code)


MEMBERS_PAGE_SQL: Final[dict[MemberOrder, str]] = {
    order: _page_sql(sort) for order, sort in SORTS.items()
}

SortKey = datetime | Decimal | None


def _member(record: asyncpg.Record, *, shop_id: str, at: datetime) -> Member:
    status = record["status"]
    return Member(
        id=strawberry.ID(record["user_id"]),
        joined_at=record["joined_at"],
        join_channel=record["join_channel"],
        left_at=record["left_at"],
        status=MemberStatus(status) if status is not None else None,
        is_fan=record["is_fan"],
        gender=record["gender"],
        age_band=record["age_band"],
        province=record["province"],
        crowd=record["crowd"],
        order_count=record["order_count"],
        total_amount=float(record["total_amount"]),
        last_order_at=record["last_order_at"],
        key=MemberKey(shop_id=shop_id, user_id=record["user_id"], at=at),
    )


def _cursor_kind(order: MemberOrder) -> str:
    # Each ordering has its own kind: a cursor only resumes the ordering that made it.
    return f"member:{order.value}"


def _encode_key(value: SortKey) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _decode_key(text: object, key_type: str) -> SortKey:
    """The sort key written by ``_encode_key``; ValueError when it is not one."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(text)
    if key_type == "timestamptz":
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError(text)
        return checked_instant(moment, subject=f"after: a cursor at {text}")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not amount.is_finite():
        raise ValueError(text)
    return amount


def _after_key(after: str, order: MemberOrder) -> tuple[SortKey, str]:
    key = decode_cursor(after, kind=_cursor_kind(order))
    if len(key) == 2 and isinstance(key[1], str):
        sort = SORTS[order]
        try:
            value = _decode_key(key[0], sort.key_type)
        except ValueError:
            pass
        else:
            if value is not None or sort.nullable:
                return value, key[1]
    raise BadUserInput("after: not a cursor of this list")


def _filter_params(member_filter: MemberFilter | None, zone: ZoneInfo) -> list[object]:
    """Parameters $3–$8 of the member statements, once the filter is valid."""
    if member_filter is None:
        return [False, None, None, None, None, None]
    statuses = member_filter.statuses
    if statuses is not None and not statuses:
        raise BadUserInput("filter.statuses: name at least one status, or leave it out")
    channels = member_filter.join_channels
    if channels is not None and not channels:
        raise BadUserInput("filter.joinChannels: name at least one code, or leave it out")
    for index, code in enumerate(channels or []):
        if code not in JOIN_CHANNELS:
            raise BadUserInput(
                f"filter.joinChannels[{index}]: {code!r} is not a join channel "
                f"({', '.join(JOIN_CHANNELS)})"
            )
    first_day, last_day = member_filter.joined_from, member_filter.joined_to
    if first_day is not None and last_day is not None and first_day > last_day:
        raise BadUserInput(f"filter.joinedFrom: {first_day} is after filter.joinedTo {last_day}")
    joined_from = joined_before = None
    if first_day is not None:
        subject = f"filter.joinedFrom: {first_day} 00:00 {zone.key}"
        joined_from = day_start(first_day, zone, subject=subject)
    if last_day is not None:
        subject = f"filter.joinedTo: the day after {last_day}"
        next_day = shift_day(last_day, days=1, subject=subject)
        joined_before = day_start(next_day, zone, subject=f"{subject}, 00:00 {zone.key}")
    return [
        bool(member_filter.include_former),
        list(channels) if channels is not None else None,
        joined_from,
        joined_before,
        [status.value for status in statuses] if statuses is not None else None,
        member_filter.is_fan,
    ]


async def resolve_shop_members(
    root: ShopRoot,
    info: Info,
    filter: MemberFilter | None = None,
    order_by: MemberOrder | None = MemberOrder.JOINED_AT_DESC,
    first: int | None = 20,
    after: str | None = None,
) -> MemberConnection:
    """``Shop.members``: keyset pages of the filtered members in one ordering, scalar fields
    from the page statement, the total from one count statement."""
    settings = info.context.settings
    order = order_by or MemberOrder.JOINED_AT_DESC
    first = check_first(first, max_page_size=settings.max_page_size)
    after_key, after_id = _after_key(after, order) if after is not None else (None, None)
    params = _filter_params(filter, settings.zone)
    shop_id, at = str(root.id), datetime.now(UTC)
    pool = info.context.pool
    records = await pool.fetch(
        MEMBERS_PAGE_SQL[order], shop_id, at, *params, after_id, after_key, first + 1
    )
    total: int = await pool.fetchval(MEMBERS_COUNT_SQL, shop_id, at, *params)
    kind = _cursor_kind(order)
    cursors = {
        record["user_id"]: encode_cursor(kind, [_encode_key(record["sort_key"]), record["user_id"]])
        for record in records
    }
    return build_connection(
        [_member(record, shop_id=shop_id, at=at) for record in records],
        first=first,
        total=total,
        has_previous=after is not None,
        cursor_of=lambda member: cursors[str(member.id)],
    )


async def resolve_shop_member(root: ShopRoot, info: Info, id: strawberry.ID) -> Member | None:
    """``Shop.member``: the user as a member of the shop; NOT_FOUND when the user never had
    a stint there."""
    shop_id, at = str(root.id), datetime.now(UTC)
    record = await info.context.pool.fetchrow(MEMBER_SQL, shop_id, at, str(id))
    if record is None:
        raise NotFound(f"id: {str(id)!r} was never a member of shop {shop_id!r}")
    return _member(record, shop_id=shop_id, at=at)

"""A member of a shop, the filter and orderings of the member list."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry

from resolvers.member_orders import MemberKey, resolve_member_orders
from resolvers.member_status import MemberStatus
from schema import enums as _enums  # noqa: F401 (registers MemberStatus as a GraphQL enum)
from schema.order import OrderConnection
from schema.pagination import Connection


@strawberry.type(
    description="A user with a membership stint at the shop, read at the request instant. "
    "Stint fields are of the latest stint (the one in force, if any)."
)
class Member:
    id: strawberry.ID = strawberry.field(description="The user id.")
    joined_at: datetime = strawberry.field(description="Start of the latest stint.")
    join_channel: str = strawberry.field(description="Join channel code of the latest stint.")
    left_at: datetime | None = strawberry.field(
        description="End of the latest stint; null while it is in force."
    )
    status: MemberStatus | None = strawberry.field(
        description="Status now; null when the user is not a member now."
    )
    is_fan: bool = strawberry.field(description="Following the shop's account now.")
    gender: str | None = strawberry.field(description="female or male; null when unknown.")
    age_band: str | None = strawberry.field(description="18-23 … 50+; null when unknown.")
    province: str | None = strawberry.field(description="Province name; null when unknown.")
    crowd: str | None = strawberry.field(description="Strategy crowd code; null when unknown.")
    order_count: int = strawberry.field(
        description="The user's orders at the shop, in or out of membership."
    )
    total_amount: float = strawberry.field(
        description="What those orders paid, in yuan; 0 without orders."
    )
    last_order_at: datetime | None = strawberry.field(
        description="When the latest of them was paid; null without orders."
    )
    key: strawberry.Private[MemberKey]
    orders: OrderConnection = strawberry.field(
        resolver=resolve_member_orders,
        description="The user's orders at the shop, newest first (ties: order id, descending).",
    )


MemberConnection = Connection[Member]


@strawberry.enum(description="Orderings of the member list; ties by user id (byte order).")
class MemberOrder(Enum):
    JOINED_AT_DESC = "JOINED_AT_DESC"
    JOINED_AT_ASC = "JOINED_AT_ASC"
    LAST_ORDER_AT_DESC = strawberry.enum_value(
        "LAST_ORDER_AT_DESC", description="Members without orders last."
    )
    LAST_ORDER_AT_ASC = strawberry.enum_value(
        "LAST_ORDER_AT_ASC", description="Members without orders last."
    )
    TOTAL_AMOUNT_DESC = strawberry.enum_value(
        "TOTAL_AMOUNT_DESC", description="Members without orders last."
    )
    TOTAL_AMOUNT_ASC = strawberry.enum_value(
        "TOTAL_AMOUNT_ASC", description="Members without orders last."
    )


@strawberry.input(description="Conditions a listed member meets, all of them; omit to skip one.")
class MemberFilter:
    statuses: list[MemberStatus] | None = strawberry.field(
        default=None, description="Status now is one of these (never matches former members)."
    )
    join_channels: list[str] | None = strawberry.field(
        default=None, description="The latest stint's join channel is one of these codes."
    )
    joined_from: date | None = strawberry.field(
        default=None, description="The latest stint began on this day or later (business zone)."
    )
    joined_to: date | None = strawberry.field(
        default=None, description="The latest stint began on this day or earlier (business zone)."
    )
    is_fan: bool | None = strawberry.field(
        default=None, description="Following (true) or not following (false) the shop now."
    )
    include_former: bool | None = strawberry.field(
        default=False, description="Also list users whose latest stint has ended."
    )

"""A customer of a shop as a segment lists it."""

from __future__ import annotations

import strawberry

from resolvers.member_status import MemberStatus
from schema.pagination import Connection


@strawberry.type(
    description="A customer of the shop (a user with a membership, follow, order or event "
    "there), as of the end of the segment's as-of day."
)
class Customer:
    id: strawberry.ID = strawberry.field(description="The user id.")
    is_member: bool = strawberry.field(description="On a membership stint at the as-of end.")
    member_status: MemberStatus | None = strawberry.field(
        description="Status at the as-of end; null when not a member then."
    )
    join_channel: str | None = strawberry.field(
        description="Join channel of the stint in force; null when not a member."
    )
    is_fan: bool = strawberry.field(description="Following the shop at the as-of end.")
    gender: str | None = strawberry.field(description="female or male; null when unknown.")
    age_band: str | None = strawberry.field(description="18-23 … 50+; null when unknown.")
    province: str | None = strawberry.field(description="Province name; null when unknown.")
    crowd: str | None = strawberry.field(description="Strategy crowd code; null when unknown.")


CustomerConnection = Connection[Customer]

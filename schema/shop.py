"""The shop (tenant) type."""

from __future__ import annotations

import strawberry

from resolvers.breakdown import resolve_shop_breakdown
from resolvers.channels import resolve_shop_channels
from resolvers.members import resolve_shop_member, resolve_shop_members
from resolvers.segments.api import resolve_shop_segment, resolve_shop_segments
from resolvers.series import resolve_shop_series
from resolvers.shop_fields import resolve_shop_metrics
from schema.breakdown import BreakdownRow
from schema.channel import Channel
from schema.member import Member, MemberConnection
from schema.metric_result import MetricResult
from schema.pagination import Connection
from schema.segment import Segment
from schema.series import SeriesPoint


@strawberry.type(description="A shop: one tenant of the service.")
class Shop:
    id: strawberry.ID
    name: str
    industry: str = strawberry.field(description="Industry code, e.g. apparel, beauty.")
    tier: int = strawberry.field(description="Size layer, 1 (smallest) to 7.")
    metrics: list[MetricResult] = strawberry.field(
        resolver=resolve_shop_metrics,
        description="Metrics over a period, with comparisons; at most 50 names.",
    )
    series: list[SeriesPoint] = strawberry.field(
        resolver=resolve_shop_series,
        description="A metric by day, Monday-start week or month over a period, buckets "
        "clipped to it, each point flagged when anomalous.",
    )
    breakdown: list[BreakdownRow] = strawberry.field(
        resolver=resolve_shop_breakdown,
        description="A metric for every value of a dimension with facts in the period: the "
        'top `limit` (1–100) by value, then one row "other" for the rest.',
    )
    channels: list[Channel] = strawberry.field(
        resolver=resolve_shop_channels,
        description="Every channel of a kind, in a fixed order, whether or not it has data.",
    )
    members: MemberConnection = strawberry.field(
        resolver=resolve_shop_members,
        description="Members now (with filter.includeFormer, former members too), read at "
        "the request instant, in keyset pages of up to the page-size limit (100).",
    )
    member: Member | None = strawberry.field(
        resolver=resolve_shop_member,
        description="One user as a member of the shop; null with NOT_FOUND when the user "
        "never had a membership stint there.",
    )
    segments: list[Segment] = strawberry.field(
        resolver=resolve_shop_segments, description="The shop's saved segments, newest first."
    )
    segment: Segment | None = strawberry.field(
        resolver=resolve_shop_segment,
        description="One saved segment of the shop; null with NOT_FOUND otherwise.",
    )


ShopConnection = Connection[Shop]

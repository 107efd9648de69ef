"""GraphQL enums, exposed from the catalogue's Python enums."""

from __future__ import annotations

import strawberry

from resolvers import catalogue, member_status

Metric = strawberry.enum(catalogue.Metric, description="A metric of the catalogue.")
Unit = strawberry.enum(catalogue.Unit, description="How a metric's value is measured.")
Dimension = strawberry.enum(catalogue.Dimension, description="What a metric can be sliced by.")
ChannelKind = strawberry.enum(catalogue.ChannelKind, description="A kind of channel.")
ComparisonKind = strawberry.enum(catalogue.ComparisonKind, description="A kind of comparison.")
Granularity = strawberry.enum(catalogue.Granularity, description="Series bucket size.")
Lang = strawberry.enum(catalogue.Lang, description="Label language.")
PeriodPreset = strawberry.enum(catalogue.PeriodPreset, description="A named period.")
MemberStatus = strawberry.enum(
    member_status.MemberStatus,
    description="A member's status: QUALITY (an order in the last 365 days), POTENTIAL (not "
    "quality, an activity event in the last 90 days) or DORMANT (neither).",
)

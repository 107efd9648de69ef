"""The shop (tenant) type."""

from __future__ import annotations

import strawberry

from resolvers.breakdown import resolve_shop_breakdown
from resolvers.channels import resolve_shop_channels
from resolvers.series import resolve_shop_series
from resolvers.shop_fields import resolve_shop_metrics
from schema.breakdown import BreakdownRow
from schema.channel import Channel
from schema.metric_result import MetricResult
from schema.pagination import Connection
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


ShopConnection = Connection[Shop]

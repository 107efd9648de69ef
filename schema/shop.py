"""The shop (tenant) type."""

from __future__ import annotations

import strawberry

from resolvers.shop_fields import resolve_shop_metrics
from schema.metric_result import MetricResult
from schema.pagination import Connection


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


ShopConnection = Connection[Shop]

"""The query root."""

from __future__ import annotations

import strawberry

from resolvers.definitions import resolve_metric_definitions
from resolvers.shops import resolve_shop, resolve_shops
from schema.metric_definition import MetricDefinition
from schema.shop import Shop, ShopConnection


@strawberry.type
class Query:
    shop: Shop | None = strawberry.field(
        resolver=resolve_shop, description="One shop; null with NOT_FOUND or FORBIDDEN."
    )
    shops: ShopConnection = strawberry.field(
        resolver=resolve_shops, description="The shops this API key may read."
    )
    metric_definitions: list[MetricDefinition] = strawberry.field(
        resolver=resolve_metric_definitions, description="The metric catalogue."
    )

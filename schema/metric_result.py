"""A metric's value with its comparisons."""

from __future__ import annotations

import strawberry

from resolvers.catalogue import ComparisonKind, Metric, Unit
from schema.metric_definition import MetricDefinition


@strawberry.type(description="The metric compared with another period, peers or a target.")
class Comparison:
    kind: ComparisonKind
    value: float | None
    change: float | None = strawberry.field(description="self − value.")
    change_ratio: float | None = strawberry.field(description="change / |value|.")
    peer_count: int | None = strawberry.field(description="Shops behind a peer figure.")
    unavailable_reason: str | None = strawberry.field(
        description="Why value is null, when not by arithmetic: PEER_GROUP_TOO_SMALL, "
        "NO_TARGET, NOT_APPLICABLE."
    )
    completion: float | None = strawberry.field(
        default=None, description="TARGET only: actual / target."
    )


@strawberry.type(description="One metric over one period (and slice).")
class MetricResult:
    metric: Metric
    value: float | None = strawberry.field(
        description="Counts whole, money in yuan, ratios as fractions; null on a 0 denominator."
    )
    unit: Unit
    definition: MetricDefinition
    comparisons: list[Comparison]

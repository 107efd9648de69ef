"""Fields of ``Shop`` that compute: metrics (and, later, series and breakdowns)."""

from __future__ import annotations

from typing import Protocol

import strawberry

from resolvers.catalogue import ComparisonKind, Metric
from resolvers.engine import FactFilter
from resolvers.metrics import ShopKey, compute_metrics
from schema.context import Info
from schema.metric_result import MetricResult
from schema.period import PeriodInput


class ShopRoot(Protocol):
    """The parts of a ``Shop`` object the fields read."""

    id: strawberry.ID
    industry: str
    tier: int


def shop_key(root: ShopRoot) -> ShopKey:
    return ShopKey(shop_id=str(root.id), industry=root.industry, tier=root.tier)


async def resolve_shop_metrics(
    root: ShopRoot,
    info: Info,
    names: list[Metric],
    period: PeriodInput,
    compare: list[ComparisonKind] | None = (),  # type: ignore[assignment]
) -> list[MetricResult]:
    """``Shop.metrics``."""
    return await compute_metrics(
        info,
        shop=shop_key(root),
        names=names,
        period=period,
        compare_kinds=list(compare or []),
        facts=FactFilter(),
    )

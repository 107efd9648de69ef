"""Fields of ``Channel`` that compute: its metrics."""

from __future__ import annotations

from typing import Protocol

from resolvers.catalogue import ChannelKind, ComparisonKind, Dimension, Metric
from resolvers.engine.windows import FactFilter
from resolvers.metrics import ShopKey, compute_metrics
from schema.context import Info
from schema.metric_result import MetricResult
from schema.period import PeriodInput


class ChannelRoot(Protocol):
    """The parts of a ``Channel`` object the fields read."""

    shop: ShopKey
    kind: ChannelKind
    code: str


def channel_filter(kind: ChannelKind, code: str) -> FactFilter:
    """The slice of one channel: its kind's dimension, at its code."""
    return FactFilter(dimension=Dimension[kind.name], value=code)


async def resolve_channel_metrics(
    root: ChannelRoot,
    info: Info,
    names: list[Metric],
    period: PeriodInput,
    compare: list[ComparisonKind] | None = (),  # type: ignore[assignment]
) -> list[MetricResult]:
    """``Channel.metrics``: the shop's metrics on the channel's slice; peer figures are
    the peers' values on the same channel."""
    return await compute_metrics(
        info,
        shop=root.shop,
        names=names,
        period=period,
        compare_kinds=list(compare or []),
        facts=channel_filter(root.kind, root.code),
    )

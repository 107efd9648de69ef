"""Fields of ``Channel`` that compute: its metrics."""

from __future__ import annotations

import asyncio
from typing import Protocol

from resolvers.catalogue import ChannelKind, ComparisonKind, Dimension, Metric
from resolvers.engine import FactFilter
from resolvers.metrics import Reading, ShopKey, period_of, read_metrics, results_at
from resolvers.shared import shared
from schema.context import Info
from schema.metric_result import MetricResult
from schema.period import PeriodInput


class ChannelRoot(Protocol):
    """The parts of a ``Channel`` object the fields read."""

    shop: ShopKey
    kind: ChannelKind
    code: str


async def resolve_channel_metrics(
    root: ChannelRoot,
    info: Info,
    names: list[Metric],
    period: PeriodInput,
    compare: list[ComparisonKind] | None = (),  # type: ignore[assignment]
) -> list[MetricResult]:
    """``Channel.metrics``: the shop's metrics on the channel's slice; peer figures are
    the peers' values on the same channel.

    The channels of one kind asking the same metrics share one reading of every value of
    the kind's dimension, so a screen of channels runs the statements of one field."""
    kinds = list(dict.fromkeys(compare or []))
    dimension = Dimension[root.kind.name]
    key = (
        "channel metrics",
        root.shop,
        dimension,
        tuple(names),
        period_of(info, period),
        tuple(kinds),
    )
    reading_task = shared(
        info,
        key,
        lambda: asyncio.ensure_future(
            read_metrics(
                info,
                shop=root.shop,
                names=names,
                period=period,
                compare_kinds=kinds,
                facts=FactFilter(dimension=dimension),
            )
        ),
    )
    # Shielded: one channel's field being cancelled must not cancel the others' reading.
    reading: Reading = await asyncio.shield(reading_task)
    return results_at(reading, root.code, floor=info.context.settings.peer_floor)

"""A channel of a shop: one value of a channel dimension, with its metrics."""

from __future__ import annotations

import strawberry

from resolvers.catalogue import ChannelKind, Lang
from resolvers.channel_fields import resolve_channel_metrics
from resolvers.metrics import ShopKey
from schema.labels import Bilingual
from schema.metric_result import MetricResult


@strawberry.type(
    description="A channel: one value of a join, carrier, traffic, entry or outreach dimension."
)
class Channel:
    kind: ChannelKind
    code: str = strawberry.field(description="The code used in the interchange files.")
    shop: strawberry.Private[ShopKey]
    label_text: strawberry.Private[Bilingual]

    @strawberry.field
    def label(self, lang: Lang | None = Lang.ZH) -> str:
        return self.label_text.pick(lang)

    metrics: list[MetricResult] = strawberry.field(
        resolver=resolve_channel_metrics,
        description="Metrics on this channel's slice, with comparisons (peer figures on the "
        "same channel); a metric the slice does not support is BAD_USER_INPUT.",
    )

"""How a metric is defined, as served to dashboards for tooltips and pickers."""

from __future__ import annotations

import strawberry

from resolvers.catalogue import Dimension, Lang, Metric, Unit
from schema.labels import Bilingual


@strawberry.type(description="A metric's unit, direction, labels, definition and slices.")
class MetricDefinition:
    metric: Metric
    group: str = strawberry.field(description="Group code, e.g. MEMBER_SCALE.")
    unit: Unit
    higher_is_better: bool
    dimensions: list[Dimension] = strawberry.field(description="The slices it supports.")
    label_text: strawberry.Private[Bilingual]
    description_text: strawberry.Private[Bilingual]
    group_text: strawberry.Private[Bilingual]

    @strawberry.field
    def label(self, lang: Lang | None = Lang.ZH) -> str:
        return self.label_text.pick(lang)

    @strawberry.field
    def description(self, lang: Lang | None = Lang.ZH) -> str:
        return self.description_text.pick(lang)

    @strawberry.field
    def group_label(self, lang: Lang | None = Lang.ZH) -> str:
        return self.group_text.pick(lang)

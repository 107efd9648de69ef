"""The metric catalogue as GraphQL ``MetricDefinition`` objects."""

from __future__ import annotations

from functools import cache

from resolvers.catalogue import CATALOGUE, Metric, MetricSpec
from schema.labels import Bilingual
from schema.metric_definition import MetricDefinition


def metric_definition(spec: MetricSpec) -> MetricDefinition:
    """One catalogue entry as a GraphQL object."""
    return MetricDefinition(
        metric=spec.metric,
        group=spec.group.name,
        unit=spec.unit,
        higher_is_better=spec.higher_is_better,
        dimensions=list(spec.dimensions),
        label_text=Bilingual(zh=spec.label_zh, en=spec.label_en),
        description_text=Bilingual(zh=spec.description_zh, en=spec.description_en),
        group_text=Bilingual(zh=spec.group.zh, en=spec.group.en),
    )


@cache
def definition_of(metric: Metric) -> MetricDefinition:
    """The definition object of one metric, built once: every result of it shares it."""
    return metric_definition(CATALOGUE[metric])


def resolve_metric_definitions() -> list[MetricDefinition]:
    """``Query.metricDefinitions``: the whole catalogue in its order."""
    return [definition_of(metric) for metric in CATALOGUE]

"""The metric catalogue (SPEC §3): each metric's unit, direction, labels, definition, slices."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from resolvers.catalogue.activity import ACTIVITY_SPECS
from resolvers.catalogue.benefits import BENEFITS_SPECS
from resolvers.catalogue.contribution import CONTRIBUTION_SPECS
from resolvers.catalogue.enums import (
    ChannelKind,
    ComparisonKind,
    Dimension,
    Granularity,
    Lang,
    Metric,
    MetricGroup,
    PeriodPreset,
    Unit,
)
from resolvers.catalogue.member_scale import MEMBER_SCALE_SPECS
from resolvers.catalogue.outreach import OUTREACH_SPECS
from resolvers.catalogue.product_card import PRODUCT_CARD_SPECS
from resolvers.catalogue.relationship import RELATIONSHIP_SPECS
from resolvers.catalogue.spec import MetricSpec
from resolvers.catalogue.user_assets import USER_ASSETS_SPECS

__all__ = [
    "CATALOGUE",
    "ChannelKind",
    "ComparisonKind",
    "Dimension",
    "Granularity",
    "Lang",
    "Metric",
    "MetricGroup",
    "MetricSpec",
    "PeriodPreset",
    "Unit",
    "definition",
]

# Every metric, in SPEC §3 order (which is also ``Metric`` declaration order).
CATALOGUE: Final[Mapping[Metric, MetricSpec]] = MappingProxyType(
    {
        spec.metric: spec
        for spec in (
            *MEMBER_SCALE_SPECS,
            *CONTRIBUTION_SPECS,
            *ACTIVITY_SPECS,
            *BENEFITS_SPECS,
            *OUTREACH_SPECS,
            *RELATIONSHIP_SPECS,
            *USER_ASSETS_SPECS,
            *PRODUCT_CARD_SPECS,
        )
    }
)


def definition(metric: Metric) -> MetricSpec:
    """The catalogue entry of ``metric``."""
    return CATALOGUE[metric]

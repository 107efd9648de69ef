"""The shape of a catalogue entry, and the slice sets of SPEC §4."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from resolvers.catalogue.enums import Dimension, Metric, MetricGroup, Unit

_DIMENSION_ORDER: Final = {dimension: index for index, dimension in enumerate(Dimension)}


def dimension_set(*dimensions: Dimension) -> tuple[Dimension, ...]:
    """The given dimensions without repeats, in ``Dimension`` declaration order."""
    return tuple(sorted(set(dimensions), key=_DIMENSION_ORDER.__getitem__))


# Slices that follow the fact's user (every user-counting or order-based metric).
USER_DIMENSIONS: Final = dimension_set(
    Dimension.GENDER, Dimension.AGE_BAND, Dimension.PROVINCE, Dimension.CROWD
)
# Slices of order-based metrics: the order's own attributes plus its buyer's.
ORDER_DIMENSIONS: Final = dimension_set(
    Dimension.CARRIER,
    Dimension.TRAFFIC_TYPE,
    Dimension.ENTRY,
    Dimension.PRODUCT,
    Dimension.CATEGORY,
    Dimension.CREATOR,
    Dimension.FAN_STATUS,
    Dimension.PRICE_BAND,
    *USER_DIMENSIONS,
)
# Metrics over member stints: sliced by the stint's join channel and the member.
MEMBER_DIMENSIONS: Final = dimension_set(Dimension.JOIN_CHANNEL, *USER_DIMENSIONS)
# Outreach metrics: sliced by the campaign's channel and the reached user.
REACH_DIMENSIONS: Final = dimension_set(Dimension.REACH_CHANNEL, *USER_DIMENSIONS)
# Product-card traffic metrics: sliced by the card event's entry and product, and the user.
CARD_DIMENSIONS: Final = dimension_set(
    Dimension.ENTRY, Dimension.PRODUCT, Dimension.CATEGORY, *USER_DIMENSIONS
)


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """One metric of the catalogue: what it measures and how it may be sliced."""

    metric: Metric
    group: MetricGroup
    unit: Unit
    higher_is_better: bool
    label_zh: str
    label_en: str
    description_zh: str
    description_en: str
    dimensions: tuple[Dimension, ...]

"""The mutation root."""

from __future__ import annotations

import strawberry

from resolvers.kpi import resolve_set_kpi_target
from schema.kpi import KpiTarget


@strawberry.type
class Mutation:
    set_kpi_target: KpiTarget = strawberry.field(
        resolver=resolve_set_kpi_target,
        description="Set (or replace) the shop's target for a metric over exactly this "
        "period; needs a write key.",
    )

"""The mutation root."""

from __future__ import annotations

import strawberry

# The first schema module the app imports: the catalogue's enums get their GraphQL
# definitions here, before any type refers to them (a later one would be a duplicate).
from resolvers.kpi import resolve_set_kpi_target
from resolvers.segments.api import (
    resolve_create_segment,
    resolve_delete_segment,
    resolve_update_segment,
)
from resolvers.segments.export import resolve_export_segment
from schema.kpi import KpiTarget
from schema.segment import Export, Segment


@strawberry.type
class Mutation:
    create_segment: Segment = strawberry.field(
        resolver=resolve_create_segment,
        description="Save a new segment of the shop; the rule is validated against the "
        "shop's data. The name is trimmed, 1–200 characters. Needs a write key.",
    )
    update_segment: Segment = strawberry.field(
        resolver=resolve_update_segment,
        description="Rename a segment, replace its rule (validated again), or both; needs a "
        "write key.",
    )
    delete_segment: bool = strawberry.field(
        resolver=resolve_delete_segment,
        description="Delete a segment and its export links; true once deleted. Needs a write key.",
    )
    export_segment: Export = strawberry.field(
        resolver=resolve_export_segment,
        description="A link to download the audience as of `asOf` (default today) as CSV, "
        "valid for an hour by default; needs a write key.",
    )
    set_kpi_target: KpiTarget = strawberry.field(
        resolver=resolve_set_kpi_target,
        description="Set (or replace) the shop's target for a metric over exactly this "
        "period; needs a write key.",
    )

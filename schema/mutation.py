"""The mutation root."""

from __future__ import annotations

import strawberry

# The first schema module the app imports: the catalogue's enums get their GraphQL
# definitions here, before any type refers to them (a later one would be a duplicate).
from resolvers.kpi import resolve_set_kpi_target
from resolvers.segments.export import resolve_export_segment
from resolvers.segments.mutations import (
    resolve_create_segment,
    resolve_delete_segment,
    resolve_update_segment,
)
from resolvers.segments.rules import MAX_RULE_LEAVES
from schema.kpi import KpiTarget
from schema.segment import Export, Segment

# SPEC §8: a mutation whose response carries no result changed nothing.
UNANSWERED = (
    " A response with data null saved nothing: when a non-null field of this or of another "
    "mutation of the document fails, this mutation is taken back."
)


@strawberry.type
class Mutation:
    create_segment: Segment = strawberry.field(
        resolver=resolve_create_segment,
        description="Save a new segment of the shop; the rule is validated against the "
        f"shop's data (at most {MAX_RULE_LEAVES} leaves). The name is trimmed, 1–200 "
        "characters. Needs a write key." + UNANSWERED,
    )
    update_segment: Segment = strawberry.field(
        resolver=resolve_update_segment,
        description="Rename a segment, replace its rule (validated again), or both; needs a "
        "write key." + UNANSWERED,
    )
    delete_segment: bool = strawberry.field(
        resolver=resolve_delete_segment,
        description="Delete a segment and its export links; true once deleted. Needs a write "
        "key." + UNANSWERED,
    )
    export_segment: Export = strawberry.field(
        resolver=resolve_export_segment,
        description="A link to download the audience as of `asOf` (default today) as CSV, "
        "valid for an hour by default; needs a write key." + UNANSWERED,
    )
    set_kpi_target: KpiTarget = strawberry.field(
        resolver=resolve_set_kpi_target,
        description="Set (or replace) the shop's target for a metric over exactly this "
        "period; needs a write key." + UNANSWERED,
    )

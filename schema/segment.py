"""Segments (人群): saved rules over a shop's customers, and their audience exports."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.segments.audience import SegmentKey
from resolvers.segments.fields import (
    resolve_segment_customers,
    resolve_segment_metrics,
    resolve_segment_overlap,
    resolve_segment_portrait,
    resolve_segment_size,
)
from schema.breakdown import BreakdownRow
from schema.customer import CustomerConnection
from schema.metric_result import MetricResult

AS_OF = "Evaluated as of the end of `asOf` (default: today in the business time zone)."
# The fields that evaluate the rule are nullable: one that fails (a bad argument, a saved
# rule that can no longer be evaluated) is null with its error, and the segment's other
# fields and the other segments of a list still answer (SPEC §8).
FAILS_ALONE = " Null, with an error, when it cannot be evaluated."


@strawberry.type(description="A saved, named rule over the shop's customers (人群圈选).")
class Segment:
    id: strawberry.ID
    name: str
    rule: JSON = strawberry.field(
        description="The rule as saved: SegmentRuleInput's JSON form (camelCase, nulls left out)."
    )
    created_at: datetime
    updated_at: datetime = strawberry.field(description="When the name or rule last changed.")
    key: strawberry.Private[SegmentKey]
    size: int | None = strawberry.field(
        resolver=resolve_segment_size,
        description="Customers matching the rule. " + AS_OF + FAILS_ALONE,
    )
    customers: CustomerConnection | None = strawberry.field(
        resolver=resolve_segment_customers,
        description="The matching customers by user id (byte order), with their profile and "
        "status. " + AS_OF + FAILS_ALONE,
    )
    metrics: list[MetricResult] | None = strawberry.field(
        resolver=resolve_segment_metrics,
        description="Metrics over the facts of the customers matching the rule as of `asOf`; "
        "peer comparisons and TARGET are NOT_APPLICABLE." + FAILS_ALONE,
    )
    portrait: list[BreakdownRow] | None = strawberry.field(
        resolver=resolve_segment_portrait,
        description="Customers counted by GENDER, AGE_BAND, PROVINCE or CROWD (missing: "
        "unknown), or the members among them by the JOIN_CHANNEL of their stint in force; "
        "largest first. " + AS_OF + FAILS_ALONE,
    )
    overlap: int | None = strawberry.field(
        resolver=resolve_segment_overlap,
        description="Customers in both this segment and another of the shop. "
        + AS_OF
        + FAILS_ALONE,
    )


@strawberry.type(description="A link to download a segment's audience as CSV.")
class Export:
    url: str = strawberry.field(
        description="GET it with an API key that may read the shop, until expiresAt."
    )
    expires_at: datetime
    rows: int = strawberry.field(description="Customers in the audience when exported.")

"""KPI targets: what a shop aims for on one metric over one period."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from resolvers.catalogue import Metric


@strawberry.type(description="Calendar days from and to, both included.")
class DateRange:
    from_: date = strawberry.field(name="from", description="First day, included.")
    to: date = strawberry.field(description="Last day, included.")


@strawberry.type(description="The target a shop set for one metric over exactly one period.")
class KpiTarget:
    shop_id: strawberry.ID
    metric: Metric
    period: DateRange
    target: float = strawberry.field(description="In the metric's unit; TARGET compares to it.")
    updated_at: datetime = strawberry.field(description="When the target was last set.")

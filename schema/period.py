"""The period argument of metric fields."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers.catalogue import PeriodPreset


@strawberry.input(description="Exactly one form: from and to, lastDays, or preset.")
class PeriodInput:
    from_: date | None = strawberry.field(
        default=None, name="from", description="First day, included."
    )
    to: date | None = strawberry.field(default=None, description="Last day, included.")
    last_days: int | None = strawberry.field(
        default=None, description="The N whole days ending yesterday."
    )
    preset: PeriodPreset | None = None

"""One row of a breakdown: a value of a dimension with a metric on it."""

from __future__ import annotations

import strawberry


@strawberry.type(description="One value of a dimension with the metric read on it.")
class BreakdownRow:
    key: str = strawberry.field(
        description='The value\'s code or id ("unknown" for a missing attribute); "other" '
        "for the values beyond the limit, taken together."
    )
    label: str = strawberry.field(description="Its Chinese display name.")
    value: float | None = strawberry.field(
        description="Counts whole, money in yuan, ratios as fractions; null on a 0 denominator."
    )

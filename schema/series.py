"""One point of a metric's series."""

from __future__ import annotations

from datetime import date

import strawberry


@strawberry.type(description="A metric over one bucket (day, week or month) of a period.")
class SeriesPoint:
    start: date = strawberry.field(description="The bucket's first day, clipped to the period.")
    end: date = strawberry.field(
        description="The bucket's last day, included, clipped to the period."
    )
    value: float | None = strawberry.field(
        description="The metric over the bucket (point-in-time metrics at its end); "
        "null on a 0 denominator."
    )
    anomaly: bool = strawberry.field(
        description="More than 3 robust standard deviations (1.4826 × MAD) from the median "
        "of the 7 points before it; false without 7 earlier non-null points or with MAD 0."
    )

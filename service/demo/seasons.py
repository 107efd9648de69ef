"""The demo calendar: the window of days, daily seasonality and times of day.

Times inside the generator are whole seconds since 00:00 of the window's first day, in
naive business-zone wall time, which is also how they are written out.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Final

DAY: Final = 86_400
HOUR: Final = 3_600

WEEKEND_LIFT: Final = 1.12
# (name, first day, peak day, ramp level at the first day, ramp level before the peak,
# peak level).
PROMOTIONS: Final = (
    ("618", (6, 1), (6, 18), 1.2, 1.8, 3.0),
    ("双11", (10, 20), (11, 11), 1.3, 2.0, 4.0),
)
AFTERGLOW: Final = 1.3  # the day after a peak
DOUBLE_12: Final = 1.4

# Relative traffic by hour of day: a lunch bump and a strong evening (live streams).
HOUR_WEIGHTS: Final = (
    0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.3, 1.5, 1.6,
    1.9, 1.8, 1.4, 1.3, 1.3, 1.4, 1.6, 2.0, 2.6, 2.9, 2.6, 1.5,
)  # fmt: skip
_HOUR_CUMULATIVE: Final = tuple(accumulate(HOUR_WEIGHTS))


def promotion_lift(day: date) -> float:
    """How much busier ``day`` is because of 618, Double 11 or Double 12 (1.0: no promotion)."""
    for _, (first_month, first_day), (peak_month, peak_day), low, high, peak in PROMOTIONS:
        first = date(day.year, first_month, first_day)
        top = date(day.year, peak_month, peak_day)
        if day == top:
            return peak
        if first <= day < top:
            progress = (day - first).days / (top - first).days
            return low + (high - low) * progress * progress
        if day == top + timedelta(days=1):
            return AFTERGLOW
    if day.month == 12 and day.day == 12:
        return DOUBLE_12
    return 1.0


def weekend_lift(day: date) -> float:
    """Saturdays and Sundays are a little busier."""
    return WEEKEND_LIFT if day.weekday() >= 5 else 1.0


@dataclass(frozen=True)
class Window:
    """The ``days`` whole days ending with ``end`` (included)."""

    end: date
    days: int
    start: date = field(init=False)
    dates: tuple[date, ...] = field(init=False, repr=False)
    _texts: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        start = self.end - timedelta(days=self.days - 1)
        dates = tuple(start + timedelta(days=index) for index in range(self.days))
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "dates", dates)
        object.__setattr__(self, "_texts", tuple(day.isoformat() for day in dates))

    @property
    def stop(self) -> int:
        """The first second after the window."""
        return self.days * DAY

    def text(self, second: int) -> str:
        """``second`` as a naive ``YYYY-MM-DD HH:MM:SS`` timestamp."""
        day, rest = divmod(second, DAY)
        if 0 <= day < self.days:
            hour, rest = divmod(rest, HOUR)
            minute, sec = divmod(rest, 60)
            return f"{self._texts[day]} {hour:02d}:{minute:02d}:{sec:02d}"
        origin = datetime(self.start.year, self.start.month, self.start.day)
        return (origin + timedelta(seconds=second)).strftime("%Y-%m-%d %H:%M:%S")

    def day_factor(self, index: int) -> float:
        """Seasonality of day ``index``: promotions times weekends."""
        day = self.dates[index]
        return promotion_lift(day) * weekend_lift(day)


@dataclass(frozen=True)
class Promotion:
    """One run of a promotion, as window seconds: ``[start, stop)`` ends after its peak day."""

    name: str
    year: int
    start: int
    stop: int


def promotions(window: Window) -> list[Promotion]:
    """The promotions that overlap the window, in time order."""
    found: list[Promotion] = []
    for year in range(window.start.year, window.end.year + 1):
        for name, (first_month, first_day), (peak_month, peak_day), *_ in PROMOTIONS:
            first = (date(year, first_month, first_day) - window.start).days * DAY
            stop = ((date(year, peak_month, peak_day) - window.start).days + 1) * DAY
            if stop > 0 and first < window.stop:
                found.append(Promotion(name=name, year=year, start=first, stop=stop))
    return sorted(found, key=lambda promotion: promotion.start)


def time_of_day(rng: random.Random) -> int:
    """A second of the day, drawn from the hourly traffic profile."""
    hour = bisect.bisect_right(_HOUR_CUMULATIVE, rng.random() * _HOUR_CUMULATIVE[-1])
    return min(hour, 23) * HOUR + rng.randrange(HOUR)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-like count: exact for small means, normal approximation for large ones."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count

"""Periods: calendar days in the business time zone, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final
from zoneinfo import ZoneInfo

from resolvers.catalogue import PeriodPreset
from resolvers.days import shift_day
from resolvers.errors import BadUserInput

# The presets of whole days ending yesterday: how many days back they start.
DAYS_BACK: Final = {
    PeriodPreset.YESTERDAY: 1,
    PeriodPreset.LAST_7_DAYS: 7,
    PeriodPreset.LAST_30_DAYS: 30,
}


@dataclass(frozen=True, order=True)
class Period:
    """The days ``first`` to ``last``, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def start(self, zone: ZoneInfo) -> datetime:
        """The first instant: ``first`` at 00:00 in ``zone``."""
        return datetime.combine(self.first, time(), zone)

    def next_day(self) -> date:
        """The day after the period, whose 00:00 is E."""
        return shift_day(self.last, days=1, subject=f"period: a period to {self.last}")

    def end(self, zone: ZoneInfo) -> datetime:
        """E: the instant just after the period, ``last + 1 day`` at 00:00 in ``zone``."""
        return datetime.combine(self.next_day(), time(), zone)

    def previous(self) -> Period:
        """The same number of days just before."""
        subject = f"compare: PREVIOUS_PERIOD of a period starting {self.first}"
        return Period(
            shift_day(self.first, days=-self.days, subject=subject),
            shift_day(self.first, days=-1, subject=subject),
        )

    def last_year(self) -> Period:
        """Shifted back one year; Feb 29 becomes Feb 28."""
        subject = f"compare: SAME_PERIOD_LAST_YEAR of a period starting {self.first}"
        return Period(
            shift_day(self.first, years=-1, subject=subject),
            shift_day(self.last, years=-1, subject=subject),
        )


def _month_start(day: date) -> date:
    return day.replace(day=1)


def preset_period(preset: PeriodPreset, today: date) -> Period:
    """The days a preset names, relative to ``today``."""
    subject = f"period.preset: {preset.name} of {today}"
    if preset is PeriodPreset.TODAY:
        return Period(today, today)
    if preset is PeriodPreset.THIS_MONTH:
        return Period(_month_start(today), today)
    if preset is PeriodPreset.LAST_MONTH:
        last_of_previous = shift_day(_month_start(today), days=-1, subject=subject)
        return Period(_month_start(last_of_previous), last_of_previous)
    return Period(
        shift_day(today, days=-DAYS_BACK[preset], subject=subject),
        shift_day(today, days=-1, subject=subject),
    )


def resolve_period(
    *,
    first: date | None,
    last: date | None,
    last_days: int | None,
    preset: PeriodPreset | None,
    today: date,
    max_days: int,
) -> Period:
    """The period of a ``PeriodInput``: exactly one of from/to, lastDays, preset."""
    forms = [
        name
        for name, given in (
            ("from/to", first is not None or last is not None),
            ("lastDays", last_days is not None),
            ("preset", preset is not None),
        )
        if given
    ]
    if len(forms) != 1:
        given = ", ".join(forms) if forms else "none"
        raise BadUserInput(
            f"period: give exactly one of from/to, lastDays or preset (given: {given})"
        )
    if preset is not None:
        return _with_end(preset_period(preset, today))
    if last_days is not None:
        if not 1 <= last_days <= max_days:
            raise BadUserInput(f"period.lastDays must be between 1 and {max_days}, not {last_days}")
        subject = f"period.lastDays: {last_days} days before {today}"
        return Period(
            shift_day(today, days=-last_days, subject=subject),
            shift_day(today, days=-1, subject=subject),
        )
    if first is None or last is None:
        missing, given = ("from", "to") if first is None else ("to", "from")
        raise BadUserInput(f"period.{missing} is required with period.{given}")
    if first > last:
        raise BadUserInput(f"period: from {first} is after to {last}")
    period = Period(first, last)
    if period.days > max_days:
        raise BadUserInput(f"period: {period.days} days is longer than {max_days}")
    return _with_end(period)


def _with_end(period: Period) -> Period:
    """The period, once its end E is a day too (refused here, before anything is read)."""
    period.next_day()
    return period

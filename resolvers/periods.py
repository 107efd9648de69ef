"""Periods: calendar days in the business time zone, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from resolvers.catalogue import PeriodPreset
from resolvers.errors import BadUserInput


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

    def end(self, zone: ZoneInfo) -> datetime:
        """E: the instant just after the period, ``last + 1 day`` at 00:00 in ``zone``."""
        return datetime.combine(self.last + timedelta(days=1), time(), zone)

    def previous(self) -> Period:
        """The same number of days just before."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def last_year(self) -> Period:
        """Shifted back one year; Feb 29 becomes Feb 28."""
        return Period(_year_before(self.first), _year_before(self.last))


def _year_before(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def preset_period(preset: PeriodPreset, today: date) -> Period:
    """The days a preset names, relative to ``today``."""
    yesterday = today - timedelta(days=1)
    if preset is PeriodPreset.TODAY:
        return Period(today, today)
    if preset is PeriodPreset.YESTERDAY:
        return Period(yesterday, yesterday)
    if preset is PeriodPreset.LAST_7_DAYS:
        return Period(today - timedelta(days=7), yesterday)
    if preset is PeriodPreset.LAST_30_DAYS:
        return Period(today - timedelta(days=30), yesterday)
    if preset is PeriodPreset.THIS_MONTH:
        return Period(_month_start(today), today)
    last_of_previous = _month_start(today) - timedelta(days=1)
    return Period(_month_start(last_of_previous), last_of_previous)


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
        return preset_period(preset, today)
    if last_days is not None:
        if not 1 <= last_days <= max_days:
            raise BadUserInput(f"period.lastDays must be between 1 and {max_days}, not {last_days}")
        return Period(today - timedelta(days=last_days), today - timedelta(days=1))
    if first is None or last is None:
        missing, given = ("from", "to") if first is None else ("to", "from")
        raise BadUserInput(f"period.{missing} is required with period.{given}")
    if first > last:
        raise BadUserInput(f"period: from {first} is after to {last}")
    period = Period(first, last)
    if period.days > max_days:
        raise BadUserInput(f"period: {period.days} days is longer than {max_days}")
    return period

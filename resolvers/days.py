"""Checked calendar arithmetic: a day or an instant worked out from a caller's dates must
stay within years 1–9999, or the input is refused (BAD_USER_INPUT), never left to overflow.

Every day or instant computed from input goes through ``shift_day`` or ``checked_instant``;
``subject`` names the argument and what was computed from it, as the start of the message:
``"compare: PREVIOUS_PERIOD of a period starting 0001-01-01"`` gives "compare:
PREVIOUS_PERIOD of a period starting 0001-01-01 would start before year 1".
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from resolvers.errors import BadUserInput

FIRST_ORDINAL: Final = date.min.toordinal()
LAST_ORDINAL: Final = date.max.toordinal()
# The span of instants a datetime can hold, measured from the first one.
INSTANT_SPAN: Final = datetime.max - datetime.min


def _outside(subject: str, *, before: bool, where: str = "") -> BadUserInput:
    edge = "start before year 1" if before else "reach past year 9999"
    return BadUserInput(f"{subject} would {edge}{where}")


def _checked(ordinal: int, *, subject: str) -> date:
    if ordinal < FIRST_ORDINAL or ordinal > LAST_ORDINAL:
        raise _outside(subject, before=ordinal < FIRST_ORDINAL)
    return date.fromordinal(ordinal)


def shift_day(day: date, *, days: int = 0, years: int = 0, subject: str) -> date:
    """``day`` moved by ``years`` (Feb 29 landing on Feb 28 of a common year), then by
    ``days``; BAD_USER_INPUT when either step leaves years 1–9999."""
    if years:
        year = day.year + years
        if not date.min.year <= year <= date.max.year:
            raise _outside(subject, before=year < date.min.year)
        leap_day = day.month == 2 and day.day == 29 and not calendar.isleap(year)
        day = date(year, day.month, 28 if leap_day else day.day)
    return _checked(day.toordinal() + days, subject=subject)


def checked_instant(moment: datetime, *, subject: str) -> datetime:
    """``moment`` (aware) once its UTC instant, the form the database driver sends, lies
    within years 1–9999; BAD_USER_INPUT otherwise."""
    offset = moment.utcoffset() or timedelta()
    since_first = moment.replace(tzinfo=None) - datetime.min - offset
    if since_first < timedelta() or since_first > INSTANT_SPAN:
        raise _outside(subject, before=since_first < timedelta(), where=" in UTC")
    return moment


def day_start(day: date, zone: ZoneInfo, *, subject: str) -> datetime:
    """00:00 of ``day`` in ``zone``, checked as ``checked_instant``."""
    return checked_instant(datetime.combine(day, time(), zone), subject=subject)

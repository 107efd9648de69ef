"""The aggregates a request may read instead of raw facts, and which readings they serve,
all of windows of whole business days: the shop order days the order bases on no slice;
the order days the order bases on a user's dimension, for every buyer (not a segment's);
the member steps (with the member recency and months) every member base on no slice; the
member activity every other reading of the members' activity flags; the event days every
event base on no slice and on the product-card entries; the order slice days the order
bases on the product-card entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from resolvers.catalogue import Dimension
from resolvers.engine.windows import FactFilter, Window


@dataclass(frozen=True)
class Aggregates:
    """What is ready: the order days in the request's business time zone (None: not), the
    member activity, the member steps, the shop order days, the event days and the order
    slice days in that zone (None: not)."""

    day_zone: str | None = None
    member_activity: bool = False
    member_steps_zone: str | None = None
    shop_days_zone: str | None = None
    event_days_zone: str | None = None
    order_slice_days_zone: str | None = None


NO_AGGREGATES = Aggregates()


# The dimensions whose slice key is the buyer's, the same on every order of a buyer.
USER_DIMENSIONS = frozenset(
    {Dimension.GENDER, Dimension.AGE_BAND, Dimension.PROVINCE, Dimension.CROWD}
)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _midnight(instant: datetime, zone: ZoneInfo) -> bool:
    """Whether ``instant`` starts a business day: a midnight, and the first of two where a
    clock change repeats it (the second is an hour into the day, and reads raw facts)."""
    # kept by the instant's timestamp too: equal aware datetimes of one zone may be other
    # instants (the two readings of a repeated hour compare equal)
    return _midnight_at(instant.timestamp(), instant, zone)


@lru_cache(maxsize=4096)  # a request's windows share a few instants; so do requests
def _midnight_at(timestamp: float, instant: datetime, zone: ZoneInfo) -> bool:
    local = instant.astimezone(zone)
    return local.time() == time(0) and local.replace(fold=0).timestamp() == timestamp


def whole_days(window: Window, day_zone: str) -> bool:
    """Whether the window starts and ends at midnight in ``day_zone``."""
    zone = _zone(day_zone)
    return _midnight(window.start, zone) and _midnight(window.end, zone)


def serves_slice(facts: FactFilter) -> bool:
    """Whether the order days hold the slice: no dimension or a user's, every buyer."""
    return facts.users is None and (facts.dimension is None or facts.dimension in USER_DIMENSIONS)


def day_windows(windows: list[Window], day_zone: str) -> tuple[list[str], ...]:
    """The windows as ``day_windows_cte`` takes them ($1-$4): each window's id, shop, first
    day and the day after its last, in ``day_zone``."""
    zone = _zone(day_zone)
    return (
        [str(window.window_id) for window in windows],
        [window.shop_id for window in windows],
        [window.start.astimezone(zone).date().isoformat() for window in windows],
        [window.end.astimezone(zone).date().isoformat() for window in windows],
    )


def day_args(windows: list[Window], facts: FactFilter, day_zone: str) -> tuple[object, ...]:
    """The parameters of ``ORDER_DAYS_SQL``: the windows' days, the slice, and the zone."""
    return (
        *day_windows(windows, day_zone),
        facts.dimension.name if facts.dimension is not None else None,
        facts.value,
        day_zone,
    )

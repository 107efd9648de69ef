"""Windows (a shop over a span of instants) and the slice every fact statement filters by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from resolvers.catalogue import Dimension

NO_KEY = ""  # the slice key of facts read without a dimension


@dataclass(frozen=True)
class Window:
    """One shop over ``[start, end)``; ``end`` is the point-in-time instant E."""

    window_id: int
    shop_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class FactFilter:
    """What restricts the facts: a dimension (one value of it, or every value: a breakdown)
    and a set of users (a segment's customers)."""

    dimension: Dimension | None = None
    value: str | None = None
    users: tuple[str, ...] | None = None


def statement_args(windows: list[Window], facts: FactFilter) -> tuple[object, ...]:
    """The seven parameters every fact statement takes, in order (the windows as text:
    see ``WINDOWS_CTE``)."""
    return (
        [str(window.window_id) for window in windows],
        [window.shop_id for window in windows],
        [window.start.isoformat() for window in windows],
        [window.end.isoformat() for window in windows],
        facts.dimension.name if facts.dimension is not None else None,
        facts.value,
        list(facts.users) if facts.users is not None else None,
    )

"""Fact readings kept per window under the data version they were read at.

A fact statement's rows for one window (a shop over ``[start, end)``, on one slice filter,
with one set of costly parts switched on) depend on nothing else, so they are kept by that
window and reused by any later request at the same data version: the same shop's
dashboard asked again, or the peer figures of every shop of a group, whose windows are the
other shops' own. A committed change of facts bumps the version (a trigger in the
database), after which only readings at the new version are served.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from resolvers.engine.aggregates import NO_AGGREGATES, Aggregates

# A window's rows: slice key -> base -> value.
WindowRows = dict[str, dict[str, Decimal]]
# family, costly-part flags, shop, start, end, dimension, dimension value
WindowKey = tuple[str, tuple[bool, ...], str, datetime, datetime, str | None, str | None]


def _weight(rows: WindowRows) -> int:
    """Rows held for a window; a window without facts is held too."""
    return max(1, len(rows))


class FigureCache:
    """One process's readings, at most ``rows`` slice rows in all (a window read on every
    value of a dimension holds one per value), for the newest version seen."""

    def __init__(self, rows: int) -> None:
        self.limit = rows
        self.version = 0
        self._rows: OrderedDict[WindowKey, WindowRows] = OrderedDict()
        self._held = 0
        self.hits = 0
        self.misses = 0
        self._pruned: set[str] = set()  # industries whose older peer sets were removed

    def _at(self, version: int) -> bool:
        """Whether readings of ``version`` may be kept and served (older ones may not)."""
        if version > self.version:
            self.version = version
            self._rows.clear()
            self._held = 0
            self._pruned.clear()
        return version == self.version

    def get(self, version: int, key: WindowKey) -> WindowRows | None:
        rows = self._rows.get(key) if self._at(version) else None
        if rows is None:
            self.misses += 1
            return None
        self._rows.move_to_end(key)
        self.hits += 1
        return rows

    def put(self, version: int, key: WindowKey, rows: WindowRows) -> None:
        if not self._at(version) or _weight(rows) > self.limit:
            return
        old = self._rows.pop(key, None)
        self._held += _weight(rows) - (_weight(old) if old is not None else 0)
        self._rows[key] = rows
        while self._held > self.limit:
            _, dropped = self._rows.popitem(last=False)
            self._held -= _weight(dropped)

    def prune_due(self, version: int, industry: str) -> bool:
        """Whether this process is still to remove ``industry``'s peer figure sets of
        versions before ``version``: once per industry and version, the first time it keeps
        sets there (what an older reading writes later is never served, and goes with the
        next version's removal)."""
        if not self._at(version) or industry in self._pruned:
            return False
        self._pruned.add(industry)
        return True


@dataclass(frozen=True)
class CachedAt:
    """A cache as one request uses it: at the data version the request read, with the
    aggregates ready then."""

    cache: FigureCache
    version: int
    aggregates: Aggregates = NO_AGGREGATES

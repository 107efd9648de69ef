"""What one field of a document costs to answer, estimated from its arguments before it runs.

The unit is a *window-day*: one day of one shop's facts read for one window. A reading
of a window costs its days plus a fixed part for the member stints every window reads at
its end, whatever its length. Peer and industry comparisons read the same window for every
shop of the group, which is what ``PEER_WEIGHT`` and ``INDUSTRY_WEIGHT`` stand for. Every
field answered adds one more, once per time its parent is repeated (a page of shops,
members or orders). The weights were measured on the benchmark dataset (docs/security.md):
there a unit is about a third of a millisecond of database work for a shop of median size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from resolvers.catalogue import Metric

# Fixed part of every window: the stints it reads at its end, in days of facts.
WINDOW_BASE_DAYS: Final = 4
# What the peer figures of a window cost, in readings of the shop's own window: the
# group (60-70 shops on the benchmark dataset) and the industry (about 480).
PEER_WEIGHT: Final = 20
INDUSTRY_WEIGHT: Final = 50
# A segment's rule reads up to a year of the shop's facts for each evaluation.
SEGMENT_READING: Final = 366 + WINDOW_BASE_DAYS
TIME_COMPARISONS: Final = frozenset({"PREVIOUS_PERIOD", "SAME_PERIOD_LAST_YEAR"})
PEER_COMPARISONS: Final = frozenset({"PEER_AVERAGE", "PEER_MEDIAN", "PEER_EXCELLENT", "PEER_RANK"})
PRESET_DAYS: Final = {
    "TODAY": 1,
    "YESTERDAY": 1,
    "LAST_7_DAYS": 7,
    "LAST_30_DAYS": 30,
    "THIS_MONTH": 31,
    "LAST_MONTH": 31,
}
# Sizes a list field is assumed to have when no argument says: every saved segment of a
# shop, the catalogue, and the comparisons of a result.
LIST_SIZES: Final = {
    "segments": 20,
    "metricDefinitions": len(Metric),
    "comparisons": 8,
    "dimensions": 20,
    "portrait": 100,
}
# Introspection reads no facts, but building the whole schema's answer takes tens of
# milliseconds of the process: a document may ask it twice at most. (Repeated
# introspection documents are answered from a cache.)
INTROSPECTION_COSTS: Final = {"__schema": 7000, "__type": 50}
# Connections whose page size multiplies their selection (``first`` and its default).
PAGED_FIELDS: Final = frozenset({"shops", "members", "orders", "customers"})
DEFAULT_PAGE: Final = 20


@dataclass(frozen=True)
class FieldCost:
    """One field: its own cost, and how many times its selection is answered."""

    own: int
    fan_out: int


def _whole(value: object, default: int) -> int:
    """An integer argument, or ``default`` when absent or not an integer (resolvers refuse
    the bad ones before any SQL runs)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def period_days(period: object, *, longest: int) -> int:
    """The days a ``PeriodInput`` spans, at most ``longest`` (longer ones are refused)."""
    days = 1
    if isinstance(period, Mapping):
        if "lastDays" in period:
            days = _whole(period["lastDays"], 1)
        elif isinstance(period.get("preset"), str):
            days = PRESET_DAYS.get(period["preset"], 1)
        else:
            try:
                first = date.fromisoformat(str(period.get("from")))
                last = date.fromisoformat(str(period.get("to")))
                days = (last - first).days + 1
            except ValueError:
                days = 1
    return max(1, min(days, longest))


def _buckets(days: int, granularity: object) -> int:
    if granularity == "WEEK":
        return math.ceil(days / 7) + 1
    if granularity == "MONTH":
        return math.ceil(days / 28) + 1
    return days


def _metrics_cost(args: Mapping[str, object], longest: int) -> FieldCost:
    names = _strings(args.get("names"))
    compare = _strings(args.get("compare"))
    window = period_days(args.get("period"), longest=longest) + WINDOW_BASE_DAYS
    readings = 1 + len(TIME_COMPARISONS.intersection(compare))
    if PEER_COMPARISONS.intersection(compare):
        readings += PEER_WEIGHT
    if "INDUSTRY_AVERAGE" in compare:
        readings += INDUSTRY_WEIGHT
    if "asOf" in args:  # a segment's metrics: its customers are found first
        readings += 1
    return FieldCost(own=readings * window, fan_out=max(1, len(names)))


def field_cost(
    name: str, args: Mapping[str, object], *, max_page_size: int, max_period_days: int
) -> FieldCost:
    """The cost of field ``name`` with the argument values ``args`` (variables resolved)."""
    if name == "metrics":
        return _metrics_cost(args, max_period_days)
    if name == "series":
        days = period_days(args.get("period"), longest=max_period_days)
        buckets = _buckets(days, args.get("granularity", "DAY"))
        return FieldCost(own=days + buckets * WINDOW_BASE_DAYS, fan_out=buckets)
    if name == "breakdown":
        days = period_days(args.get("period"), longest=max_period_days)
        return FieldCost(own=days + WINDOW_BASE_DAYS, fan_out=_whole(args.get("limit"), 20) + 1)
    if name in ("size", "overlap"):
        return FieldCost(own=SEGMENT_READING, fan_out=1)
    if name == "portrait":
        return FieldCost(own=SEGMENT_READING, fan_out=LIST_SIZES["portrait"])
    if name in PAGED_FIELDS:
        page = min(max(_whole(args.get("first"), DEFAULT_PAGE), 1), max_page_size)
        own = SEGMENT_READING if name == "customers" else 1
        return FieldCost(own=own, fan_out=page)
    return FieldCost(own=INTROSPECTION_COSTS.get(name, 1), fan_out=LIST_SIZES.get(name, 1))

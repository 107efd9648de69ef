"""Peer statistics and the comparison of a value with another figure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from resolvers.catalogue import ComparisonKind
from schema.metric_result import Comparison

PEER_GROUP_TOO_SMALL = "PEER_GROUP_TOO_SMALL"
NO_TARGET = "NO_TARGET"
NOT_APPLICABLE = "NOT_APPLICABLE"

PEER_KINDS = frozenset(
    {
        ComparisonKind.PEER_AVERAGE,
        ComparisonKind.PEER_MEDIAN,
        ComparisonKind.PEER_EXCELLENT,
        ComparisonKind.PEER_RANK,
        ComparisonKind.INDUSTRY_AVERAGE,
    }
)


def mean(values: Sequence[Decimal]) -> Decimal:
    """The exact mean."""
    return sum(values, Decimal(0)) / len(values)


def percentile_cont(values: Sequence[Decimal], fraction: float) -> Decimal:
    """Linear interpolation between closest ranks, as PostgreSQL's ``percentile_cont``."""
    ordered = sorted(values)
    position = Decimal(str(fraction)) * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def share_beaten(own: Decimal, peers: Sequence[Decimal], *, higher_is_better: bool) -> Decimal:
    """The fraction of peers whose value is strictly worse than ``own``."""
    beaten = sum(1 for peer in peers if (peer < own if higher_is_better else peer > own))
    return Decimal(beaten) / len(peers)


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def compare(
    kind: ComparisonKind,
    own: Decimal | None,
    other: Decimal | None,
    *,
    peer_count: int | None = None,
    reason: str | None = None,
) -> Comparison:
    """A comparison of ``own`` with ``other`` (change is own − other)."""
    change = own - other if own is not None and other is not None else None
    ratio = change / abs(other) if change is not None and other else None
    return Comparison(
        kind=kind,
        value=_float(other),
        change=_float(change),
        change_ratio=_float(ratio),
        peer_count=peer_count,
        unavailable_reason=reason if other is None else None,
    )


def rank(own: Decimal | None, peers: Sequence[Decimal], *, higher_is_better: bool) -> Comparison:
    """PEER_RANK: the share of the peer group the shop beats; no change figures."""
    value = share_beaten(own, peers, higher_is_better=higher_is_better) if own is not None else None
    return Comparison(
        kind=ComparisonKind.PEER_RANK,
        value=_float(value),
        change=None,
        change_ratio=None,
        peer_count=len(peers),
        unavailable_reason=None,
    )


def unavailable(kind: ComparisonKind, reason: str, *, peer_count: int | None = None) -> Comparison:
    """A comparison with no value, for ``reason``."""
    return Comparison(
        kind=kind,
        value=None,
        change=None,
        change_ratio=None,
        peer_count=peer_count,
        unavailable_reason=reason,
    )

"""A metric for every value of a dimension: the top rows by value, then the rest as one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

from resolvers.catalogue import CATALOGUE, Dimension, Metric
from resolvers.engine import FORMULAS, ZERO, FactFilter, Formula, Value, Window, read_bases
from resolvers.errors import BadUserInput
from resolvers.figures import cached_at
from resolvers.metrics import CURRENT, period_of
from resolvers.shop_fields import ShopRoot
from resolvers.slice_labels import OTHER_LABEL, label_of, load_names
from schema.breakdown import BreakdownRow
from schema.context import Info
from schema.period import PeriodInput

OTHER_KEY: Final = "other"
DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100


def summed(parts: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """Each base summed over the parts."""
    total: dict[str, Decimal] = {}
    for part in parts:
        for base, value in part.items():
            total[base] = total.get(base, ZERO) + value
    return total


def ranked(values: Mapping[str, Value]) -> list[str]:
    """Keys by value descending, nulls last, ties by key ascending."""

    def order(key: str) -> tuple[bool, Decimal, str]:
        value = values[key]
        return (value is None, -value if value is not None else ZERO, key)

    return sorted(values, key=order)


def cut(keys: list[str], limit: int) -> tuple[list[str], list[str]]:
    """The keys shown on their own and those taken together as "other".

    When the limit cuts, a key that is itself "other" (a channel code, an id) joins the
    "other" row, so that no two rows share a key."""
    if len(keys) <= limit:
        return keys, []
    shown = [key for key in keys if key != OTHER_KEY][:limit]
    kept = set(shown)
    return shown, [key for key in keys if key not in kept]


def _number(value: Value) -> float | None:
    return float(value) if value is not None else None


def check_breakdown(metric: Metric, by: Dimension, limit: int) -> None:
    """A limit of 1 to 100 and a metric sliceable by ``by``."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadUserInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if by not in CATALOGUE[metric].dimensions:
        raise BadUserInput(f"by: metric {metric.name} cannot be broken down by {by.name}")


async def compute_breakdown(
    info: Info,
    *,
    shop_id: str,
    metric: Metric,
    by: Dimension,
    period: PeriodInput,
    limit: int,
) -> list[BreakdownRow]:
    """The metric on every value of ``by`` with facts in the period, from one statement per
    fact family; past ``limit`` rows, one "other" row computed from the summed bases of the
    rest (for a sum, the sum of their values)."""
    check_breakdown(metric, by, limit)
    span = period_of(info, period)
    zone = info.context.settings.zone
    pool = info.context.pool
    formula: Formula = FORMULAS[metric]
    window = Window(CURRENT, shop_id, span.start(zone), span.end(zone))
    found = await read_bases(
        pool,
        windows=[window],
        bases=set(formula.bases),
        facts=FactFilter(dimension=by),
        cached=await cached_at(info),
        gate=info.context.fact_gate,
    )
    bases = {key: row for (_, key), row in found.items()}
    values = {key: formula.compute(row) for key, row in bases.items()}
    shown, rest = cut(ranked(values), limit)
    names = await load_names(pool, shop_id=shop_id, dimension=by, keys=shown)
    rows = [
        BreakdownRow(key=key, label=label_of(by, key, names), value=_number(values[key]))
        for key in shown
    ]
    if rest:
        other = formula.compute(summed(bases[key] for key in rest))
        rows.append(BreakdownRow(key=OTHER_KEY, label=OTHER_LABEL, value=_number(other)))
    return rows


async def resolve_shop_breakdown(
    root: ShopRoot,
    info: Info,
    metric: Metric,
    by: Dimension,
    period: PeriodInput,
    limit: int | None = DEFAULT_LIMIT,
) -> list[BreakdownRow]:
    """``Shop.breakdown``; a null limit is the default."""
    return await compute_breakdown(
        info,
        shop_id=str(root.id),
        metric=metric,
        by=by,
        period=period,
        limit=DEFAULT_LIMIT if limit is None else limit,
    )

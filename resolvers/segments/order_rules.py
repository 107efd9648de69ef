"""The order-based leaves: ``purchased`` and ``rfm``."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from resolvers.segments.sets import NOBODY_SQL, Part, Scope, Shape

# Orders of the shop before E, grouped by buyer; {filters} and {having} are lines built
# from the fixed fragments below.
BUYERS_SQL: Final = """SELECT o.user_id
FROM orders o
WHERE o.shop_id = {shop}
  AND o.paid_at < {end}{filters}
GROUP BY o.user_id{having}"""

IN_CATEGORIES_SQL: Final = """o.product_id IN (
      SELECT p.product_id
      FROM products p
      WHERE p.shop_id = {shop}
        AND p.category = any({categories})
  )"""

# Order filters of ``purchased``: JSON key → order column, matched with = any(text[]).
ORDER_COLUMNS: Final = {
    "productIds": "o.product_id",
    "creatorIds": "o.creator_id",
    "carriers": "o.carrier",
}


def _buyers(scope: Scope, filters: list[str], having: list[str]) -> str:
    return BUYERS_SQL.format(
        shop=scope.shop,
        end=scope.end,
        filters="".join(f"\n  AND {condition}" for condition in filters),
        having=f"\nHAVING {' AND '.join(having)}" if having else "",
    )


def _bounds(scope: Scope, expression: str, low: Any, high: Any, pg_type: str) -> list[str]:
    bounds = []
    if low is not None:
        bounds.append(f"{expression} >= {scope.params.add(low, pg_type)}")
    if high is not None:
        bounds.append(f"{expression} <= {scope.params.add(high, pg_type)}")
    return bounds


def _amount(value: Any) -> Decimal | None:
    """A JSON amount as an exact decimal: a float by its shortest form (129.9, not
    129.900000000000005684…)."""
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _order_filters(rule: Mapping[str, Any], scope: Scope) -> list[str]:
    """The conditions on an order of ``purchased``: the window and every given filter."""
    filters = []
    start = scope.window_start(rule.get("withinDays"))
    if start is not None:
        filters.append(f"o.paid_at >= {start}")
    for key, column in ORDER_COLUMNS.items():
        if key in rule:
            filters.append(f"{column} = any({scope.params.add(list(rule[key]), 'text[]')})")
    if "categories" in rule:
        categories = scope.params.add(list(rule["categories"]), "text[]")
        filters.append(IN_CATEGORIES_SQL.format(shop=scope.shop, categories=categories))
    return filters


def purchased_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Customers whose matching orders within the window number within [minOrders (1),
    maxOrders] and sum within [minAmount, maxAmount]. With minOrders 0 a customer without
    a matching order has count 0 and sum 0, so matches unless minAmount is above 0."""
    min_orders = rule.get("minOrders", 1)
    max_orders = rule.get("maxOrders")
    min_amount = _amount(rule.get("minAmount"))
    max_amount = _amount(rule.get("maxAmount"))
    if min_orders == 0 and not min_amount:
        if max_orders is None and max_amount is None:
            # No bound left to break: every customer. Decided before any filter is bound,
            # as a placeholder the statement never reads fails the whole statement.
            return Part(Shape.WITHOUT, NOBODY_SQL)
        # C minus the buyers whose figures break a bound.
        filters = _order_filters(rule, scope)
        limits = _bounds(scope, "count(*)", None, max_orders, "bigint")
        limits += _bounds(scope, "sum(o.amount)", None, max_amount, "numeric")
        return Part(Shape.WITHOUT, _buyers(scope, filters, [f"NOT ({' AND '.join(limits)})"]))
    # Here a match has at least one order: a minimum of 0 or 1 needs no condition.
    filters = _order_filters(rule, scope)
    least = min_orders if min_orders > 1 else None
    having = _bounds(scope, "count(*)", least, max_orders, "bigint")
    having += _bounds(scope, "sum(o.amount)", min_amount, max_amount, "numeric")
    return Part(Shape.SET, _buyers(scope, filters, having))


def rfm_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Buyers with an order in the window whose recency, frequency and monetary value are
    within the bounds. Recency is compared through instants: recency ≤ R when the last
    order is at or after (A − R) 00:00; recency ≥ r when it is before (A − r + 1) 00:00."""
    filters = []
    start = scope.window_start(rule.get("windowDays", 365))
    if start is not None:
        filters.append(f"o.paid_at >= {start}")
    having = []
    if "recencyDaysMax" in rule:
        earliest = scope.day_before(rule["recencyDaysMax"])
        if earliest is not None:
            having.append(f"max(o.paid_at) >= {scope.instant(earliest)}")
    if "recencyDaysMin" in rule:
        latest = scope.day_before(rule["recencyDaysMin"] - 1)
        # A last order before the first day taken is impossible: nobody qualifies.
        having.append(
            f"max(o.paid_at) < {scope.instant(latest)}" if latest is not None else "FALSE"
        )
    having += _bounds(
        scope, "count(*)", rule.get("frequencyMin"), rule.get("frequencyMax"), "bigint"
    )
    having += _bounds(
        scope,
        "sum(o.amount)",
        _amount(rule.get("monetaryMin")),
        _amount(rule.get("monetaryMax")),
        "numeric",
    )
    return Part(Shape.SET, _buyers(scope, filters, having))

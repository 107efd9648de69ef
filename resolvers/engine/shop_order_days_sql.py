"""Order facts of whole business days from ``shop_order_days`` (no slice) and
``shop_order_slice_days`` (the values of an order's own dimension): the bases of
``ORDER_DAYS_SQL``, from one row per shop, day (and value) instead of one per buyer.

A row holds the day's additive measures and, for each chain of the order days, its
buyers' previous days of that kind, sorted (none: ``-infinity``). The buyers of a kind in
a run S … E−1 are counted on their first day of the kind in the run, the day whose
previous day lies before S (``ORDER_DAYS_SQL`` says which rows each base counts): on each
day, the elements of the array before S, ``width_bucket(S - 1, days)`` (a binary search).
Repeat buyers on their second day in the run (its previous day in the run, the one
before that not, the previous day single) are those single rows whose day before the
previous lies before S, less those whose previous day does.

Repeat users (buyers with an order at the shop before S) are, on no slice, the buyers
with a previous day (all but the day's first buyers); on a value, those whose returning
day (their previous day of the value, or their first order day at the shop) lies before
S: the earlier order may be of any value.
"""

from __future__ import annotations

from typing import Final

from resolvers.catalogue import Dimension
from resolvers.engine.fragments import before_s, day_windows_cte
from resolvers.engine.orders_sql import DISTINCT_ORDER_BASES
from resolvers.engine.windows import FactFilter


def _bases(repeat_users: str, first_order_users: str, first_flag: int) -> str:
    """The order bases summed over a window's rows d, repeat and first-order users counted
    by ``repeat_users`` and ``first_order_users`` (expressions from code over one row); each
    distinct count only when its boolean parameter is true, those of
    ``DISTINCT_ORDER_BASES`` in order from ``$first_flag`` (a count not wanted reads no
    array)."""
    distinct = {
        "buyers": before_s("prev_days"),
        "repeat_buyers": f"""{before_s("multi_prev_days")}
            + {before_s("single_prev2_days")} - {before_s("single_prev_days")}""",
        "member_buyers": before_s("member_prev_days"),
        "member_repeat_buyers": f"""{before_s("member_multi_prev_days")}
            + {before_s("member_single_prev2_days")} - {before_s("member_single_prev_days")}""",
        "benefit_users": before_s("benefit_prev_days"),
        "card_buyers": before_s("card_prev_days"),
        "repeat_users": repeat_users,
        "first_order_users": first_order_users,
    }
    assert tuple(distinct) == DISTINCT_ORDER_BASES
    counts = ",".join(
        f"""
        sum(CASE WHEN ${first_flag + index}::boolean THEN {count} END) AS {base}"""
        for index, (base, count) in enumerate(distinct.items())
    )
    return f"""
        sum(d.gmv) AS gmv,
        sum(d.gmv - d.refunds) AS net_gmv,
        sum(d.refunds) AS refunds,
        sum(d.orders) AS orders,
        sum(d.member_gmv) AS member_gmv,
        sum(d.member_orders) AS member_orders,
        sum(d.fan_gmv) AS fan_gmv,
        sum(d.card_gmv) AS card_gmv,{counts}"""


# $1-$4: the windows (id, shop, first day S, day after the last E) as parallel text
# arrays, as ``day_windows`` gives them; $5 the zone the days are in; $6 … $13 whether
# each distinct count is wanted.
SHOP_ORDER_DAYS_SQL: Final = (
    day_windows_cte("shop_order_days_ready($5::text)")
    + f"""
SELECT w.window_id, '' AS slice_key, t.*
FROM w
CROSS JOIN LATERAL (
    SELECT{_bases(f"{before_s('prev_days')} - d.first_buyers", "d.first_buyers", 6)}
    FROM shop_order_days d
    WHERE d.shop_id = w.shop_id
      AND d.day >= w.s
      AND d.day < w.e
) t
WHERE t.orders IS NOT NULL  -- a window with no order has no row, as in the order days
"""
)

# The same over the rows of a dimension: $6 its name, $7 one value or null (every value),
# $8 … $15 whether each distinct count is wanted;
# the days of a window are one index range (by day before value) either way. A value with
# no order in the window has no row, as in the raw statement.
SHOP_ORDER_SLICE_DAYS_SQL: Final = (
    day_windows_cte("order_slice_days_ready($5::text)")
    + f"""
SELECT w.window_id, t.*
FROM w
CROSS JOIN LATERAL (
    SELECT
        d.slice_key,{
        _bases(
            before_s("returning_days"),
            f"{before_s('prev_days')} - {before_s('returning_days')}",
            8,
        )
    }
    FROM shop_order_slice_days d
    WHERE d.shop_id = w.shop_id
      AND d.dimension = $6::text
      AND d.day >= w.s
      AND d.day < w.e
      AND ($7::text IS NULL OR d.slice_key = $7::text)
    GROUP BY d.slice_key
) t
"""
)

SLICE_DIMENSIONS: Final = frozenset({Dimension.ENTRY})
"""The order dimensions whose values the order slice days hold."""


def order_slice_days_reading(facts: FactFilter) -> tuple[str, str | None] | None:
    """The parameters after the zone of ``SHOP_ORDER_SLICE_DAYS_SQL`` for ``facts``; None
    for the slices it does not hold (other dimensions, a segment's users)."""
    dimension = facts.dimension
    if facts.users is not None or dimension is None or dimension not in SLICE_DIMENSIONS:
        return None
    return dimension.name, facts.value

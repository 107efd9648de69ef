"""Order facts of whole business days from ``shop_order_days``: the bases of
``ORDER_DAYS_SQL`` on no slice, from one row per shop and day instead of one per buyer.

A row holds the day's additive measures and, for each chain of the order days, its
buyers' previous days of that kind, sorted (none: ``-infinity``). The buyers of a kind in
a run S … E−1 are counted on their first day of the kind in the run, the day whose
previous day lies before S (``ORDER_DAYS_SQL`` says which rows each base counts): on each
day, the elements of the array before S, ``width_bucket(S - 1, days)`` (a binary search).
Repeat buyers on their second day in the run (its previous day in the run, the one
before that not, the previous day single) are those single rows whose day before the
previous lies before S, less those whose previous day does.
"""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import day_windows_cte


def _before_s(days: str) -> str:
    """How many of a day's sorted ``days`` (a column of the row d) lie before S."""
    return f"width_bucket(w.s - 1, d.{days})"


# $1-$4: the windows (id, shop, first day S, day after the last E) as parallel text
# arrays, as ``day_args`` gives them; $5 the zone the days are in.
SHOP_ORDER_DAYS_SQL: Final = (
    day_windows_cte("shop_order_days_ready($5::text)")
    + f"""
SELECT w.window_id, '' AS slice_key, t.*
FROM w
CROSS JOIN LATERAL (
    SELECT
        sum(d.gmv) AS gmv,
        sum(d.gmv - d.refunds) AS net_gmv,
        sum(d.refunds) AS refunds,
        sum(d.orders) AS orders,
        sum(d.member_gmv) AS member_gmv,
        sum(d.member_orders) AS member_orders,
        sum(d.fan_gmv) AS fan_gmv,
        sum(d.card_gmv) AS card_gmv,
        sum({_before_s("prev_days")}) AS buyers,
        sum(
            {_before_s("multi_prev_days")}
            + {_before_s("single_prev2_days")} - {_before_s("single_prev_days")}
        ) AS repeat_buyers,
        sum({_before_s("member_prev_days")}) AS member_buyers,
        sum(
            {_before_s("member_multi_prev_days")}
            + {_before_s("member_single_prev2_days")} - {_before_s("member_single_prev_days")}
        ) AS member_repeat_buyers,
        sum({_before_s("benefit_prev_days")}) AS benefit_users,
        sum({_before_s("card_prev_days")}) AS card_buyers,
        sum({_before_s("prev_days")} - d.first_buyers) AS repeat_users,
        sum(d.first_buyers) AS first_order_users
    FROM shop_order_days d
    WHERE d.shop_id = w.shop_id
      AND d.day >= w.s
      AND d.day < w.e
) t
WHERE t.orders IS NOT NULL  -- a window with no order has no row, as in the order days
"""
)

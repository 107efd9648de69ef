"""Order facts of whole business days from ``order_days``: the same bases as
``ORDER_FACTS_SQL``, read without a lookup per order or per buyer.

A row is one buyer's orders at a shop on one day (S ≤ day < E for a window of the days
S … E−1), with the buyer's previous day of each kind of order (any; by a member; by a
member with a benefit; on a product card). Distinct buyers are counted once each, on
their first day of the kind in the window, the one whose previous day of that kind lies
before S:

- buyers: rows whose previous order day is before S (or none); first-order users those
  with none, repeat users those with one;
- buyers with two orders or more in the window: on their first day in it when that day has
  two or more, else on their second day in it, when the first held exactly one (the row's
  previous day is in the window, the day before that is not, and it held one order);
- member, benefit and card buyers alike over their own chains.
"""

from __future__ import annotations

from typing import Final

from resolvers.engine.fragments import USER_KEYS, day_windows_cte

# $1-$4: the windows (id, shop, first day S, day after the last E) as parallel text
# arrays; $5 a user dimension or NULL, $6 one of its values or NULL (every value: a
# breakdown); $7 the zone the days are in.
ORDER_DAYS_SQL: Final = (
    day_windows_cte("order_days_ready($7::text)")
    + """,
facts AS (
    SELECT
        w.window_id,
        w.s,
        d.*,
        CASE $5::text
"""
    + USER_KEYS
    + """
            ELSE ''
        END AS slice_key
    FROM w
    CROSS JOIN LATERAL (
        SELECT *
        FROM order_days
        WHERE order_days.shop_id = w.shop_id
          AND order_days.day >= w.s
          AND order_days.day < w.e
        OFFSET 0  -- an index range scan per window
    ) d
    LEFT JOIN users u ON $5::text IS NOT NULL AND u.user_id = d.user_id
)
SELECT
    window_id,
    slice_key,
    sum(gmv) AS gmv,
    sum(gmv - refunds) AS net_gmv,
    sum(refunds) AS refunds,
    sum(orders) AS orders,
    sum(member_gmv) AS member_gmv,
    sum(member_orders) AS member_orders,
    sum(fan_gmv) AS fan_gmv,
    sum(card_gmv) AS card_gmv,
    count(*) FILTER (WHERE prev_day IS NULL OR prev_day < s) AS buyers,
    count(*) FILTER (
        WHERE ((prev_day IS NULL OR prev_day < s) AND orders >= 2)
           OR (prev_day >= s AND (prev2_day IS NULL OR prev2_day < s) AND prev_single)
    ) AS repeat_buyers,
    count(*) FILTER (
        WHERE member_orders > 0 AND (member_prev_day IS NULL OR member_prev_day < s)
    ) AS member_buyers,
    count(*) FILTER (
        WHERE member_orders > 0
          AND (
              ((member_prev_day IS NULL OR member_prev_day < s) AND member_orders >= 2)
              OR (
                  member_prev_day >= s
                  AND (member_prev2_day IS NULL OR member_prev2_day < s)
                  AND member_prev_single
              )
          )
    ) AS member_repeat_buyers,
    count(*) FILTER (
        WHERE benefit_orders > 0 AND (benefit_prev_day IS NULL OR benefit_prev_day < s)
    ) AS benefit_users,
    count(*) FILTER (
        WHERE card_orders > 0 AND (card_prev_day IS NULL OR card_prev_day < s)
    ) AS card_buyers,
    count(*) FILTER (WHERE prev_day < s) AS repeat_users,
    count(*) FILTER (WHERE prev_day IS NULL) AS first_order_users
FROM facts
WHERE slice_key IS NOT NULL
  AND ($6::text IS NULL OR slice_key = $6::text)
GROUP BY window_id, slice_key
"""
)

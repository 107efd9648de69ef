"""The data rules of SPEC §1 the loader enforces, as counts of rows that break them.

Foreign keys, refunds within the amount and stint order are checked by the schema itself;
these are the rules the schema cannot express. Each statement must return 0.
"""

from __future__ import annotations

from typing import Final

# Stints of one user at one shop that begin before the previous one ended.
_OVERLAPS: Final = """
SELECT count(*)
FROM (
    SELECT
        {start},
        lag({end}) OVER stints AS previous_end,
        lag({start}) OVER stints AS previous_start
    FROM {table}
    WINDOW stints AS (PARTITION BY shop_id, user_id ORDER BY {start})
) AS s
WHERE previous_start IS NOT NULL
  AND (previous_end IS NULL OR previous_end > {start})
"""

RULE_CHECKS: Final[dict[str, str]] = {
    "order entry only on product_card orders": """
SELECT count(*)
FROM orders
WHERE entry IS NOT NULL
  AND carrier <> 'product_card'
""",
    "order refund within amount, refunded after paid": """
SELECT count(*)
FROM orders
WHERE refund_amount > amount
   OR refunded_at < paid_at
""",
    "order product and benefit of the order's shop": """
SELECT count(*)
FROM orders AS o
LEFT JOIN products AS p ON p.product_id = o.product_id
LEFT JOIN benefits AS b ON b.benefit_id = o.benefit_id
WHERE p.shop_id <> o.shop_id
   OR b.shop_id <> o.shop_id
""",
    "event fields by type (product, carrier, entry, benefit)": """
SELECT count(*)
FROM events
WHERE (type IN ('product_impression', 'product_click')
       AND (product_id IS NULL OR carrier IS NULL))
   OR (carrier = 'product_card' AND type IN ('product_impression', 'product_click')
       AND entry IS NULL)
   OR (entry IS NOT NULL AND carrier IS DISTINCT FROM 'product_card')
   OR (type = 'benefit_claim' AND benefit_id IS NULL)
""",
    "event product and benefit of the event's shop": """
SELECT count(*)
FROM events AS e
LEFT JOIN products AS p ON p.product_id = e.product_id
LEFT JOIN benefits AS b ON b.benefit_id = e.benefit_id
WHERE p.shop_id <> e.shop_id
   OR b.shop_id <> e.shop_id
""",
    "member stints do not overlap": _OVERLAPS.format(
        table="members", start="joined_at", end="left_at"
    ),
    "follow stints do not overlap": _OVERLAPS.format(
        table="fans", start="followed_at", end="unfollowed_at"
    ),
    "reach shop is the campaign's shop": """
SELECT count(*)
FROM reach AS r
JOIN campaigns AS c ON c.campaign_id = r.campaign_id
WHERE c.shop_id <> r.shop_id
""",
}

TABLES: Final = (
    "shops",
    "users",
    "creators",
    "products",
    "benefits",
    "campaigns",
    "members",
    "fans",
    "orders",
    "events",
    "reach",
)

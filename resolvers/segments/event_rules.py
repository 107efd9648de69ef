"""The leaves on things that happened to a user at the shop: ``activity`` and ``reached``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from resolvers.segments.sets import NOBODY_SQL, Part, Scope, Shape
from vocabulary import ACTIVITY_TYPES_SQL

EVENTS_SQL: Final = """SELECT e.user_id
FROM events e
WHERE e.shop_id = {shop}
  AND e.occurred_at < {end}
  AND {types}{start}
GROUP BY e.user_id{having}"""

# Sends of the shop's campaigns (reach.shop_id is the campaign's shop). A reached user
# need not be a customer, so this set is intersected with C where nothing else bounds it.
SENT_SQL: Final = """SELECT DISTINCT r.user_id
FROM reach r
WHERE r.shop_id = {shop}
  AND r.sent_at < {end}{filters}"""

# Without types, the activity events of the relationship metrics: the same fixed list as
# the partial index on events, so that index serves it.
ACTIVITY_EVENTS: Final = f"e.type IN ({ACTIVITY_TYPES_SQL})"


def activity_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Users with at least minCount (1) events of the types within the window; with
    minCount 0, every customer."""
    min_count = rule.get("minCount", 1)
    if min_count == 0:
        return Part(Shape.WITHOUT, NOBODY_SQL)
    types = ACTIVITY_EVENTS
    if "types" in rule:
        types = f"e.type = any({scope.params.add(list(rule['types']), 'text[]')})"
    start = scope.window_start(rule.get("withinDays"))
    having = ""
    if min_count > 1:
        having = f"\nHAVING count(*) >= {scope.params.add(min_count, 'bigint')}"
    sql = EVENTS_SQL.format(
        shop=scope.shop,
        end=scope.end,
        types=types,
        start=f"\n  AND e.occurred_at >= {start}" if start is not None else "",
        having=having,
    )
    return Part(Shape.SET, sql)


def reached_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Users sent a message of the campaigns (any of the shop's) within the window."""
    filters = ""
    start = scope.window_start(rule.get("withinDays"))
    if start is not None:
        filters += f"\n  AND r.sent_at >= {start}"
    if "campaignIds" in rule:
        filters += (
            f"\n  AND r.campaign_id = any({scope.params.add(list(rule['campaignIds']), 'text[]')})"
        )
    sql = SENT_SQL.format(shop=scope.shop, end=scope.end, filters=filters)
    return Part(Shape.SET, sql, exact=False)

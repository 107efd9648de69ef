"""The stint-based leaves: ``member`` and ``fan``, read at E."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from resolvers.member_status import member_status_sql
from resolvers.segments.sets import NOBODY_SQL, Part, Scope, Shape, all_of

# Members at E: on a stint with joined_at < E and no left_at or left_at >= E. Stints of
# one user never overlap, so each member has one stint in force; {conditions} are lines
# on that stint.
MEMBERS_AT_END_SQL: Final = """SELECT DISTINCT m.user_id
FROM members m
WHERE m.shop_id = {shop}
  AND m.joined_at < {end}
  AND (m.left_at IS NULL OR m.left_at >= {end}){conditions}"""

# Users with a stint that started within the window (whether or not still in force).
JOINED_SQL: Final = """SELECT DISTINCT m.user_id
FROM members m
WHERE m.shop_id = {shop}{start}
  AND m.joined_at < {end}"""

FANS_AT_END_SQL: Final = """SELECT DISTINCT f.user_id
FROM fans f
WHERE f.shop_id = {shop}
  AND f.followed_at < {end}
  AND (f.unfollowed_at IS NULL OR f.unfollowed_at >= {end})"""


def _members_at_end(scope: Scope, conditions: list[str]) -> str:
    lines = "".join(f"\n  AND {condition}" for condition in conditions)
    return MEMBERS_AT_END_SQL.format(shop=scope.shop, end=scope.end, conditions=lines)


def member_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Each given field must hold: isMember at E; a stint joined within the window; the
    stint in force joined via one of the channels; the status at E one of the statuses."""
    conditions = []
    if "joinChannels" in rule:
        channels = scope.params.add(list(rule["joinChannels"]), "text[]")
        conditions.append(f"m.join_channel = any({channels})")
    if "statuses" in rule:
        status = member_status_sql(scope.shop, "m.user_id", scope.end)
        statuses = scope.params.add(list(rule["statuses"]), "text[]")
        conditions.append(f"({status}) = any({statuses})")
    parts = []
    if rule.get("isMember") is True or conditions:
        parts.append(Part(Shape.SET, _members_at_end(scope, conditions)))
    if rule.get("isMember") is False:
        parts.append(Part(Shape.WITHOUT, _members_at_end(scope, [])))
    if "joinedWithinDays" in rule:
        start = scope.window_start(rule["joinedWithinDays"])
        since = f"\n  AND m.joined_at >= {start}" if start is not None else ""
        joined = JOINED_SQL.format(shop=scope.shop, start=since, end=scope.end)
        parts.append(Part(Shape.SET, joined))
    if not parts:
        return Part(Shape.WITHOUT, NOBODY_SQL)
    return all_of(parts, scope)


def fan_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Fans at E (on a follow stint in force), or the customers who are not."""
    fans = FANS_AT_END_SQL.format(shop=scope.shop, end=scope.end)
    return Part(Shape.SET if rule["isFan"] else Shape.WITHOUT, fans)

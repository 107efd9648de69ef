"""The segment compiler: a rule's JSON form as one parameterised SELECT of user ids.

Every value is a placeholder from ``Params``; table and column names come from the fixed
fragments of the leaf modules. Each leaf is one set-based SELECT over the shop's index
prefix (orders, events, members, fans, reach by shop and time); ``all`` intersects,
``any`` unites and ``not`` subtracts, as laid out in ``resolvers.segments.sets``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from resolvers.errors import BadUserInput
from resolvers.segments.event_rules import activity_part, reached_part
from resolvers.segments.order_rules import purchased_part, rfm_part
from resolvers.segments.params import Params
from resolvers.segments.profile_rules import profile_part
from resolvers.segments.sets import Part, Scope, all_of, any_of, none_of
from resolvers.segments.stint_rules import fan_part, member_part

LEAVES: Final[dict[str, Callable[[Mapping[str, Any], Scope], Part]]] = {
    "member": member_part,
    "purchased": purchased_part,
    "rfm": rfm_part,
    "activity": activity_part,
    "profile": profile_part,
    "fan": fan_part,
    "reached": reached_part,
}


def default_as_of(zone: ZoneInfo) -> date:
    """Today in the business zone."""
    return datetime.now(zone).date()


def compile_rule(rule: Mapping[str, Any], scope: Scope) -> Part:
    """The part of one node of the JSON form (exactly one key)."""
    [(kind, value)] = rule.items()
    if kind == "all":
        return all_of([compile_rule(child, scope) for child in value], scope)
    if kind == "any":
        return any_of([compile_rule(child, scope) for child in value], scope)
    if kind == "not":
        return none_of(compile_rule(value, scope))
    return LEAVES[kind](value, scope)


def segment_sql(
    rule: Mapping[str, Any], *, shop_id: str, as_of: date, zone: ZoneInfo, params: Params
) -> str:
    """One SELECT returning column user_id (each once) of the shop's customers as of
    ``as_of`` that match ``rule`` (the JSON form). Placeholders come from ``params``, so
    two segments can be composed into one statement (overlap) and wrapped:
    ``SELECT count(*) FROM (<sql>) s``."""
    if as_of >= date.max:
        raise BadUserInput(f"asOf: {as_of} is past the last day a segment can be read at")
    scope = Scope(shop_id=shop_id, as_of=as_of, zone=zone, params=params)
    return scope.statement(compile_rule(rule, scope))

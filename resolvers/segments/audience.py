"""A saved segment's audience as of a day: the key its fields read, the as-of day, and the
SQL fragments every audience statement shares."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from resolvers.errors import BadUserInput
from resolvers.metrics import ShopKey
from resolvers.segments.compiler import default_as_of, segment_sql
from resolvers.segments.params import Params
from resolvers.segments.stored import UnreadableRule, saved_rule_form, unevaluable


@dataclass(frozen=True)
class SegmentKey:
    """What the fields of a segment need: its id, its shop and its saved rule as read back
    (``form`` None, with the ``problem``, when it no longer passes the checks of a save)."""

    segment_id: str
    shop: ShopKey
    form: Mapping[str, Any] | None
    problem: str = ""

    def evaluable_rule(self) -> Mapping[str, Any]:
        """The rule to compile; BAD_USER_INPUT when the saved one can no longer be evaluated."""
        if self.form is None:
            raise unevaluable(self.segment_id, self.problem)
        return self.form


def segment_key(segment_id: str, shop: ShopKey, stored: object, *, max_depth: int) -> SegmentKey:
    """The key of a saved segment, its rule read back (a rule that fails the checks fails
    the fields that evaluate it, not the reading of the segment)."""
    try:
        form = saved_rule_form(stored, max_depth=max_depth)
    except UnreadableRule as problem:
        return SegmentKey(segment_id=segment_id, shop=shop, form=None, problem=str(problem))
    return SegmentKey(segment_id=segment_id, shop=shop, form=form)


def decode_rule(stored: str) -> dict[str, Any]:
    """A rule as read from a JSONB column (asyncpg hands JSON over as text)."""
    rule: dict[str, Any] = json.loads(stored)
    return rule


def as_of_day(as_of: date | None, *, zone: ZoneInfo, argument: str = "asOf") -> date:
    """The as-of day asked for (today in the business zone when null), never in the future."""
    today = default_as_of(zone)
    if as_of is None:
        return today
    if as_of > today:
        raise BadUserInput(f"{argument}: {as_of} is after today ({today}) in the business zone")
    return as_of


def end_of_day(day: date, *, zone: ZoneInfo) -> datetime:
    """The instant a rule is evaluated at: the next day's 00:00 in the business zone."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)


@dataclass(frozen=True)
class Audience:
    """A segment compiled as of a day: the SELECT of its user ids, the placeholders of its
    shop and as-of end, and the parameters the statement built around it will take."""

    sql: str
    shop: str
    at: str
    params: Params


def compile_audience(
    rule: Mapping[str, Any], *, shop_id: str, as_of: date, zone: ZoneInfo
) -> Audience:
    """The audience of ``rule`` with its own parameters, plus the shop and as-of end bound
    for the profile columns around it."""
    params = Params()
    sql = segment_sql(rule, shop_id=shop_id, as_of=as_of, zone=zone, params=params)
    shop = params.add(shop_id, "text")
    at = params.add(end_of_day(as_of, zone=zone), "timestamptz")
    return Audience(sql=sql, shop=shop, at=at, params=params)


def member_stint_sql(*, shop: str, user: str, at: str) -> str:
    """A LATERAL subquery: the join channel of the membership stint in force at ``at`` (none
    when not a member). Stints of one user never overlap, so at most one row.

    The arguments are SQL expressions written in code (placeholders, column references)."""
    return f"""(
    SELECT m.join_channel
    FROM members AS m
    WHERE m.shop_id = {shop}
      AND m.user_id = {user}
      AND m.joined_at < {at}
      AND (m.left_at IS NULL OR m.left_at >= {at})
    LIMIT 1
)"""  # noqa: S608 (fixed expressions from code)

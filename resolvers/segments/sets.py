"""Sets of customers as SQL: what each compiled rule yields, and how rules combine.

C is the shop's customers as of A: every user with a member stint, a follow stint, an
order or an event at the shop that began before E (A + 1 day, 00:00 in the business
zone). A compiled rule is a ``Part`` in one of three shapes, so that the common
combinations need no scan of C:

- ``SET``: a SELECT of user ids; ``exact`` when it holds customers only (it reads facts
  before E), else only its intersection with C counts (sends: a reached user need not be
  a customer);
- ``WITHOUT``: C minus a SELECT of user ids (``not``, isn't a member, minOrders 0);
- ``WHERE``: the customers whose ``users`` row (alias ``u``) meets a condition (profile).

``all`` intersects its sets, filters them by its conditions and subtracts its WITHOUTs;
only ``not`` alone, a profile alone or a mix under ``any`` reads C itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Final
from zoneinfo import ZoneInfo

from resolvers.segments.params import Params

# C, defined by the statement only when one of its parts reads it.
CUSTOMERS_CTE_SQL: Final = """WITH segment_customers AS (
    SELECT ms.user_id
    FROM members ms
    WHERE ms.shop_id = {shop}
      AND ms.joined_at < {end}
    UNION
    SELECT fs.user_id
    FROM fans fs
    WHERE fs.shop_id = {shop}
      AND fs.followed_at < {end}
    UNION
    SELECT os.user_id
    FROM orders os
    WHERE os.shop_id = {shop}
      AND os.paid_at < {end}
    UNION
    SELECT es.user_id
    FROM events es
    WHERE es.shop_id = {shop}
      AND es.occurred_at < {end}
)
"""

ALL_CUSTOMERS_SQL: Final = """SELECT c.user_id
FROM segment_customers c"""

CUSTOMERS_WHERE_SQL: Final = """SELECT c.user_id
FROM segment_customers c
JOIN users u ON u.user_id = c.user_id
WHERE {condition}"""

FILTERED_SQL: Final = """SELECT x.user_id
FROM (
{inner}
) x
JOIN users u ON u.user_id = x.user_id
WHERE {condition}"""

# The empty set (C minus nothing is C).
NOBODY_SQL: Final = """SELECT NULL::text AS user_id
WHERE FALSE"""

SEGMENT_SQL: Final = """SELECT segment.user_id
FROM (
{customers}{body}
) AS segment"""

# The earliest day an instant is taken at; a window reaching further back has no start.
FIRST_DAY: Final = date(1, 1, 2)


class Shape(Enum):
    SET = "set"
    WITHOUT = "without"
    WHERE = "where"


@dataclass(frozen=True)
class Part:
    """A compiled rule: see the module docstring for the shapes."""

    shape: Shape
    sql: str
    exact: bool = True


class Scope:
    """What the parts of one segment share: its placeholders, the as-of day, and whether
    they read C."""

    def __init__(self, *, shop_id: str, as_of: date, zone: ZoneInfo, params: Params) -> None:
        self.as_of = as_of
        self.zone = zone
        self.params = params
        self._instants: dict[date, str] = {}
        self.shop = params.add(shop_id, "text")
        self.end = self.instant(as_of + timedelta(days=1))
        self.reads_customers = False

    def instant(self, day: date) -> str:
        """The placeholder of ``day`` at 00:00 in the business zone (one per day)."""
        if day not in self._instants:
            moment = datetime.combine(day, time(), self.zone)
            self._instants[day] = self.params.add(moment, "timestamptz")
        return self._instants[day]

    def day_before(self, days: int) -> date | None:
        """A − ``days``; None when that is before the first day taken."""
        ordinal = self.as_of.toordinal() - days
        return date.fromordinal(ordinal) if ordinal >= FIRST_DAY.toordinal() else None

    def window_start(self, days: int | None) -> str | None:
        """The first instant of the N days ending with A; None for no bound (N omitted, or
        reaching before the first day)."""
        if days is None:
            return None
        first = self.day_before(days - 1)
        return self.instant(first) if first is not None else None

    def read_customers(self) -> None:
        """Note that the statement must define C."""
        self.reads_customers = True

    def statement(self, part: Part) -> str:
        """The whole SELECT of the part's customers, each once."""
        body = exact_sql(part, self)
        customers = ""
        if self.reads_customers:
            customers = CUSTOMERS_CTE_SQL.format(shop=self.shop, end=self.end)
        return SEGMENT_SQL.format(customers=customers, body=body)


def _joined(operator: str, selects: list[str]) -> str:
    if len(selects) == 1:
        return selects[0]
    return f"\n{operator}\n".join(f"(\n{select}\n)" for select in selects)


def _conditions(operator: str, conditions: list[str]) -> str:
    if len(conditions) == 1:
        return conditions[0]
    return f" {operator} ".join(f"({condition})" for condition in conditions)


def exact_sql(part: Part, scope: Scope) -> str:
    """A SELECT of exactly the part's customers."""
    if part.shape is Shape.WHERE:
        scope.read_customers()
        return CUSTOMERS_WHERE_SQL.format(condition=part.sql)
    if part.shape is Shape.WITHOUT:
        scope.read_customers()
        return _joined("EXCEPT", [ALL_CUSTOMERS_SQL, part.sql])
    if part.exact:
        return part.sql
    scope.read_customers()
    return _joined("INTERSECT", [ALL_CUSTOMERS_SQL, part.sql])


def all_of(parts: list[Part], scope: Scope) -> Part:
    """Customers in every part."""
    sets = [part for part in parts if part.shape is Shape.SET]
    wheres = [part.sql for part in parts if part.shape is Shape.WHERE]
    withouts = [part.sql for part in parts if part.shape is Shape.WITHOUT]
    if not sets and not wheres:
        return Part(Shape.WITHOUT, _joined("UNION", withouts))
    if not sets and not withouts:
        return Part(Shape.WHERE, _conditions("AND", wheres))
    if sets:
        # Sets of sends hold non-customers; intersected with one exact set, they are exact.
        exact = any(part.exact for part in sets)
        core = _joined("INTERSECT", [part.sql for part in sets])
        if wheres:
            core = FILTERED_SQL.format(inner=core, condition=_conditions("AND", wheres))
    else:
        exact = True
        core = CUSTOMERS_WHERE_SQL.format(condition=_conditions("AND", wheres))
        scope.read_customers()
    if withouts:
        core = _joined("EXCEPT", [core, _joined("UNION", withouts)])
    return Part(Shape.SET, core, exact)


def any_of(parts: list[Part], scope: Scope) -> Part:
    """Customers in at least one part."""
    shapes = {part.shape for part in parts}
    if shapes == {Shape.WHERE}:
        return Part(Shape.WHERE, _conditions("OR", [part.sql for part in parts]))
    if shapes == {Shape.WITHOUT}:
        # (C − Y1) ∪ (C − Y2) = C − (Y1 ∩ Y2)
        return Part(Shape.WITHOUT, _joined("INTERSECT", [part.sql for part in parts]))
    selects = [part.sql if part.shape is Shape.SET else exact_sql(part, scope) for part in parts]
    exact = all(part.exact for part in parts if part.shape is Shape.SET)
    return Part(Shape.SET, _joined("UNION", selects), exact)


def none_of(part: Part) -> Part:
    """Customers not in the part."""
    if part.shape is Shape.SET:
        return Part(Shape.WITHOUT, part.sql)
    if part.shape is Shape.WITHOUT:
        # C − (C − Y) = C ∩ Y: Y may hold non-customers.
        return Part(Shape.SET, part.sql, exact=False)
    # A condition on a null attribute is null, not false: its complement must keep it.
    return Part(Shape.WHERE, f"NOT coalesce({part.sql}, FALSE)")

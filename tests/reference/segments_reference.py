"""An independent reading of the segment rules (SPEC §6), evaluated in plain Python.

The rows of one shop are read back from the database once; a rule (the JSON form of
``SegmentRuleInput``, camelCase keys) is then evaluated as of a day by set arithmetic
over them, straight from the text of §6 and, where it is silent, the readings written
down in ``docs/choices.md`` ("Segment rules"):

- customers as of A are the users with a member stint, a follow stint, an order or an
  event at the shop that began before E = A + 1 day 00:00; a message alone makes none;
- "within N days" is ``[A − N + 1 00:00, E)``; an omitted optional window is everything
  before E; nothing at or after E counts;
- a member's status at E: quality with an order in the 365 days ending at E, else
  potential with an activity event (orders excluded) in the 90 days ending at E, else
  dormant;
- ``unknown`` in a profile list matches a missing attribute (null or ``unknown``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

# The activity events of the relationship metrics (§3 "Activity"), orders aside.
ACTIVITY_TYPES = frozenset(
    {"shop_visit", "live_watch", "video_watch", "benefit_claim", "points_interaction"}
)
UNKNOWN = "unknown"
PROFILE_FIELDS = {
    "genders": "gender",
    "ageBands": "age_band",
    "provinces": "province",
    "crowds": "crowd",
}

Rule = dict[str, Any]


@dataclass(frozen=True)
class Stint:
    """A membership or follow stint; ``channel`` is the join channel of a membership."""

    user_id: str
    start: datetime
    end: datetime | None
    channel: str | None = None


@dataclass(frozen=True)
class Order:
    user_id: str
    product_id: str
    category: str
    creator_id: str | None
    carrier: str
    amount: Decimal
    paid_at: datetime


# The ``purchased`` filters: each list is matched against one field of the order.
ORDER_FILTERS: dict[str, Callable[[Order], str | None]] = {
    "productIds": lambda o: o.product_id,
    "categories": lambda o: o.category,
    "creatorIds": lambda o: o.creator_id,
    "carriers": lambda o: o.carrier,
}


@dataclass(frozen=True)
class Event:
    user_id: str
    type: str
    occurred_at: datetime


@dataclass(frozen=True)
class Send:
    user_id: str
    campaign_id: str
    sent_at: datetime


@dataclass(frozen=True)
class ShopFacts:
    """Every fact of one shop, and the profiles of every user."""

    shop_id: str
    members: list[Stint]
    fans: list[Stint]
    orders: list[Order]
    events: list[Event]
    sends: list[Send]
    profiles: dict[str, dict[str, str | None]]


MEMBERS_SQL = """
SELECT user_id, joined_at, left_at, join_channel FROM members WHERE shop_id = $1
"""
FANS_SQL = """
SELECT user_id, followed_at, unfollowed_at FROM fans WHERE shop_id = $1
"""
ORDERS_SQL = """
SELECT o.user_id, o.product_id, p.category, o.creator_id, o.carrier, o.amount, o.paid_at
FROM orders AS o
JOIN products AS p ON p.product_id = o.product_id
WHERE o.shop_id = $1
"""
EVENTS_SQL = """
SELECT user_id, type, occurred_at FROM events WHERE shop_id = $1
"""
SENDS_SQL = """
SELECT r.user_id, r.campaign_id, r.sent_at
FROM reach AS r
JOIN campaigns AS c ON c.campaign_id = r.campaign_id
WHERE c.shop_id = $1
"""
USERS_SQL = """
SELECT user_id, gender, age_band, province, crowd FROM users
"""


async def read_shop_facts(pool: asyncpg.Pool, shop_id: str) -> ShopFacts:
    """The shop's rows as stored, without any of the service's own queries."""
    members = [Stint(*row) for row in await pool.fetch(MEMBERS_SQL, shop_id)]
    fans = [Stint(*row) for row in await pool.fetch(FANS_SQL, shop_id)]
    orders = [Order(*row) for row in await pool.fetch(ORDERS_SQL, shop_id)]
    events = [Event(*row) for row in await pool.fetch(EVENTS_SQL, shop_id)]
    sends = [Send(*row) for row in await pool.fetch(SENDS_SQL, shop_id)]
    profiles = {
        row["user_id"]: {column: row[column] for column in PROFILE_FIELDS.values()}
        for row in await pool.fetch(USERS_SQL)
    }
    return ShopFacts(shop_id, members, fans, orders, events, sends, profiles)


def profile_value(value: str | None) -> str:
    """An attribute as a breakdown shows it: null and ``unknown`` are both unknown."""
    return UNKNOWN if value is None or value == UNKNOWN else value


class SegmentReference:
    """The rules of one shop as of one day."""

    def __init__(self, facts: ShopFacts, as_of: date, zone: ZoneInfo) -> None:
        self.facts = facts
        self.as_of = as_of
        self.zone = zone
        self.end = self.midnight(as_of + timedelta(days=1))
        self.customers = frozenset(
            [s.user_id for s in facts.members if s.start < self.end]
            + [s.user_id for s in facts.fans if s.start < self.end]
            + [o.user_id for o in facts.orders if o.paid_at < self.end]
            + [e.user_id for e in facts.events if e.occurred_at < self.end]
        )
        self.stints = {s.user_id: s for s in facts.members if self.in_force(s)}
        self.fans = {s.user_id for s in facts.fans if self.in_force(s)}

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def window_start(self, days: int | None) -> datetime | None:
        """The start of "within N days"; None when omitted or reaching before the year 1."""
        if days is None:
            return None
        try:
            return self.midnight(self.as_of - timedelta(days=days - 1))
        except OverflowError:
            return None

    def within(self, instant: datetime, start: datetime | None) -> bool:
        return instant < self.end and (start is None or instant >= start)

    def in_force(self, stint: Stint) -> bool:
        """Point in time at E: began before E and not ended before it."""
        return stint.start < self.end and (stint.end is None or stint.end >= self.end)

    def statuses(self) -> dict[str, str]:
        """Each member's status at E (§3 "Relationship quality"): QUALITY, POTENTIAL, DORMANT."""
        year, quarter = self.window_start(365), self.window_start(90)
        buyers = {o.user_id for o in self.facts.orders if self.within(o.paid_at, year)}
        active = {
            e.user_id
            for e in self.facts.events
            if e.type in ACTIVITY_TYPES and self.within(e.occurred_at, quarter)
        }
        return {
            u: "QUALITY" if u in buyers else "POTENTIAL" if u in active else "DORMANT"
            for u in self.stints
        }

    def evaluate(self, rule: Rule) -> set[str]:
        """The customers matching ``rule``."""
        (kind, body), *rest = rule.items()
        assert not rest, f"a rule is exactly one kind: {rule}"
        if kind == "all":
            return set(self.customers).intersection(*(self.evaluate(r) for r in body))
        if kind == "any":
            return set().union(*(self.evaluate(r) for r in body))
        if kind == "not":
            return set(self.customers) - self.evaluate(body)
        leaf: set[str] = getattr(self, f"leaf_{kind}")(body)
        return leaf & self.customers

    def leaf_member(self, body: Rule) -> set[str]:
        found = set(self.customers)
        is_member = body.get("isMember")
        if is_member is not None:
            found = {u for u in found if (u in self.stints) == is_member}
        if body.get("joinedWithinDays") is not None:
            start = self.window_start(body["joinedWithinDays"])
            found &= {s.user_id for s in self.facts.members if self.within(s.start, start)}
        if body.get("joinChannels") is not None:
            channels = set(body["joinChannels"])
            found &= {u for u, s in self.stints.items() if s.channel in channels}
        if body.get("statuses") is not None:
            wanted = set(body["statuses"])
            found &= {u for u, status in self.statuses().items() if status in wanted}
        return found

    def leaf_purchased(self, body: Rule) -> set[str]:
        start = self.window_start(body.get("withinDays"))
        orders = [
            o
            for o in self.facts.orders
            if self.within(o.paid_at, start)
            and all(
                key not in body or body[key] is None or field(o) in body[key]
                for key, field in ORDER_FILTERS.items()
            )
        ]
        counts, sums = self.tally(orders)
        min_orders = body.get("minOrders")
        low = 1 if min_orders is None else min_orders
        return {
            u
            for u in self.customers
            if bounded(counts[u], low, body.get("maxOrders"))
            and bounded(sums[u], money(body.get("minAmount")), money(body.get("maxAmount")))
        }

    def leaf_rfm(self, body: Rule) -> set[str]:
        window = body.get("windowDays")
        start = self.window_start(365 if window is None else window)
        orders = [o for o in self.facts.orders if self.within(o.paid_at, start)]
        counts, sums = self.tally(orders)
        last: dict[str, date] = {}
        for o in orders:
            day = o.paid_at.astimezone(self.zone).date()
            last[o.user_id] = max(day, last.get(o.user_id, day))
        return {
            u
            for u in last
            if bounded(
                (self.as_of - last[u]).days, body.get("recencyDaysMin"), body.get("recencyDaysMax")
            )
            and bounded(counts[u], body.get("frequencyMin"), body.get("frequencyMax"))
            and bounded(sums[u], money(body.get("monetaryMin")), money(body.get("monetaryMax")))
        }

    def leaf_activity(self, body: Rule) -> set[str]:
        types = ACTIVITY_TYPES if body.get("types") is None else set(body["types"])
        start = self.window_start(body.get("withinDays"))
        counts = Counter(
            e.user_id
            for e in self.facts.events
            if e.type in types and self.within(e.occurred_at, start)
        )
        min_count = body.get("minCount")
        low = 1 if min_count is None else min_count
        return {u for u in self.customers if counts[u] >= low}

    def leaf_profile(self, body: Rule) -> set[str]:
        found = set(self.customers)
        for key, column in PROFILE_FIELDS.items():
            if body.get(key) is not None:
                allowed = set(body[key])
                found = {
                    u for u in found if profile_value(self.facts.profiles[u][column]) in allowed
                }
        return found

    def leaf_fan(self, body: Rule) -> set[str]:
        if body["isFan"]:
            return set(self.fans)
        return set(self.customers) - self.fans

    def leaf_reached(self, body: Rule) -> set[str]:
        start = self.window_start(body.get("withinDays"))
        campaigns = body.get("campaignIds")
        return {
            s.user_id
            for s in self.facts.sends
            if self.within(s.sent_at, start) and (campaigns is None or s.campaign_id in campaigns)
        }

    def tally(self, orders: Iterable[Order]) -> tuple[Counter[str], defaultdict[str, Decimal]]:
        """Per user: how many of the orders, and their amount sum."""
        counts: Counter[str] = Counter()
        sums: defaultdict[str, Decimal] = defaultdict(Decimal)
        for o in orders:
            counts[o.user_id] += 1
            sums[o.user_id] += o.amount
        return counts, sums

    def portrait(self, users: Iterable[str], column: str) -> dict[str, int]:
        """Counts of ``users`` by one profile attribute, unknown included."""
        return dict(Counter(profile_value(self.facts.profiles[u][column]) for u in users))


def money(value: float | int | None) -> Decimal | None:
    """A money input by its shortest decimal form, as the API reads it."""
    return None if value is None else Decimal(str(value))


def bounded(value: int | Decimal, low: int | Decimal | None, high: int | Decimal | None) -> bool:
    """Within both bounds, each included; a missing bound does not bind."""
    return (low is None or value >= low) and (high is None or value <= high)

"""Every metric of SPEC §3, computed in plain Python from the rows of the fact tables.

Written from the specification's text alone, never from the engine, so that a test can
set the two side by side. Readings where the text leaves room (each also stated where
it is used):

- Stints are half-open: a stint covers an instant t when ``joined_at <= t`` and
  (``left_at`` is null or ``t < left_at``). §2's point-in-time rule (``joined_at < E``
  and ``left_at`` null or ``>= E``) is exactly "covers the instant just before E".
- "The N days ending at E" is ``[E − N days, E)``; the business zone has no daylight
  saving, so N days are N × 24 hours.
- Activity and "order at the shop" look at every fact of the shop, whatever the slice;
  a slice restricts only the facts the metric counts (§4).
- A campaign without a cost costs 0.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
ACTIVITY_EVENTS = frozenset(
    {"shop_visit", "live_watch", "video_watch", "benefit_claim", "points_interaction"}
)
Value = int | Decimal | Fraction | None
Slice = tuple[str, str] | None  # (dimension, code): JOIN_CHANNEL or CARRIER


@dataclass(frozen=True)
class Stint:
    user: str
    start: datetime
    end: datetime | None
    channel: str = ""

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant and (self.end is None or instant < self.end)


@dataclass(frozen=True)
class Order:
    user: str
    amount: Decimal
    refund: Decimal
    paid_at: datetime
    carrier: str
    benefit_id: str | None


@dataclass(frozen=True)
class Event:
    user: str
    type: str
    at: datetime
    carrier: str | None


@dataclass
class ShopFacts:
    """One shop's facts, with per-user time lists for window look-ups."""

    shop_id: str
    industry: str
    tier: int
    members: list[Stint] = field(default_factory=list)
    fans: list[Stint] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    benefits: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    campaigns: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    sends: list[tuple[str, str, datetime]] = field(default_factory=list)  # campaign, user, at
    order_times: dict[str, list[datetime]] = field(default_factory=dict)
    event_activity_times: dict[str, list[datetime]] = field(default_factory=dict)
    activity_times: dict[str, list[datetime]] = field(default_factory=dict)
    member_stints: dict[str, list[Stint]] = field(default_factory=dict)
    fan_stints: dict[str, list[Stint]] = field(default_factory=dict)

    def index(self) -> None:
        orders: defaultdict[str, list[datetime]] = defaultdict(list)
        events: defaultdict[str, list[datetime]] = defaultdict(list)
        for order in self.orders:
            orders[order.user].append(order.paid_at)
        for event in self.events:
            if event.type in ACTIVITY_EVENTS:
                events[event.user].append(event.at)
        self.order_times = {user: sorted(times) for user, times in orders.items()}
        self.event_activity_times = {user: sorted(times) for user, times in events.items()}
        self.activity_times = {
            user: sorted(orders.get(user, []) + events.get(user, []))
            for user in orders.keys() | events.keys()
        }
        self.member_stints = _by_user(self.members)
        self.fan_stints = _by_user(self.fans)


def _by_user(stints: Iterable[Stint]) -> dict[str, list[Stint]]:
    grouped: defaultdict[str, list[Stint]] = defaultdict(list)
    for stint in stints:
        grouped[stint.user].append(stint)
    return dict(grouped)


def any_in(times: list[datetime] | None, low: datetime, high: datetime) -> bool:
    """Whether a sorted list holds an instant in ``[low, high)``."""
    if not times:
        return False
    at = bisect_left(times, low)
    return at < len(times) and times[at] < high


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """``[first 00:00, last+1 00:00)`` in the business zone."""
    return (
        datetime.combine(first, time(), ZONE),
        datetime.combine(last + timedelta(days=1), time(), ZONE),
    )


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Fraction | None:
    """A quotient, null on a zero denominator (§2)."""
    if denominator == 0:
        return None
    return Fraction(numerator) / Fraction(denominator)


def _buyer_stats(orders: list[Order]) -> tuple[Decimal, int, int]:
    """Amount sum, distinct buyers, buyers with at least two of these orders."""
    per_buyer = Counter(order.user for order in orders)
    repeat = sum(1 for count in per_buyer.values() if count >= 2)
    return sum((order.amount for order in orders), Decimal(0)), len(per_buyer), repeat


def compute_metrics(
    facts: ShopFacts, first: date, last: date, where: Slice = None
) -> dict[str, Value]:
    """Every metric (upper-case id → value) of one shop over ``[first, last]``.

    On a slice, the metrics that slice does not support are left out.
    """
    start, end = bounds(first, last)
    dimension, code = where if where else ("", "")
    stints = [s for s in facts.members if dimension != "JOIN_CHANNEL" or s.channel == code]

    def in_period(instant: datetime) -> bool:
        return start <= instant < end

    def covered(stints_of: dict[str, list[Stint]], user: str, instant: datetime) -> bool:
        return any(stint.covers(instant) for stint in stints_of.get(user, ()))

    # Point in time (§2): joined_at < E and (left_at null or left_at >= E).
    members = {s.user for s in stints if s.start < end and (s.end is None or s.end >= end)}

    out: dict[str, Value] = {}
    # Member scale.
    new = {s.user for s in stints if in_period(s.start)}
    left = {s.user for s in stints if s.end is not None and in_period(s.end)}
    out |= {
        "MEMBER_COUNT": len(members),
        "NEW_MEMBERS": len(new),
        "LEFT_MEMBERS": len(left),
        "NET_NEW_MEMBERS": len(new) - len(left),
    }

    # Activity: events of the activity types or orders, all of the shop's.
    def active(user: str, low: datetime) -> bool:
        return any_in(facts.activity_times.get(user), low, end)

    active_members = sum(1 for user in members if active(user, start))
    monthly = sum(1 for user in members if active(user, end - timedelta(days=30)))
    out |= {
        "ACTIVE_MEMBERS": active_members,
        "ACTIVE_MEMBER_RATE": ratio(active_members, len(members)),
        "MONTHLY_ACTIVE_RATE": ratio(monthly, len(members)),
    }

    # Relationship quality, at E.
    quality = {
        user
        for user in members
        if any_in(facts.order_times.get(user), end - timedelta(days=365), end)
    }
    potential = {
        user
        for user in members - quality
        if any_in(facts.event_activity_times.get(user), end - timedelta(days=90), end)
    }
    out |= {
        "QUALITY_MEMBERS": len(quality),
        "POTENTIAL_MEMBERS": len(potential),
        "EFFECTIVE_MEMBERS": len(quality) + len(potential),
        "QUALITY_SHARE": ratio(len(quality), len(quality) + len(potential)),
    }
    if dimension == "JOIN_CHANNEL":
        return out

    # Orders in P, of the slice. A member (fan) order: a stint covering paid_at.
    orders = [
        o
        for o in facts.orders
        if in_period(o.paid_at) and (dimension != "CARRIER" or o.carrier == code)
    ]
    member_orders = [o for o in orders if covered(facts.member_stints, o.user, o.paid_at)]
    gmv, buyers, repeat = _buyer_stats(orders)
    member_gmv, member_buyers, member_repeat = _buyer_stats(member_orders)
    refunds = sum((o.refund for o in orders), Decimal(0))
    benefit_users = len({o.user for o in member_orders if o.benefit_id is not None})
    fan_gmv = sum(
        (o.amount for o in orders if covered(facts.fan_stints, o.user, o.paid_at)), Decimal(0)
    )
    card_orders = [o for o in orders if o.carrier == "product_card"]
    card_gmv, card_buyers, _ = _buyer_stats(card_orders)
    bought_before = {o.user for o in facts.orders if o.paid_at < start}
    buyer_set = {o.user for o in orders}
    out |= {
        "GMV": gmv,
        "NET_GMV": gmv - refunds,
        "REFUND_RATE": ratio(refunds, gmv),
        "ORDERS": len(orders),
        "BUYERS": buyers,
        "AOV": ratio(gmv, buyers),
        "REPURCHASE_RATE": ratio(repeat, buyers),
        "MEMBER_GMV": member_gmv,
        "MEMBER_GMV_SHARE": ratio(member_gmv, gmv),
        "MEMBER_ORDERS": len(member_orders),
        "MEMBER_BUYERS": member_buyers,
        "MEMBER_BUYER_SHARE": ratio(member_buyers, buyers),
        "MEMBER_AOV": ratio(member_gmv, member_buyers),
        "MEMBER_REPURCHASE_RATE": ratio(member_repeat, member_buyers),
        "BENEFIT_USERS": benefit_users,
        "BENEFIT_PENETRATION": ratio(benefit_users, member_buyers),
        "FIRST_ORDER_USERS": len(buyer_set - bought_before),
        "REPEAT_USERS": len(buyer_set & bought_before),
        "FAN_GMV_SHARE": ratio(fan_gmv, gmv),
        "CARD_GMV": card_gmv,
        "CARD_BUYERS": card_buyers,
    }
    if dimension == "CARRIER":
        return out

    out |= _event_metrics(facts, start, end, orders, bought_before)
    out |= _outreach_metrics(facts, start, end)
    out["BENEFIT_ONLINE_DAYS"] = benefit_online_days(facts, first, last)
    # Card metrics that mix events and orders.
    clickers = {
        e.user
        for e in facts.events
        if e.type == "product_click" and e.carrier == "product_card" and in_period(e.at)
    }
    out |= {
        "CARD_CONVERSION_RATE": ratio(card_buyers, len(clickers)),
        "CARD_UV_VALUE": ratio(card_gmv, len(clickers)),
    }
    return out


def _event_metrics(
    facts: ShopFacts,
    start: datetime,
    end: datetime,
    orders: list[Order],
    bought_before: set[str],
) -> dict[str, Value]:
    events = [e for e in facts.events if start <= e.at < end]
    buyers = {o.user for o in orders}

    def users(test: Callable[[Event], bool]) -> set[str]:
        return {e.user for e in events if test(e)}

    claims = [e for e in events if e.type == "benefit_claim"]
    audience = users(lambda e: e.type in ("live_watch", "video_watch", "product_click"))
    carts = users(lambda e: e.type == "add_to_cart")
    clicks = Counter(e.user for e in events if e.type == "product_click")
    high_potential = {
        user
        for user in audience - buyers
        if user in carts or clicks[user] >= 2  # any carrier's clicks
    }
    card = [e for e in events if e.carrier == "product_card"]
    impressions = {e.user for e in card if e.type == "product_impression"}
    card_clicks = [e for e in card if e.type == "product_click"]
    clickers = {e.user for e in card_clicks}
    return {
        "BENEFIT_CLAIMS": len(claims),
        "BENEFIT_CLAIMERS": len({e.user for e in claims}),
        "AUDIENCE_USERS": len(audience),
        "HIGH_POTENTIAL_USERS": len(high_potential),
        "CARD_IMPRESSION_USERS": len(impressions),
        "CARD_CLICK_USERS": len(clickers),
        "CARD_CLICKS": len(card_clicks),
        "CARD_CTR": ratio(len(clickers), len(impressions)),
        "CARD_CLICKS_PER_USER": ratio(len(card_clicks), len(clickers)),
        "CARD_NEW_CLICK_SHARE": ratio(len(clickers - bought_before), len(clickers)),
        # Lost: clicked a card, no order at the shop in P (the unsliced orders).
        "LOST_USERS": len(clickers - buyers),
    }


def _outreach_metrics(facts: ShopFacts, start: datetime, end: datetime) -> dict[str, Value]:
    first_send: dict[str, datetime] = {}
    campaigns: set[str] = set()
    for campaign, user, at in facts.sends:
        if start <= at < end:
            campaigns.add(campaign)
            first_send[user] = min(at, first_send.get(user, at))
    visited = converted = 0
    reach_gmv = Decimal(0)
    for user, at in first_send.items():
        visited += any_in(facts.activity_times.get(user), at, at + timedelta(hours=24))
        window = [
            o for o in facts.orders if o.user == user and at <= o.paid_at < at + timedelta(days=7)
        ]
        converted += bool(window)
        reach_gmv += sum((o.amount for o in window), Decimal(0))
    cost = sum((facts.campaigns[c][1] for c in campaigns), Decimal(0))
    return {
        "REACHED_USERS": len(first_send),
        "REACH_VISIT_RATE": ratio(visited, len(first_send)),
        "REACH_CONVERSION_RATE": ratio(converted, len(first_send)),
        "REACH_GMV": reach_gmv,
        "REACH_ROI": ratio(reach_gmv, cost),
    }


def benefit_online_days(facts: ShopFacts, first: date, last: date) -> int:
    """Days of P that some ``[online_from, online_to)`` overlaps (an empty one overlaps none)."""
    days = 0
    day = first
    while day <= last:
        low, high = bounds(day, day)
        if any(
            since < high and (until is None or (until > low and until > since))
            for since, until in facts.benefits
        ):
            days += 1
        day += timedelta(days=1)
    return days


SHOPS_SQL = "SELECT shop_id, industry, tier FROM shops"
MEMBERS_SQL = "SELECT shop_id, user_id, joined_at, left_at, join_channel FROM members"
FANS_SQL = "SELECT shop_id, user_id, followed_at, unfollowed_at FROM fans"
ORDERS_SQL = """
SELECT shop_id, user_id, amount, coalesce(refund_amount, 0) AS refund, paid_at, carrier,
    benefit_id
FROM orders
"""
EVENTS_SQL = "SELECT shop_id, user_id, type, occurred_at, carrier FROM events"
BENEFITS_SQL = "SELECT shop_id, online_from, online_to FROM benefits"
CAMPAIGNS_SQL = "SELECT shop_id, campaign_id, channel, coalesce(cost, 0) AS cost FROM campaigns"
REACH_SQL = """
SELECT c.shop_id, r.campaign_id, r.user_id, r.sent_at
FROM reach AS r
JOIN campaigns AS c ON c.campaign_id = r.campaign_id
"""


async def read_facts(pool: Any) -> dict[str, ShopFacts]:
    """Every shop's facts, read back from the database tables."""
    shops = {
        row["shop_id"]: ShopFacts(row["shop_id"], row["industry"], row["tier"])
        for row in await pool.fetch(SHOPS_SQL)
    }
    for row in await pool.fetch(MEMBERS_SQL):
        stint = Stint(row["user_id"], row["joined_at"], row["left_at"], row["join_channel"])
        shops[row["shop_id"]].members.append(stint)
    for row in await pool.fetch(FANS_SQL):
        stint = Stint(row["user_id"], row["followed_at"], row["unfollowed_at"])
        shops[row["shop_id"]].fans.append(stint)
    for row in await pool.fetch(ORDERS_SQL):
        shops[row["shop_id"]].orders.append(
            Order(
                row["user_id"],
                row["amount"],
                row["refund"],
                row["paid_at"],
                row["carrier"],
                row["benefit_id"],
            )
        )
    for row in await pool.fetch(EVENTS_SQL):
        event = Event(row["user_id"], row["type"], row["occurred_at"], row["carrier"])
        shops[row["shop_id"]].events.append(event)
    for row in await pool.fetch(BENEFITS_SQL):
        shops[row["shop_id"]].benefits.append((row["online_from"], row["online_to"]))
    for row in await pool.fetch(CAMPAIGNS_SQL):
        shops[row["shop_id"]].campaigns[row["campaign_id"]] = (row["channel"], row["cost"])
    for row in await pool.fetch(REACH_SQL):
        send = (row["campaign_id"], row["user_id"], row["sent_at"])
        shops[row["shop_id"]].sends.append(send)
    for facts in shops.values():
        facts.index()
    return shops

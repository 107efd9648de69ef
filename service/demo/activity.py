"""One shop's life over the window: sessions, joins, follows, orders, events and outreach.

Everything happens in time order off one queue, so a user's state (member, fan) at any
moment is known when their next session is played out, and follow-up visits and orders
that a message causes are queued like any other session.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

from service.demo.catalog import Benefit, Catalog, Product, money
from service.demo.outreach import (
    ORDER_LIFT,
    SEND_SPREAD,
    VISIT_LIFT,
    CampaignPlan,
    cost_fen,
)
from service.demo.people import Pool, Users
from service.demo.purchases import Sale, order_row
from service.demo.seasons import DAY, HOUR, Window, poisson, promotion_lift, time_of_day
from service.demo.shops import ShopProfile
from service.demo.stints import Stints, join_channel
from service.demo.writer import Sink
from vocabulary import CARRIERS, ENTRIES, JOIN_CHANNELS

ORGANIC, REACH_VISIT, REACH_ORDER, SEND = 0, 1, 2, 3

# search, shop_page, feed, showcase, cart, other
ENTRY_CUMULATIVE: Final = tuple(accumulate((32, 14, 28, 10, 8, 8)))
JOIN_WEIGHTS: Final = (30, 18, 16, 12, 10, 6, 4, 4)  # JOIN_CHANNELS of joins before the window
CONVERSION: Final = {"live": 0.34, "short_video": 0.25, "product_card": 0.3}
VISIT_CHANCE: Final = 0.3  # sessions through the shop's home page
WATCH_CHANCE: Final = 0.7  # live and video sessions that record a watch
CREATOR_SHARE: Final = 0.3  # live and video sessions hosted by a creator
MEMBER_CONVERSION: Final = 1.6
JOIN_CHANCE: Final = 0.03  # per session of a non-member
JOIN_AFTER_ORDER: Final = 0.12
FOLLOW_CHANCE: Final = {"live": 0.05, "short_video": 0.04, "product_card": 0.02}
LEAVE_CHANCE: Final = 0.18
UNFOLLOW_CHANCE: Final = 0.22


@dataclass(frozen=True)
class ShopSetup:
    """Everything fixed about a shop before its activity is played out."""

    shop: ShopProfile
    pool: Pool
    catalog: Catalog
    benefits: list[Benefit]
    creators: list[str]
    campaigns: list[CampaignPlan]


class ShopActivity:
    """Plays out one shop's window and writes its members, fans, orders, events and reach."""

    def __init__(
        self, setup: ShopSetup, *, users: Users, window: Window, sink: Sink, seed: int
    ) -> None:
        self.setup = setup
        self.shop = setup.shop
        self.users = users
        self.window = window
        self.sink = sink
        self.rng = random.Random(f"memberlens-demo:{seed}:{self.shop.shop_id}:activity")
        self.members = Stints()
        self.fans = Stints()
        self.queue: list[tuple[int, int, int, int]] = []
        self.sequence = 0
        self.orders = 0
        self.events = 0
        self.lifts = [promotion_lift(day) for day in window.dates]
        self.carrier_cumulative = tuple(accumulate(self.shop.carrier_mix))

    def run(self) -> None:
        """Write the shop's rows, from the stints in force before the window to its end."""
        self._seed_stints()
        rng, shop, window = self.rng, self.shop, self.window
        by_day: dict[int, list[int]] = {}
        for index, plan in enumerate(self.setup.campaigns):
            by_day.setdefault(plan.send // DAY, []).append(index)
        last = window.days - 1
        for day in range(window.days):
            trend = (1.0 + shop.growth) ** ((day - last) / 365)
            mean = shop.sessions * window.day_factor(day) * trend * rng.lognormvariate(0, 0.12)
            count = poisson(rng, mean)
            start = day * DAY
            for user in rng.choices(
                self.setup.pool.users, cum_weights=self.setup.pool.cumulative, k=count
            ):
                self._push(start + time_of_day(rng), ORGANIC, user)
            for index in by_day.get(day, ()):
                self._push(self.setup.campaigns[index].send, SEND, index)
            while self.queue and self.queue[0][0] < start + DAY:
                second, _, kind, subject = heapq.heappop(self.queue)
                if kind == SEND:
                    self._send(second, self.setup.campaigns[subject])
                else:
                    self._session(second, subject, kind)

    def _push(self, second: int, kind: int, subject: int) -> None:
        if second < self.window.stop:
            self.sequence += 1
            heapq.heappush(self.queue, (second, self.sequence, kind, subject))

    def _seed_stints(self) -> None:
        """Members and fans who joined before the window; some left before or during it."""
        rng, pool = self.rng, self.setup.pool
        earliest = max(self.shop.opened_day, -720) * DAY
        for book, share, leave in ((self.members, 0.08, LEAVE_CHANCE), (self.fans, 0.12, 0.25)):
            wanted = round(len(pool.users) * share)
            picked = dict.fromkeys(rng.choices(pool.users, cum_weights=pool.cumulative, k=wanted))
            for user in picked:
                joined = rng.randrange(earliest, -DAY)
                until = None
                if rng.random() < leave:
                    until = joined + HOUR + int(rng.expovariate(1 / (200 * DAY)))
                channel = rng.choices(JOIN_CHANNELS, weights=JOIN_WEIGHTS)[0]
                self._start(book, user, joined, until, channel)

    def _start(self, book: Stints, user: int, second: int, until: int | None, channel: str) -> None:
        if until is not None and until >= self.window.stop:
            until = None
        book.start(user, second, until)
        window, user_id = self.window, self.users.user_id(user)
        ended = "" if until is None else window.text(until)
        if book is self.members:
            self.sink.write(
                "members", [self.shop.shop_id, user_id, window.text(second), channel, ended]
            )
        else:
            self.sink.write("fans", [self.shop.shop_id, user_id, window.text(second), ended])

    def _event(
        self,
        second: int,
        user_id: str,
        kind: str,
        product: Product | None = None,
        carrier: str = "",
        entry: str = "",
        benefit_id: str = "",
    ) -> None:
        if second >= self.window.stop:
            return
        self.events += 1
        self.sink.write(
            "events",
            [
                f"{self.shop.shop_id}-e{self.events:07d}",
                self.shop.shop_id,
                user_id,
                kind,
                self.window.text(second),
                "" if product is None else product.product_id,
                carrier,
                entry,
                benefit_id,
            ],
        )

    def _session(self, second: int, user: int, source: int) -> None:
        """One visit: browsing, maybe a click, a cart, an order, a join or a follow."""
        rng, shop, setup = self.rng, self.shop, self.setup
        user_id = self.users.user_id(user)
        member = self.members.holds(user, second)
        lift = self.lifts[second // DAY]
        carrier = rng.choices(CARRIERS, cum_weights=self.carrier_cumulative)[0]
        entry = ""
        if carrier == "product_card":
            entry = rng.choices(ENTRIES, cum_weights=ENTRY_CUMULATIVE)[0]
        creator = ""
        if (carrier != "product_card" and rng.random() < CREATOR_SHARE) or entry == "showcase":
            creator = rng.choice(setup.creators)
        now = second
        if source != ORGANIC or rng.random() < VISIT_CHANCE:
            self._event(now, user_id, "shop_visit")
        if carrier != "product_card" and rng.random() < WATCH_CHANCE:
            now += rng.randrange(5, 60)
            self._event(now, user_id, "live_watch" if carrier == "live" else "video_watch")
        seen = [setup.catalog.pick(rng, now) for _ in range(1 + (rng.random() < 0.4))]
        for product in seen:
            now += rng.randrange(5, 120)
            self._event(now, user_id, "product_impression", product, carrier, entry)
        clicks = 0.22 + 0.1 * member + (0.25 if source == REACH_VISIT else 0.0)
        ordered = False
        if source == REACH_ORDER or rng.random() < clicks:
            product = seen[0]
            now += rng.randrange(5, 90)
            self._event(now, user_id, "product_click", product, carrier, entry)
            if len(seen) > 1 and rng.random() < 0.3:
                now += rng.randrange(5, 90)
                self._event(now, user_id, "product_click", seen[1], carrier, entry)
            if rng.random() < 0.3:
                now += rng.randrange(10, 300)
                self._event(now, user_id, "add_to_cart", product, carrier)
            chance = CONVERSION[carrier] * (1.0 + 0.12 * (lift - 1.0))
            chance *= MEMBER_CONVERSION if member else 1.0
            if source == REACH_ORDER or rng.random() < chance:
                now += rng.randrange(30, 900)
                sale = Sale(
                    user_id, product, carrier, entry, creator, member, lift, shop.paid_share
                )
                ordered = self._order(now, sale)
        if member:
            self._member_events(now, user_id)
        self._maybe_join(now, user, carrier, entry, creator, source, ordered)

    def _order(self, second: int, sale: Sale) -> bool:
        if second >= self.window.stop:
            return False
        self.orders += 1
        row = order_row(
            self.rng,
            order_id=f"{self.shop.shop_id}-o{self.orders:06d}",
            shop_id=self.shop.shop_id,
            sale=sale,
            second=second,
            benefits=self.setup.benefits,
            window=self.window,
        )
        self.sink.write("orders", row)
        return True

    def _member_events(self, second: int, user_id: str) -> None:
        rng = self.rng
        if rng.random() < 0.07:
            self._event(second + rng.randrange(5, 120), user_id, "points_interaction")
        if rng.random() < 0.09:
            online = [b for b in self.setup.benefits if b.online(second)]
            if online:
                claimed = rng.choice(online).benefit_id
                self._event(
                    second + rng.randrange(5, 120), user_id, "benefit_claim", benefit_id=claimed
                )

    def _maybe_join(
        self,
        second: int,
        user: int,
        carrier: str,
        entry: str,
        creator: str,
        source: int,
        ordered: bool,
    ) -> None:
        rng = self.rng
        joined_at = second + rng.randrange(5, 300)
        if self.members.may_start(user, joined_at) and rng.random() < (
            JOIN_AFTER_ORDER if ordered else JOIN_CHANCE
        ):
            channel = join_channel(
                rng, carrier, entry, creator, outreach=source != ORGANIC, ordered=ordered
            )
            until = None
            if rng.random() < LEAVE_CHANCE:
                until = joined_at + HOUR + int(rng.expovariate(1 / (150 * DAY)))
            self._start(self.members, user, joined_at, until, channel)
        followed_at = second + rng.randrange(5, 300)
        if self.fans.may_start(user, followed_at) and rng.random() < FOLLOW_CHANCE[carrier]:
            until = None
            if rng.random() < UNFOLLOW_CHANCE:
                until = followed_at + HOUR + int(rng.expovariate(1 / (90 * DAY)))
            self._start(self.fans, user, followed_at, until, "")

    def _send(self, second: int, plan: CampaignPlan) -> None:
        """Send one campaign to a share of current members (and fans, for private messages)."""
        rng = self.rng
        audience = self.members.current(second)
        if plan.channel == "private_message":
            audience = list(dict.fromkeys(audience + self.fans.current(second)))
        sends = 0
        for user in rng.sample(audience, round(len(audience) * plan.share)):
            sent = second + rng.randrange(SEND_SPREAD)
            if sent >= self.window.stop:
                continue
            sends += 1
            self.sink.write(
                "reach", [plan.campaign_id, self.users.user_id(user), self.window.text(sent)]
            )
            if rng.random() < VISIT_LIFT:
                delay = int(rng.expovariate(1 / (3 * HOUR)))
                self._push(sent + (delay if delay < DAY else rng.randrange(DAY)), REACH_VISIT, user)
            if rng.random() < ORDER_LIFT:
                self._push(sent + rng.randrange(10 * 60, 7 * DAY), REACH_ORDER, user)
        cost = money(cost_fen(plan.channel, sends))
        self.sink.write(
            "campaigns", [plan.campaign_id, self.shop.shop_id, plan.channel, plan.name, cost]
        )

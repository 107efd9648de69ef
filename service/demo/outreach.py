"""Outreach campaigns (触达): when each shop sends, on which channel, and what it costs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from service.demo.seasons import DAY, HOUR, Window, promotions
from service.demo.shops import ShopProfile
from vocabulary import CHANNEL_LABELS, REACH_CHANNELS

CHANNEL_WEIGHTS: Final = (35, 15, 25, 25)  # sms, super_sms, private_message, push
# Per message in tenths of a fen, and a fixed fee in fen, by channel.
COSTS: Final = {
    "sms": (45, 0),
    "super_sms": (150, 2_000),
    "private_message": (5, 5_000),
    "push": (2, 3_000),
}
SEND_HOURS: Final = (10, 12, 19, 20)
SEND_SPREAD: Final = 30 * 60  # a batch goes out over half an hour

# After a message: chance of a visit within 24 hours, and of an order within 7 days.
VISIT_LIFT: Final = 0.2
ORDER_LIFT: Final = 0.05


@dataclass(frozen=True)
class CampaignPlan:
    """A campaign: one batch of messages at ``send`` to ``share`` of the audience."""

    campaign_id: str
    channel: str
    name: str
    send: int
    share: float


def cost_fen(channel: str, sends: int) -> int:
    """What a campaign of ``sends`` messages on ``channel`` costs, in fen."""
    per_message, fee = COSTS[channel]
    return fee + (per_message * sends + 5) // 10


def plan_campaigns(rng: random.Random, shop: ShopProfile, window: Window) -> list[CampaignPlan]:
    """The shop's campaigns in send order: routine member days plus promotion warm-ups."""
    sends: list[tuple[int, str]] = []
    gap = max(7, 24 - 2 * shop.tier)
    day = rng.randrange(gap)
    while day < window.days:
        sends.append((day * DAY, f"{window.dates[day].month}月会员日"))
        day += gap + rng.randrange(-3, 4)
    for promotion in promotions(window):
        peak = promotion.stop - DAY
        label = f"{promotion.year}{promotion.name}"
        sends.append((peak - 3 * DAY, f"{label}预热"))
        sends.append((peak, f"{label}当天提醒"))
    sends = sorted(
        (start + rng.choice(SEND_HOURS) * HOUR, name)
        for start, name in sends
        if 0 <= start < window.stop
    )
    plans: list[CampaignPlan] = []
    for send, name in sends:
        channel = rng.choices(REACH_CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        plans.append(
            CampaignPlan(
                campaign_id=f"{shop.shop_id}-c{len(plans) + 1:03d}",
                channel=channel,
                name=f"{name}{CHANNEL_LABELS['REACH_CHANNEL'][channel][0]}",
                send=send,
                share=rng.uniform(0.08, 0.3),
            )
        )
    return plans

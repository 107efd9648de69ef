"""Orders: quantity, price after promotion and member benefits, traffic type and refunds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from service.demo.catalog import Benefit, Product, money
from service.demo.seasons import DAY, HOUR, Window

QUANTITY_WEIGHTS: Final = (80, 14, 6)  # 1, 2 or 3 pieces
BENEFIT_USE: Final = 0.35  # member orders that use a benefit, when one is online
# Benefits that can ride on an order; points exchange and claims happen elsewhere.
ORDER_BENEFITS: Final = frozenset(
    {
        "new_member_gift",
        "member_coupon",
        "member_discount",
        "member_gift_with_purchase",
        "priority_purchase",
        "member_price",
    }
)
REFUND_CHANCE: Final = 0.04
PROMOTION_REFUND_CHANCE: Final = 0.07  # impulse buys during promotions come back more
FULL_REFUND_SHARE: Final = 0.65


@dataclass(frozen=True)
class Sale:
    """Where an order came from."""

    user_id: str
    product: Product
    carrier: str
    entry: str
    creator_id: str
    member: bool
    lift: float  # promotion lift of the day
    paid_share: float


def _benefit(rng: random.Random, benefits: list[Benefit], second: int) -> Benefit | None:
    online = [b for b in benefits if b.kind in ORDER_BENEFITS and b.online(second)]
    return rng.choice(online) if online else None


def _price(rng: random.Random, fen: int, lift: float, benefit: Benefit | None) -> int:
    if lift > 1.0:
        fen = fen * (100 - rng.randint(5, 15)) // 100
    if benefit is None:
        return fen
    if benefit.kind == "member_coupon":
        return max(1, fen - min(fen // 10, rng.choice((1_000, 2_000, 3_000))))
    if benefit.kind in ("member_price", "member_discount"):
        return fen * (90 if benefit.kind == "member_price" else 95) // 100
    return fen


def order_row(
    rng: random.Random,
    *,
    order_id: str,
    shop_id: str,
    sale: Sale,
    second: int,
    benefits: list[Benefit],
    window: Window,
) -> list[str]:
    """orders.csv row of one order paid at ``second``."""
    quantity = rng.choices((1, 2, 3), weights=QUANTITY_WEIGHTS)[0]
    benefit = (
        _benefit(rng, benefits, second) if sale.member and rng.random() < BENEFIT_USE else None
    )
    amount = _price(rng, sale.product.price * quantity, sale.lift, benefit)
    paid = sale.paid_share * (1.0 + 0.15 * (sale.lift - 1.0))
    refund_amount = refunded_at = ""
    chance = PROMOTION_REFUND_CHANCE if sale.lift > 1.0 else REFUND_CHANCE
    if rng.random() < chance:
        when = second + rng.randrange(2 * HOUR, 15 * DAY)
        if when < window.stop:
            if quantity > 1 and rng.random() > FULL_REFUND_SHARE:
                refund = amount * rng.randrange(1, quantity) // quantity
            elif rng.random() < FULL_REFUND_SHARE:
                refund = amount
            else:
                refund = amount * rng.randint(10, 60) // 100
            refund_amount, refunded_at = money(max(refund, 1)), window.text(when)
    return [
        order_id,
        shop_id,
        sale.user_id,
        sale.product.product_id,
        str(quantity),
        money(amount),
        window.text(second),
        sale.carrier,
        "paid" if rng.random() < paid else "organic",
        sale.entry,
        sale.creator_id,
        "" if benefit is None else benefit.benefit_id,
        refund_amount,
        refunded_at,
    ]

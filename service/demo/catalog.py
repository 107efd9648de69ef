"""What a demo shop offers: products, member benefits, and the creators who sell for it."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

from service.demo.seasons import DAY, Window, promotions
from service.demo.shops import ShopProfile

# (category, lowest price, highest price) in yuan, by industry.
CATEGORIES: Final = {
    "apparel": (
        ("连衣裙", 129, 399), ("T恤", 49, 159), ("牛仔裤", 99, 299), ("外套", 199, 899),
        ("卫衣", 89, 299), ("衬衫", 89, 259), ("半身裙", 79, 229),
    ),
    "beauty": (
        ("面霜", 129, 599), ("精华", 199, 899), ("口红", 89, 329), ("面膜", 49, 199),
        ("洁面", 39, 129), ("防晒", 69, 229), ("粉底液", 129, 459),
    ),
    "food": (
        ("坚果", 29, 99), ("零食礼盒", 59, 199), ("茶叶", 69, 399), ("咖啡", 39, 159),
        ("牛奶", 39, 89), ("速食", 19, 69), ("水果", 29, 129),
    ),
    "pets": (
        ("猫粮", 59, 329), ("狗粮", 69, 399), ("猫砂", 29, 99), ("宠物零食", 19, 89),
        ("宠物玩具", 15, 79), ("驱虫药", 49, 199),
    ),
}  # fmt: skip
ADJECTIVES: Final = (
    "经典", "轻盈", "新款", "柔软", "臻选", "自然", "明星同款", "限定", "清新", "高端", "家庭装",
)  # fmt: skip
_CREATOR_HEADS: Final = ("小", "阿", "大", "老", "")
_CREATOR_NAMES: Final = (
    "鹿", "杰", "橙", "柚", "宁", "鱼", "琪", "乐", "米", "安", "桃", "月", "辰", "朵",
)  # fmt: skip
_CREATOR_TAILS: Final = ("酱", "姐", "哥", "同学", "的日常", "好物分享", "说穿搭", "爱测评")

# Benefit kinds a shop may run besides the two every shop has, with display names.
BENEFIT_NAMES: Final = {
    "new_member_gift": "入会礼",
    "points_exchange": "积分兑换",
    "member_coupon": "会员专享券",
    "priority_purchase": "会员优先购",
    "member_discount": "会员95折",
    "member_gift_with_purchase": "会员满赠",
    "member_price": "会员价专区",
}


@dataclass(frozen=True)
class Product:
    """A product: its id, price in fen and the second it was listed."""

    product_id: str
    price: int
    listed: int


@dataclass(frozen=True)
class Catalog:
    """A shop's products, the first always listed before the window, by popularity."""

    products: list[Product]
    cumulative: list[float]

    def pick(self, rng: random.Random, second: int) -> Product:
        """A product on sale at ``second``, the popular ones more often."""
        index = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        product = self.products[min(index, len(self.products) - 1)]
        return product if product.listed <= second else self.products[0]


@dataclass(frozen=True)
class Benefit:
    """A member benefit, online during ``[start, stop)``; ``stop`` None: still online."""

    benefit_id: str
    kind: str
    start: int
    stop: int | None

    def online(self, second: int) -> bool:
        """Whether the benefit is online at ``second``."""
        return self.start <= second and (self.stop is None or second < self.stop)


def money(fen: int) -> str:
    """Fen as yuan with exactly two decimals."""
    return f"{fen // 100}.{fen % 100:02d}"


def make_creators(count: int, seed: int) -> list[list[str]]:
    """creators.csv rows: ``count`` creators shared by every shop."""
    rng = random.Random(f"memberlens-demo:{seed}:creators")
    rows: list[list[str]] = []
    for index in range(count):
        name = rng.choice(_CREATOR_HEADS) + rng.choice(_CREATOR_NAMES) + rng.choice(_CREATOR_TAILS)
        rows.append([f"cr{index + 1:03d}", name])
    return rows


def make_catalog(
    rng: random.Random, shop: ShopProfile, window: Window
) -> tuple[Catalog, list[list[str]]]:
    """A shop's catalog and its products.csv rows."""
    opened = shop.opened_day * DAY
    count = 10 + 3 * shop.tier + rng.randrange(6)
    products: list[Product] = []
    rows: list[list[str]] = []
    for index in range(count):
        category, low, high = rng.choice(CATEGORIES[shop.industry])
        price = rng.randint(low, high) * 100 - 10  # prices end in .90
        if index == 0:
            listed = opened + rng.randrange(30 * DAY)
        elif rng.random() < 0.8:
            listed = rng.randrange(opened, 0)
        else:
            listed = rng.randrange(0, window.stop)
        product_id = f"{shop.shop_id}-p{index + 1:03d}"
        name = f"{rng.choice(ADJECTIVES)}{category}"
        products.append(Product(product_id=product_id, price=price, listed=listed))
        rows.append(
            [
                product_id,
                shop.shop_id,
                f"{name} {index + 1}号",
                category,
                money(price),
                window.text(listed),
            ]
        )
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(count)]
    return Catalog(products=products, cumulative=list(accumulate(weights))), rows


def make_benefits(
    rng: random.Random, shop: ShopProfile, window: Window
) -> tuple[list[Benefit], list[list[str]]]:
    """A shop's member benefits and benefits.csv rows: some ended, some still online."""
    stop = window.stop
    opened = shop.opened_day * DAY
    plans: list[tuple[str, str, int, int | None]] = [
        ("new_member_gift", BENEFIT_NAMES["new_member_gift"], rng.randrange(opened, 0), None),
        ("points_exchange", BENEFIT_NAMES["points_exchange"], rng.randrange(opened, 0), None),
    ]
    for promotion in promotions(window):
        label = f"{promotion.year}{promotion.name}"
        plans.append(
            (
                "member_coupon",
                f"{label}{BENEFIT_NAMES['member_coupon']}",
                promotion.start - 2 * DAY,
                promotion.stop + DAY,
            )
        )
        if rng.random() < 0.6:
            plans.append(
                (
                    "priority_purchase",
                    f"{label}{BENEFIT_NAMES['priority_purchase']}",
                    promotion.start,
                    promotion.start + 7 * DAY,
                )
            )
    discount_from = rng.randrange(opened, 0)
    plans.append(
        (
            "member_discount",
            BENEFIT_NAMES["member_discount"],
            discount_from,
            rng.randrange(stop // 4, stop // 2 + 1),
        )
    )
    for _ in range(rng.randint(1, 3)):
        begin = rng.randrange(-30 * DAY, stop)
        plans.append(
            (
                "member_gift_with_purchase",
                BENEFIT_NAMES["member_gift_with_purchase"],
                begin,
                begin + rng.randint(14, 45) * DAY,
            )
        )
    if rng.random() < 0.7:
        plans.append(
            ("member_price", BENEFIT_NAMES["member_price"], rng.randrange(stop // 3, stop), None)
        )
    benefits: list[Benefit] = []
    rows: list[list[str]] = []
    for kind, name, begin, end in plans:
        if begin >= stop:
            continue
        ends = end if end is not None and end < stop else None
        benefit_id = f"{shop.shop_id}-b{len(benefits) + 1:02d}"
        begin += 10 * 3600 if begin % DAY == 0 else 0  # benefits go online at 10:00
        benefits.append(Benefit(benefit_id=benefit_id, kind=kind, start=begin, stop=ends))
        rows.append(
            [
                benefit_id,
                shop.shop_id,
                kind,
                name,
                window.text(begin),
                "" if ends is None else window.text(ends),
            ]
        )
    return benefits, rows


def shop_creators(rng: random.Random, creators: list[list[str]]) -> list[str]:
    """The creators who sell for one shop."""
    return rng.sample([row[0] for row in creators], min(len(creators), rng.randint(2, 5)))

"""The demo shops: industries, tiers, names and sizes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

DEFAULT_SHOPS: Final = 21

# (industry, tier) of shop 1, 2, 3, ...; any prefix is a varied mix. The full cycle holds
# peer groups of 7 (apparel 4) and 6 (beauty 3) shops, one of exactly 4 (pets 2, under
# the privacy floor of 5) and single shops covering the other tiers. Past the cycle the
# layout repeats, so the groups grow.
LAYOUT: Final = (
    ("apparel", 4),
    ("beauty", 3),
    ("pets", 2),
    ("food", 5),
    ("apparel", 4),
    ("beauty", 3),
    ("pets", 2),
    ("apparel", 7),
    ("apparel", 4),
    ("beauty", 3),
    ("food", 1),
    ("pets", 2),
    ("apparel", 4),
    ("beauty", 3),
    ("food", 6),
    ("pets", 2),
    ("apparel", 4),
    ("beauty", 3),
    ("apparel", 4),
    ("beauty", 3),
    ("apparel", 4),
)

BASE_SESSIONS: Final = 5.5  # visits a day of a tier-1 shop on an ordinary weekday
TIER_GROWTH: Final = 1.5  # each tier up is this much larger

# Share of sessions on each carrier: live, short_video, product_card.
CARRIER_MIX: Final = {
    "apparel": (0.45, 0.25, 0.30),
    "beauty": (0.45, 0.25, 0.30),
    "food": (0.25, 0.25, 0.50),
    "pets": (0.20, 0.30, 0.50),
}

_BRANDS: Final = (
    "栖木", "山茶", "青禾", "拾光", "木白", "南枝", "初晓", "云朵", "半夏", "知乎者",
    "北岸", "小满", "星野", "鹿角", "橘子", "蓝鲸", "森屿", "花信", "竹间", "暖阳",
    "晴川", "白露", "谷雨", "松果", "麦穗", "月见", "霜降", "听风", "海盐", "芒种",
)  # fmt: skip
_SUFFIXES: Final = {
    "apparel": ("服饰旗舰店", "女装", "男装专营店", "潮牌店"),
    "beauty": ("美妆旗舰店", "护肤", "彩妆官方店"),
    "food": ("食品旗舰店", "零食铺", "茶饮官方店", "生鲜"),
    "pets": ("宠物生活馆", "宠物用品旗舰店", "萌宠社"),
}


@dataclass(frozen=True)
class ShopProfile:
    """One demo shop and the knobs that shape its activity."""

    shop_id: str
    name: str
    industry: str
    tier: int
    opened_day: int  # days before the window's first day (negative)
    sessions: float  # mean daily sessions on an ordinary weekday at the window's end
    growth: float  # yearly growth of traffic over the window
    carrier_mix: tuple[float, float, float]
    paid_share: float  # share of paid traffic outside promotions


def shop_id(index: int, count: int) -> str:
    """The id of shop ``index`` (0-based) of ``count``: ``s01``, ``s02``, ..."""
    return f"s{index + 1:0{max(2, len(str(count)))}d}"


def _shop_name(rng: random.Random, industry: str, taken: set[str]) -> str:
    for _ in range(20):
        name = rng.choice(_BRANDS) + rng.choice(_SUFFIXES[industry])
        if name not in taken:
            return name
    return f"{name}{len(taken) + 1}号店"


def make_shops(count: int, seed: int) -> list[ShopProfile]:
    """``count`` shops following :data:`LAYOUT`; names and sizes vary with ``seed``."""
    rng = random.Random(f"memberlens-demo:{seed}:shops")
    shops: list[ShopProfile] = []
    names: set[str] = set()
    for index in range(count):
        industry, tier = LAYOUT[index % len(LAYOUT)]
        name = _shop_name(rng, industry, names)
        names.add(name)
        live, video, card = (share * rng.uniform(0.8, 1.2) for share in CARRIER_MIX[industry])
        total = live + video + card
        shops.append(
            ShopProfile(
                shop_id=shop_id(index, count),
                name=name,
                industry=industry,
                tier=tier,
                opened_day=-rng.randint(120, 1800),
                sessions=BASE_SESSIONS * TIER_GROWTH ** (tier - 1) * rng.uniform(0.75, 1.3),
                growth=rng.uniform(-0.1, 0.45),
                carrier_mix=(live / total, video / total, card / total),
                paid_share=rng.uniform(0.15, 0.35),
            )
        )
    return shops

"""Platform users with their profile attributes, and each shop's pool of customers."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

from vocabulary import AGE_BANDS, UNKNOWN

# Share of users in each strategy crowd.
CROWD_WEIGHTS: Final = {
    "gen_z": 14,
    "urban_white_collar": 18,
    "refined_mom": 16,
    "senior_middle_class": 10,
    "urban_blue_collar": 14,
    "small_town_youth": 14,
    "urban_senior": 7,
    "small_town_senior": 7,
}
# Age band weights (18-23, 24-30, 31-40, 41-50, 50+) and the female share, by crowd.
CROWD_AGES: Final = {
    "gen_z": ((60, 40, 0, 0, 0), 0.60),
    "urban_white_collar": ((0, 45, 45, 10, 0), 0.58),
    "refined_mom": ((0, 35, 55, 10, 0), 0.97),
    "senior_middle_class": ((0, 0, 20, 50, 30), 0.55),
    "urban_blue_collar": ((15, 35, 35, 15, 0), 0.45),
    "small_town_youth": ((45, 45, 10, 0, 0), 0.55),
    "urban_senior": ((0, 0, 0, 30, 70), 0.60),
    "small_town_senior": ((0, 0, 0, 35, 65), 0.55),
}
PROVINCE_WEIGHTS: Final = {
    "广东": 12, "浙江": 8, "江苏": 8, "山东": 7, "河南": 6, "四川": 6, "上海": 5,
    "北京": 5, "湖北": 4, "湖南": 4, "福建": 4, "河北": 4, "安徽": 3, "陕西": 3,
    "辽宁": 3, "重庆": 3, "广西": 3, "云南": 2, "江西": 2, "天津": 2, "山西": 2,
    "黑龙江": 2, "贵州": 2, "吉林": 1, "内蒙古": 1, "新疆": 1, "甘肃": 1, "海南": 1,
    "宁夏": 1, "青海": 1, "西藏": 1,
}  # fmt: skip
# Chance that an attribute is missing; a missing one is written as an empty cell or as
# the literal ``unknown``, half and half, as real exports do both.
MISSING: Final = {"gender": 0.06, "age_band": 0.10, "province": 0.05, "crowd": 0.12}

# Customers in a shop's pool per mean daily session over a 400-day window: most of them
# come once or twice. Shorter windows meet fewer distinct customers.
POOL_PER_SESSION: Final = 110
POOL_DAYS: Final = 400
# Users on the platform per pool slot: below 1, so that pools overlap across shops.
USERS_PER_SLOT: Final = 0.8
# Industries whose customers lean female: a male user joins their pool with this chance.
FEMALE_LEAN: Final = {"apparel": 0.55, "beauty": 0.3}


@dataclass(frozen=True)
class Users:
    """The platform's users: ``rows`` for users.csv and who is female (for pool bias)."""

    rows: list[list[str]]
    female: list[bool]

    def user_id(self, index: int) -> str:
        """The id of user ``index``."""
        return self.rows[index][0]


def _missing(rng: random.Random, attribute: str, value: str) -> str:
    if rng.random() < MISSING[attribute]:
        return "" if rng.random() < 0.5 else UNKNOWN
    return value


def make_users(count: int, seed: int) -> Users:
    """``count`` users with ids ``u000001``...; attributes follow their crowd."""
    rng = random.Random(f"memberlens-demo:{seed}:users")
    crowds = tuple(CROWD_WEIGHTS)
    crowd_cumulative = tuple(accumulate(CROWD_WEIGHTS.values()))
    provinces = tuple(PROVINCE_WEIGHTS)
    province_cumulative = tuple(accumulate(PROVINCE_WEIGHTS.values()))
    width = max(6, len(str(count)))
    rows: list[list[str]] = []
    female: list[bool] = []
    for index in range(count):
        crowd = rng.choices(crowds, cum_weights=crowd_cumulative)[0]
        ages, female_share = CROWD_AGES[crowd]
        is_female = rng.random() < female_share
        age_band = rng.choices(AGE_BANDS, weights=ages)[0]
        province = rng.choices(provinces, cum_weights=province_cumulative)[0]
        rows.append(
            [
                f"u{index + 1:0{width}d}",
                _missing(rng, "gender", "female" if is_female else "male"),
                _missing(rng, "age_band", age_band),
                _missing(rng, "province", province),
                _missing(rng, "crowd", crowd),
            ]
        )
        female.append(is_female)
    return Users(rows=rows, female=female)


def pool_size(sessions: float, days: int) -> int:
    """How many customers a shop with ``sessions`` mean daily sessions meets in ``days``."""
    return max(40, round(sessions * POOL_PER_SESSION * math.pow(days / POOL_DAYS, 0.7)))


def user_count(pool_sizes: list[int]) -> int:
    """Platform users needed for shops with these pool sizes."""
    return max(round(max(pool_sizes, default=0) * 1.25), round(sum(pool_sizes) * USERS_PER_SLOT))


@dataclass(frozen=True)
class Pool:
    """A shop's customers (user indexes) and cumulative engagement weights to draw them."""

    users: list[int]
    cumulative: list[float]


def make_pool(rng: random.Random, users: Users, size: int, industry: str) -> Pool:
    """``size`` distinct users for a shop; a few are very engaged, most come rarely."""
    male_chance = FEMALE_LEAN.get(industry, 1.0)
    total = len(users.rows)
    size = min(size, total)
    chosen: list[int] = []
    seen: set[int] = set()
    while len(chosen) < size:
        index = rng.randrange(total)
        if index in seen:
            continue
        spare = total - len(seen) > size - len(chosen)
        if spare and not users.female[index] and rng.random() >= male_chance:
            seen.add(index)  # passed over for this shop
            continue
        seen.add(index)
        chosen.append(index)
    weights = [min(rng.paretovariate(1.4), 40.0) for _ in chosen]
    return Pool(users=chosen, cumulative=list(accumulate(weights)))

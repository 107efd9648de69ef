"""The whole demo dataset: every interchange file, from (shops, days, seed, end) alone."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Final

from service.demo.activity import ShopActivity, ShopSetup
from service.demo.catalog import make_benefits, make_catalog, make_creators, shop_creators
from service.demo.outreach import plan_campaigns
from service.demo.people import make_pool, make_users, pool_size, user_count
from service.demo.seasons import DAY, Window
from service.demo.shops import DEFAULT_SHOPS, make_shops
from service.demo.writer import HEADERS, Sink

# 400 days always hold a whole 618 and Double 11 and a year-earlier match for the last
# month, so "same period last year" has data.
DEFAULT_DAYS: Final = 400
CREATORS_PER_SHOP: Final = 2


def write_demo_data(
    out: Path,
    *,
    shops: int = DEFAULT_SHOPS,
    days: int = DEFAULT_DAYS,
    seed: int = 7,
    end: date,
) -> dict[str, int]:
    """Write the demo dataset's CSV files into ``out``; returns rows written per file.

    The files cover the ``days`` days ending with ``end`` (included) and depend on the
    arguments alone: the same arguments write byte-identical files.
    """
    if shops < 1:
        raise ValueError("shops must be at least 1")
    if days < 1:
        raise ValueError("days must be at least 1")
    window = Window(end=end, days=days)
    profiles = make_shops(shops, seed)
    sizes = [pool_size(profile.sessions, days) for profile in profiles]
    users = make_users(user_count(sizes), seed)
    creators = make_creators(max(8, shops * CREATORS_PER_SHOP), seed)
    with Sink(out) as sink:
        sink.write_all(
            "shops",
            [
                [
                    profile.shop_id,
                    profile.name,
                    profile.industry,
                    str(profile.tier),
                    window.text(profile.opened_day * DAY + 9 * 3600),
                ]
                for profile in profiles
            ],
        )
        sink.write_all("users", users.rows)
        sink.write_all("creators", creators)
        for profile, size in zip(profiles, sizes, strict=True):
            rng = random.Random(f"memberlens-demo:{seed}:{profile.shop_id}:setup")
            catalog, products = make_catalog(rng, profile, window)
            benefits, benefit_rows = make_benefits(rng, profile, window)
            sink.write_all("products", products)
            sink.write_all("benefits", benefit_rows)
            setup = ShopSetup(
                shop=profile,
                pool=make_pool(rng, users, size, profile.industry),
                catalog=catalog,
                benefits=benefits,
                creators=shop_creators(rng, creators),
                campaigns=plan_campaigns(rng, profile, window),
            )
            ShopActivity(setup, users=users, window=window, sink=sink, seed=seed).run()
        return {name: sink.counts[name] for name in HEADERS}

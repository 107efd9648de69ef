"""Benefit online days against the definition read day by day.

The statement counts a window's days covered by the union of its shop's benefit intervals
by binary search over the window's days (``resolvers/engine/benefits_sql.py``); the
definition looks at each day of the window and asks whether any benefit's
``[online_from, online_to)`` overlaps it. The two must agree on every window, including
intervals starting or ending at a day's first or last microsecond and zones whose clocks
change at midnight (a day of 23 or 25 hours, or one starting at 01:00).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from resolvers.engine import FactFilter, Window, read_bases
from resolvers.engine.benefits_sql import BENEFIT_FACTS_SQL
from resolvers.engine.windows import statement_args

MICROSECOND = timedelta(microseconds=1)

# Each day of each window, kept if some benefit of the shop is online during it (an empty
# interval is online at no instant).
DEFINITION_SQL = """
WITH w AS (
    SELECT w.window_id::int AS window_id, w.shop_id, w.s::timestamptz AS s, w.e::timestamptz AS e
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(window_id, shop_id, s, e)
)
SELECT w.window_id, count(*) AS days
FROM w
CROSS JOIN LATERAL generate_series(w.s, w.e - interval '1 day', interval '1 day') AS d
WHERE EXISTS (
    SELECT 1
    FROM benefits b
    WHERE b.shop_id = w.shop_id
      AND b.online_from < d + interval '1 day'
      AND (b.online_to IS NULL OR (b.online_to > d AND b.online_to > b.online_from))
)
GROUP BY w.window_id
"""

INSERT_BENEFIT_SQL = """
INSERT INTO benefits (benefit_id, shop_id, kind, name, online_from, online_to)
VALUES ($1, $2, 'coupon', $1, $3, $4)
"""

# Havana moves its clocks at midnight (2026-03-08 00:00 → 01:00; 2026-11-01 01:00 →
# 00:00, a repeated hour after midnight); Santiago at 24:00 (2026-04-05 and 2026-09-06).
ZONES = ("Asia/Shanghai", "America/Havana", "America/Santiago")


def instants(zone: ZoneInfo, rng: random.Random, count: int) -> list[datetime]:
    """Midnights around the clock changes of 2026, a microsecond either side of them,
    and instants inside days."""
    found: list[datetime] = []
    for month, day in ((3, 8), (4, 5), (9, 6), (11, 1), (6, 15)):
        for offset in range(-3, 4):
            midnight = datetime(2026, month, day, tzinfo=zone) + timedelta(days=offset)
            found.extend((midnight, midnight - MICROSECOND, midnight + MICROSECOND))
            found.append(midnight + timedelta(hours=rng.randrange(1, 24)))
    return rng.sample(found, count)


@pytest.mark.parametrize("zone_name", ZONES)
async def test_online_days_equal_the_definition_day_by_day(
    shops: asyncpg.Pool, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    rng = random.Random(zone_name)
    # s1: overlapping, nested, touching and open-ended intervals; s2: one; s3: none
    benefits = []
    for number in range(12):
        start, end = sorted(instants(zone, rng, 2))
        benefits.append((f"b{number}", "s1", start, None if number % 5 == 0 else end))
    benefits.append(("b_one", "s2", *sorted(instants(zone, rng, 2))))
    # empty intervals, inside a day and at a midnight
    benefits.extend((f"b_empty{n}", "s1", at, at) for n, at in enumerate(instants(zone, rng, 4)))
    await shops.executemany(INSERT_BENEFIT_SQL, benefits)

    windows = []
    for window_id in range(300):
        start, end = sorted(instants(zone, rng, 2))
        windows.append(Window(window_id, rng.choice(("s1", "s1", "s2", "s3")), start, end))
    args = statement_args(windows, FactFilter())[:4]
    async with shops.acquire() as connection, connection.transaction():
        await connection.execute(f"SET LOCAL TIME ZONE '{zone_name}'")
        read = {
            row["window_id"]: row["benefit_online_days"]
            for row in await connection.fetch(BENEFIT_FACTS_SQL, *args)
        }
        defined = {
            row["window_id"]: row["days"] for row in await connection.fetch(DEFINITION_SQL, *args)
        }
    # a window without a row has no day online
    assert {key: value for key, value in read.items() if value} == defined
    assert 100 < len(defined) < len(windows)  # windows with and without online days


async def test_peer_windows_of_one_period_each_count_their_own_shop(shops: asyncpg.Pool) -> None:
    """Windows sharing a period share its days, never their shops' benefits."""
    shanghai = ZoneInfo("Asia/Shanghai")
    march = datetime(2026, 3, 1, tzinfo=shanghai)
    await shops.executemany(
        INSERT_BENEFIT_SQL,
        [
            # s1: 03-02 12:00 → 03-04 00:00 is days 03-02 and 03-03; 03-03 → 03-06 adds two
            ("b1", "s1", march + timedelta(days=1, hours=12), march + timedelta(days=3)),
            ("b2", "s1", march + timedelta(days=2), march + timedelta(days=5)),
            # s2: from the last microsecond of 03-09 on: 03-09 and 03-10 in the window
            ("b3", "s2", march + timedelta(days=9) - MICROSECOND, None),
            # s3: online from 03-05 12:00 to 03-05 12:00, no instant: no day
            ("b4", "s3", march + timedelta(days=4, hours=12), march + timedelta(days=4, hours=12)),
        ],
    )
    period = (march, march + timedelta(days=10))
    windows = [Window(0, "s1", *period), Window(1, "s2", *period), Window(2, "s3", *period)]
    bases = await read_bases(
        shops, windows=windows, bases={"benefit_online_days"}, facts=FactFilter()
    )
    assert {key: values["benefit_online_days"] for key, values in bases.items()} == {
        (0, ""): 4,
        (1, ""): 2,
    }

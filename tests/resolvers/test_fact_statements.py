"""The fact statements against the specification's definitions, beyond the hand-worked
figures: member counts at many instants, and each metric read alone.

Members at an instant E are counted without expanding every stint into every window (a
running sum of joins and leaves, `resolvers/engine/members_sql.py`), and the costly
lookups of each statement run only for the bases that need them; these tests check both
against a direct reading of the definitions over the ``metric_fixture`` dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest

from resolvers.catalogue import Dimension
from resolvers.engine import NO_KEY, FactFilter, Window, read_bases
from tests.resolvers.metric_fixture import OTHER_SHOP, SHOP, insert_fixture
from tests.resolvers.test_metric_values import ALL_METRICS, read_all, read_some

SECOND = timedelta(seconds=1)
MOVES = ("member_count", "new_members", "left_members")


@dataclass(frozen=True)
class Stint:
    shop_id: str
    user_id: str
    joined_at: datetime
    left_at: datetime | None
    channel: str
    gender: str


STINTS_SQL = """
SELECT m.shop_id, m.user_id, m.joined_at, m.left_at, m.join_channel, u.gender
FROM members m
LEFT JOIN users u ON u.user_id = m.user_id
"""


@pytest.fixture
async def dataset(db: asyncpg.Pool) -> asyncpg.Pool:
    await insert_fixture(db)
    return db


async def read_stints(pool: asyncpg.Pool) -> list[Stint]:
    return [
        Stint(
            row["shop_id"],
            row["user_id"],
            row["joined_at"],
            row["left_at"],
            row["join_channel"],
            row["gender"] or "unknown",
        )
        for row in await pool.fetch(STINTS_SQL)
    ]


def key_of(stint: Stint, facts: FactFilter) -> str:
    if facts.dimension is Dimension.JOIN_CHANNEL:
        return stint.channel
    if facts.dimension is Dimension.GENDER:
        return stint.gender
    return NO_KEY


def expected(
    stints: list[Stint], windows: list[Window], facts: FactFilter
) -> dict[tuple[int, str], tuple[int, int, int]]:
    """§2 and §3 read directly: a member at E has a stint with joined_at < E and (no
    left_at or left_at >= E); new and left members are distinct users with a stint
    joining, or leaving, in [start, E). Only slices with one of them are returned."""
    found: dict[tuple[int, str], tuple[int, int, int]] = {}
    for window in windows:
        mine = [
            stint
            for stint in stints
            if stint.shop_id == window.shop_id
            and (facts.users is None or stint.user_id in facts.users)
            and (facts.value is None or key_of(stint, facts) == facts.value)
        ]
        for key in {key_of(stint, facts) for stint in mine}:
            sliced = [stint for stint in mine if key_of(stint, facts) == key]
            count = sum(
                1
                for stint in sliced
                if stint.joined_at < window.end
                and (stint.left_at is None or stint.left_at >= window.end)
            )
            joined = {
                stint.user_id for stint in sliced if window.start <= stint.joined_at < window.end
            }
            left = {
                stint.user_id
                for stint in sliced
                if stint.left_at is not None and window.start <= stint.left_at < window.end
            }
            if count or joined or left:
                found[(window.window_id, key)] = (count, len(joined), len(left))
    return found


def windows_around(stints: list[Stint]) -> list[Window]:
    """For both shops: windows ending at every instant a stint starts or ends, a second
    before and a second after it, each one day and thirty days long."""
    instants = sorted(
        {
            instant + shift
            for stint in stints
            for instant in (stint.joined_at, stint.left_at)
            if instant is not None
            for shift in (-SECOND, timedelta(0), SECOND)
        }
    )
    windows: list[Window] = []
    for shop in (SHOP, OTHER_SHOP):
        for end in instants:
            for length in (timedelta(days=1), timedelta(days=30)):
                windows.append(Window(len(windows), shop, end - length, end))
    return windows


@pytest.mark.parametrize(
    "facts",
    [
        FactFilter(),
        FactFilter(dimension=Dimension.JOIN_CHANNEL),
        FactFilter(dimension=Dimension.JOIN_CHANNEL, value="live"),
        FactFilter(dimension=Dimension.GENDER),
        FactFilter(users=("u02", "u03", "u07", "u12")),
        FactFilter(dimension=Dimension.GENDER, value="female", users=("u01", "u03", "u06")),
    ],
    ids=["shop", "by-channel", "live", "by-gender", "users", "female-users"],
)
@pytest.mark.parametrize("activity", [False, True], ids=["counts", "with-activity"])
async def test_member_counts_at_every_stint_boundary_follow_the_definition(
    dataset: asyncpg.Pool, facts: FactFilter, activity: bool
) -> None:
    # The fixture has rejoins (u03 at s1; u06 and u12 at both shops), stints starting and
    # ending at a midnight, and a stint ended before any window (u10).
    # Read once with every window, then once from each instant a stint ends: the earliest
    # window end of a shop decides which ended stints the statement can leave out.
    stints = await read_stints(dataset)
    every = windows_around(stints)
    bases = set(MOVES) | ({"active_members"} if activity else set())
    ends = sorted({stint.left_at for stint in stints if stint.left_at is not None})
    for windows in [every, *([w for w in every if w.end >= end] for end in ends)]:
        found = await read_bases(dataset, windows=windows, bases=bases, facts=facts)
        read = {key: tuple(int(row[base]) for base in MOVES) for key, row in found.items()}
        assert read == expected(stints, windows, facts)


async def test_each_metric_read_alone_equals_its_value_among_all(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # Every costly lookup runs only when a base needing it is asked for: reading a metric
    # alone must give the value it has when every lookup runs.
    for period in (
        {"from": "2026-03-01", "to": "2026-03-31"},
        {"from": "2026-03-10", "to": "2026-03-20"},
    ):
        together = await read_all(caller, period)
        alone = {}
        for metric in ALL_METRICS:
            alone |= await read_some(caller, (metric,), period, SHOP)
        assert alone == together

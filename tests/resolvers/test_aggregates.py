"""Figures read from the aggregates equal those read from the raw facts, after every
batch of loads in random order.

Demo data is cut into random batches: each order, stint, follow and event goes to a random
batch; some refunded orders arrive unrefunded first and are refunded by a later batch,
some closed stints and follows arrive open and are closed by a later batch. A stint in a
batch after its orders is a late stint (the orders become member or fan orders then).
The batches are loaded in random order; after each, for random windows of every shop:

- every order base, on whole days, on no slice, a user dimension's every value and one
  value, through the order days and through the raw orders, on no slice through the
  shop order days, and on every product-card entry and one through the order slice days;
  and the order sums alone (no distinct count asked), a few distinct counts at a time,
  and readings kept one after another through the last two;
- every member base, on whole days and on windows ending at noon, on no slice, every join
  channel, one gender and a set of users, through the member activity and through the
  raw stints, events and orders;
- every member base, on whole days and on no slice, through the member steps and recency
  and through the raw facts;
- every event base, on whole days, on no slice, every product-card entry and one, through
  the event days and through the raw events and orders.

They must be equal.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from graphql import GraphQLError

from resolvers.catalogue import Dimension
from resolvers.engine import Aggregates, CachedAt, FactFilter, FigureCache, Window, read_bases
from resolvers.engine.event_days_sql import (
    EVENT_DAYS_ENTRIES_SQL,
    EVENT_DAYS_ENTRY_SQL,
    EVENT_DAYS_SQL,
)
from resolvers.engine.events_sql import EVENT_BASES
from resolvers.engine.families import Family, _statements
from resolvers.engine.member_steps_sql import MEMBER_STEPS_SQL
from resolvers.engine.members_sql import MEMBER_ACTIVITY_FACTS_SQL, MEMBER_BASES
from resolvers.engine.order_days_sql import ORDER_DAYS_SQL
from resolvers.engine.orders_sql import ORDER_BASES
from resolvers.engine.shop_order_days_sql import SHOP_ORDER_DAYS_SQL, SHOP_ORDER_SLICE_DAYS_SQL
from service.db.aggregates import build_aggregates, stop_keeping
from service.demo import write_demo_data
from service.errors import classify
from service.load import load_paths
from tests.conftest import TEST_ZONE

END = date(2026, 6, 30)
DAYS = 50
ZONE = ZoneInfo(TEST_ZONE)
FIRST_FILES = ("shops", "users", "products", "creators", "benefits", "campaigns")
ORDER_SLICES = (
    FactFilter(),
    FactFilter(Dimension.GENDER),
    FactFilter(Dimension.CROWD),
    FactFilter(Dimension.AGE_BAND, "24-30"),
)
FACT_INSTANTS_SQL = """
SELECT shop_id, occurred_at AS at FROM events
UNION ALL
SELECT shop_id, paid_at FROM orders
ORDER BY 1, 2
"""
MOVE_AND_REMOVE_SQL = """
UPDATE orders SET paid_at = paid_at + interval '3 days 5 hours' WHERE right(order_id, 1) = '3';
DELETE FROM orders WHERE right(order_id, 1) = '7';
DELETE FROM members WHERE right(user_id, 1) = '5';
UPDATE events SET occurred_at = occurred_at - interval '2 days 3 hours'
WHERE right(event_id, 1) = '4';
DELETE FROM events WHERE right(event_id, 1) = '6'
"""
MEMBER_SLICES = (
    FactFilter(),
    FactFilter(Dimension.JOIN_CHANNEL),
    FactFilter(Dimension.GENDER, "female"),
)
STEP_BASES = set(MEMBER_BASES)
STEPS_READY = Aggregates(member_activity=True, member_steps_zone=TEST_ZONE)
SHOP_DAYS_READY = Aggregates(TEST_ZONE, shop_days_zone=TEST_ZONE)
ORDER_SUMS = {"gmv", "net_gmv", "member_gmv", "card_gmv", "orders"}
ENTRY_SLICES = (FactFilter(Dimension.ENTRY), FactFilter(Dimension.ENTRY, "search"))
SLICE_DAYS_READY = Aggregates(TEST_ZONE, order_slice_days_zone=TEST_ZONE)
EVENT_SLICES = (
    FactFilter(),
    FactFilter(Dimension.ENTRY),
    FactFilter(Dimension.ENTRY, "search"),
)
EVENT_DAYS_READY = Aggregates(TEST_ZONE, event_days_zone=TEST_ZONE)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _spread(
    rows: list[dict[str, str]], batches: int, rng: random.Random, later: dict[str, str]
) -> list[list[dict[str, str]]]:
    """Each row in a random batch; a third of the rows with a value in the first column
    of ``later`` arrive without the ``later`` columns first, and whole in a later batch
    (for stints, only a user's only stint at the shop: an open one overlaps the next)."""
    parts: list[list[dict[str, str]]] = [[] for _ in range(batches)]
    first_column = next(iter(later), "")
    stints = Counter((row["shop_id"], row["user_id"]) for row in rows)
    for row in rows:
        at = rng.randrange(batches)
        only = first_column == "refund_amount" or stints[(row["shop_id"], row["user_id"])] == 1
        if later and row[first_column] and only and at < batches - 1 and rng.random() < 0.33:
            parts[at].append({**row, **later})
            parts[rng.randrange(at + 1, batches)].append(row)
        else:
            parts[at].append(row)
    return parts


def _batches(source: Path, root: Path, count: int, rng: random.Random) -> list[Path]:
    folders = [root / f"b{index}" for index in range(count)]
    for name in FIRST_FILES:
        header, rows = _read(source / f"{name}.csv")
        _write(folders[0] / f"{name}.csv", header, rows)
    for name, later in (
        ("orders", {"refund_amount": "", "refunded_at": ""}),
        ("members", {"left_at": ""}),
        ("fans", {"unfollowed_at": ""}),
        ("events", {}),
    ):
        header, rows = _read(source / f"{name}.csv")
        for folder, part in zip(folders, _spread(rows, count, rng, later), strict=True):
            _write(folder / f"{name}.csv", header, part)
    rng.shuffle(folders[1:])
    return folders


def _demo_batches(
    root: Path, seed: int, *, shops: int, counts: tuple[int, int]
) -> tuple[random.Random, list[Path]]:
    """Demo data of ``shops`` shops cut into a random number (within ``counts``) of
    batches, and the random source that cut them."""
    rng = random.Random(seed)
    write_demo_data(root / "demo", shops=shops, days=DAYS, seed=seed, end=END)
    return rng, _batches(root / "demo", root / "batches", rng.randint(*counts), rng)


def _windows(shops: list[str], rng: random.Random, at: time = time(0)) -> list[Window]:
    first_day = END - timedelta(days=DAYS - 1)
    windows = []
    for shop in shops:
        for _ in range(6):
            start = first_day + timedelta(days=rng.randrange(-3, DAYS))
            end = start + timedelta(days=rng.randint(1, 40))
            windows.append(
                Window(
                    len(windows),
                    shop,
                    datetime.combine(start, at, ZONE),
                    datetime.combine(end, at, ZONE),
                )
            )
    return windows


async def _compare(
    db: asyncpg.Pool,
    windows: list[Window],
    bases: set[str],
    slices: tuple[FactFilter, ...],
    ready: Aggregates,
) -> int:
    """Read ``bases`` through the aggregates ``ready`` and through the raw facts; assert
    they are equal; the cells compared with a nonzero value."""
    compared = 0
    kept = CachedAt(FigureCache(0), version=0, aggregates=ready)
    for facts in slices:
        got = await read_bases(db, windows=windows, bases=bases, facts=facts, cached=kept)
        raw = await read_bases(db, windows=windows, bases=bases, facts=facts)
        assert set(got) == set(raw), facts
        for cell, values in raw.items():
            # the bases asked for (a statement may give others, never read)
            wanted = {base: value for base, value in values.items() if base in bases}
            assert {base: got[cell][base] for base in wanted} == wanted, (
                facts,
                windows[cell[0]],
                cell[1],
            )
        compared += sum(1 for values in raw.values() if any(values.values()))
    return compared


# The user assets' and the product card's event bases, and one set at a time.
EVENT_SUBSETS = (
    {"audience_users", "high_potential_users"},
    {"card_impression_users", "card_click_users", "card_clicks", "lost_users"},
    {"card_new_click_users"},
    {"benefit_claims", "benefit_claimers"},
)


# The order bases of a screen's distinct counts, one count or a few at a time.
ORDER_SUBSETS = (
    {"benefit_users", "member_buyers"},
    {"buyers", "repeat_buyers"},
    {"first_order_users"},
    {"repeat_users", "card_buyers", "member_repeat_buyers"},
)

# Bases read one set after another, each reading kept.
EVENT_READINGS = (
    {"audience_users"},
    {"audience_users", "card_impression_users"},
    set(EVENT_BASES),
)
ORDER_READINGS = ({"benefit_users"}, {"benefit_users", "buyers"}, set(ORDER_BASES))


async def _compare_kept_one_after_another(
    db: asyncpg.Pool,
    windows: list[Window],
    readings: tuple[set[str], ...],
    slices: tuple[FactFilter, ...],
    ready: Aggregates,
) -> int:
    """Bases read through the aggregates ``ready`` one set of ``readings`` after another,
    every reading kept: a set read after another is not served the zeros the first left
    unread."""
    kept = CachedAt(FigureCache(100_000), version=1, aggregates=ready)
    compared = 0
    for facts in slices:
        for bases in readings:
            got = await read_bases(db, windows=windows, bases=bases, facts=facts, cached=kept)
            raw = await read_bases(db, windows=windows, bases=bases, facts=facts)
            assert {cell: {base: got[cell][base] for base in bases} for cell in raw} == {
                cell: {base: values[base] for base in bases} for cell, values in raw.items()
            }, facts
            compared += sum(1 for values in raw.values() if any(values[base] for base in bases))
    return compared


@pytest.mark.parametrize("seed", [11, 12])
async def test_aggregates_equal_the_raw_facts_after_each_batch(
    db: asyncpg.Pool, tmp_path: Path, seed: int
) -> None:
    rng, batches = _demo_batches(tmp_path, seed, shops=5, counts=(3, 5))
    orders = shop_days = slice_days = members = steps = events = 0
    for batch in batches:
        report = await load_paths(db, [batch], zone=ZONE)
        assert report.committed, report
        shops = [row["shop_id"] for row in await db.fetch("SELECT shop_id FROM shops")]
        users = [row["user_id"] for row in await db.fetch("SELECT user_id FROM members")]
        orders += await _compare(
            db, _windows(shops, rng), set(ORDER_BASES), ORDER_SLICES, Aggregates(TEST_ZONE)
        )
        shop_days += await _compare(
            db, _windows(shops, rng), set(ORDER_BASES), (FactFilter(),), SHOP_DAYS_READY
        )
        slice_days += await _compare(
            db, _windows(shops, rng), set(ORDER_BASES), ENTRY_SLICES, SLICE_DAYS_READY
        )
        # the sums alone: no distinct count asked, no buyer grouped, no array read; and a
        # screen's distinct counts alone: the other counts' arrays are not read
        for slices, ready in (((FactFilter(),), SHOP_DAYS_READY), (ENTRY_SLICES, SLICE_DAYS_READY)):
            for subset in (ORDER_SUMS, *ORDER_SUBSETS):
                shop_days += await _compare(db, _windows(shops, rng), subset, slices, ready)
            shop_days += await _compare_kept_one_after_another(
                db, _windows(shops, rng), ORDER_READINGS, slices, ready
            )
        member_slices = (*MEMBER_SLICES, FactFilter(users=tuple(rng.sample(users, 40))))
        # and windows ending exactly at an activity event or an order (E is excluded)
        ends = [
            (row["shop_id"], row["at"])
            for row in await db.fetch(FACT_INSTANTS_SQL)
            if rng.random() < 0.05
        ]
        at_facts = [
            Window(i, shop, at - timedelta(days=7), at) for i, (shop, at) in enumerate(ends)
        ]
        ready = Aggregates(member_activity=True)
        for windows in (_windows(shops, rng, time(0)), _windows(shops, rng, time(12)), at_facts):
            members += await _compare(db, windows, set(MEMBER_BASES), member_slices, ready)
        # windows up to a year and a half after the data: quality and potential members
        # and the 30-day active ones run out there
        long = [
            Window(i, w.shop_id, w.start, w.end + timedelta(days=rng.choice((0, 29, 89, 400))))
            for i, w in enumerate(_windows(shops, rng))
        ]
        steps += await _compare(db, long, STEP_BASES, (FactFilter(),), STEPS_READY)
        events += await _compare(
            db, _windows(shops, rng), set(EVENT_BASES), EVENT_SLICES, EVENT_DAYS_READY
        )
        # a screen's event bases alone: the other sets' arrays are not read
        for subset in EVENT_SUBSETS:
            events += await _compare(
                db, _windows(shops, rng), subset, EVENT_SLICES, EVENT_DAYS_READY
            )
        events += await _compare_kept_one_after_another(
            db, _windows(shops, rng), EVENT_READINGS, (FactFilter(),), EVENT_DAYS_READY
        )
    # orders and events moved to other days, orders, stints and events removed, by hand:
    # the days and the stints they leave change too
    assert await db.fetchval("SELECT count(*) FROM members WHERE right(user_id, 1) = '5'") > 0
    await db.execute(MOVE_AND_REMOVE_SQL)
    shops = [row["shop_id"] for row in await db.fetch("SELECT shop_id FROM shops")]
    for ready in (Aggregates(TEST_ZONE), SHOP_DAYS_READY):
        orders += await _compare(db, _windows(shops, rng), set(ORDER_BASES), ORDER_SLICES, ready)
    slice_days += await _compare(
        db, _windows(shops, rng), set(ORDER_BASES), ENTRY_SLICES, SLICE_DAYS_READY
    )
    for ready in (Aggregates(member_activity=True), STEPS_READY):
        members += await _compare(db, _windows(shops, rng), set(MEMBER_BASES), MEMBER_SLICES, ready)
    events += await _compare(
        db, _windows(shops, rng), set(EVENT_BASES), EVENT_SLICES, EVENT_DAYS_READY
    )
    # most cells have figures: the comparisons are not empty
    assert orders > 500
    assert shop_days > 100
    assert slice_days > 100
    assert members > 500
    assert steps > 100
    assert events > 300
    assert await db.fetchval("SELECT count(*) FROM order_days") > 0
    assert await db.fetchval("SELECT count(*) FROM member_activity") > 0
    assert await db.fetchval("SELECT count(*) FROM member_steps") > 0
    assert await db.fetchval("SELECT count(*) FROM shop_order_days") > 0
    assert await db.fetchval("SELECT count(*) FROM shop_event_days") > 0
    assert await db.fetchval("SELECT count(*) FROM shop_order_slice_days") > 0


async def test_the_order_days_serve_whole_days_on_the_buyers_slices_only() -> None:
    midnight = datetime(2026, 6, 1, tzinfo=ZONE)
    whole = Window(0, "s01", midnight, midnight + timedelta(days=7))
    noon = Window(1, "s01", midnight + timedelta(hours=12), midnight + timedelta(days=7))
    bases = {"gmv"}

    def sources(windows: list[Window], facts: FactFilter, zone: str | None) -> list[str]:
        statements = _statements(Family.ORDERS, windows, bases, facts, Aggregates(zone))
        return ["days" if sql == ORDER_DAYS_SQL else "raw" for sql, _ in statements]

    assert sources([whole], FactFilter(), TEST_ZONE) == ["days"]
    assert sources([whole, noon], FactFilter(), TEST_ZONE) == ["days", "raw"]
    assert sources([whole], FactFilter(Dimension.CROWD, "A"), TEST_ZONE) == ["days"]
    assert sources([whole], FactFilter(Dimension.FAN_STATUS), TEST_ZONE) == ["raw"]
    assert sources([whole], FactFilter(Dimension.CARRIER), TEST_ZONE) == ["raw"]
    assert sources([whole], FactFilter(users=("u1",)), TEST_ZONE) == ["raw"]
    assert sources([whole], FactFilter(), None) == ["raw"]
    assert sources([whole], FactFilter(), "UTC") == ["raw"]
    # Havana repeats the hour after midnight on 2026-11-01: only the first midnight
    # starts the day; its second one, fold 1, is an hour into it.
    havana = ZoneInfo("America/Havana")
    first = datetime(2026, 11, 1, tzinfo=havana)
    second = first.replace(fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    day = timedelta(days=1)
    assert sources([Window(0, "s01", first, first + day)], FactFilter(), "America/Havana") == [
        "days"
    ]
    assert sources([Window(0, "s01", second, first + day)], FactFilter(), "America/Havana") == [
        "raw"
    ]


async def test_the_shop_order_days_serve_whole_days_on_no_slice() -> None:
    midnight = datetime(2026, 6, 1, tzinfo=ZONE)
    whole = Window(0, "s01", midnight, midnight + timedelta(days=7))
    noon = Window(1, "s01", midnight + timedelta(hours=12), midnight + timedelta(days=7))
    names = {SHOP_ORDER_DAYS_SQL: "shop days", ORDER_DAYS_SQL: "days"}

    def sources(facts: FactFilter, ready: Aggregates = SHOP_DAYS_READY) -> list[str]:
        statements = _statements(Family.ORDERS, [whole, noon], {"buyers"}, facts, ready)
        return [names.get(sql, "raw") for sql, _ in statements]

    assert sources(FactFilter()) == ["shop days", "raw"]
    assert sources(FactFilter(Dimension.GENDER)) == ["days", "raw"]
    assert sources(FactFilter(users=("u1",))) == ["raw"]
    # days of another zone: the windows are not whole days there
    assert sources(FactFilter(), Aggregates(TEST_ZONE, shop_days_zone="UTC")) == ["raw"]

    def distinct_wanted(bases: set[str]) -> list[object]:
        statements = _statements(Family.ORDERS, [whole, noon], bases, FactFilter(), SHOP_DAYS_READY)
        return [args[-1] for _, args in statements]

    # the last parameter of both: whether the buyers are counted
    assert distinct_wanted({"gmv", "member_gmv"}) == [False, False]
    assert distinct_wanted({"gmv", "first_order_users"}) == [True, True]


async def test_the_member_activity_serves_the_activity_flags_only() -> None:
    noon = datetime(2026, 6, 1, 12, tzinfo=ZONE)
    window = Window(0, "s01", noon, noon + timedelta(days=7))

    def source(bases: set[str], ready: Aggregates) -> str:
        statements = _statements(Family.MEMBERS, [window], bases, FactFilter(), ready)
        assert len(statements) == 1
        return "activity" if statements[0][0] == MEMBER_ACTIVITY_FACTS_SQL else "raw"

    ready = Aggregates(member_activity=True)
    assert source({"active_members"}, ready) == "activity"
    assert source({"member_count", "quality_members"}, ready) == "activity"
    # without the flags the raw statement counts members without listing them
    assert source({"member_count", "new_members"}, ready) == "raw"
    assert source({"active_members"}, Aggregates()) == "raw"


async def test_the_member_steps_serve_whole_days_on_no_slice() -> None:
    midnight = datetime(2026, 6, 1, tzinfo=ZONE)
    whole = Window(0, "s01", midnight, midnight + timedelta(days=7))
    noon = Window(1, "s01", midnight + timedelta(hours=12), midnight + timedelta(days=7))

    def sources(bases: set[str], facts: FactFilter | None = None) -> list[str]:
        statements = _statements(
            Family.MEMBERS, [whole, noon], bases, facts or FactFilter(), STEPS_READY
        )
        names = {MEMBER_STEPS_SQL: "steps", MEMBER_ACTIVITY_FACTS_SQL: "activity"}
        return [names.get(sql, "raw") for sql, _ in statements]

    assert sources({"quality_members", "potential_members"}) == ["steps", "activity"]
    assert sources({"member_count", "new_members"}) == ["steps", "raw"]
    assert sources({"monthly_active_members"}) == ["steps", "activity"]
    assert sources({"active_members", "quality_members"}) == ["steps", "activity"]
    assert sources({"quality_members"}, FactFilter(Dimension.JOIN_CHANNEL)) == ["activity"]
    assert sources({"member_count"}, FactFilter(users=("u1",))) == ["raw"]
    other_zone = Aggregates(member_activity=True, member_steps_zone="UTC")
    statements = _statements(Family.MEMBERS, [whole], {"member_count"}, FactFilter(), other_zone)
    assert [sql for sql, _ in statements] != [MEMBER_STEPS_SQL]


async def test_the_event_days_serve_whole_days_on_no_slice_and_the_entries() -> None:
    midnight = datetime(2026, 6, 1, tzinfo=ZONE)
    whole = Window(0, "s01", midnight, midnight + timedelta(days=7))
    noon = Window(1, "s01", midnight + timedelta(hours=12), midnight + timedelta(days=7))
    names = {
        EVENT_DAYS_SQL: "days",
        EVENT_DAYS_ENTRIES_SQL: "entries",
        EVENT_DAYS_ENTRY_SQL: "entry",
    }

    def sources(facts: FactFilter, ready: Aggregates = EVENT_DAYS_READY) -> list[str]:
        statements = _statements(Family.EVENTS, [whole, noon], {"lost_users"}, facts, ready)
        return [names.get(sql, "raw") for sql, _ in statements]

    assert sources(FactFilter()) == ["days", "raw"]
    assert sources(FactFilter(Dimension.ENTRY)) == ["entries", "raw"]
    assert sources(FactFilter(Dimension.ENTRY, "search")) == ["entry", "raw"]
    assert sources(FactFilter(Dimension.GENDER)) == ["raw"]
    assert sources(FactFilter(Dimension.PRODUCT, "p1")) == ["raw"]
    assert sources(FactFilter(users=("u1",))) == ["raw"]
    assert sources(FactFilter(), Aggregates(TEST_ZONE, event_days_zone="UTC")) == ["raw"]


async def test_the_order_slice_days_serve_whole_days_on_the_entries() -> None:
    midnight = datetime(2026, 6, 1, tzinfo=ZONE)
    whole = Window(0, "s01", midnight, midnight + timedelta(days=7))
    noon = Window(1, "s01", midnight + timedelta(hours=12), midnight + timedelta(days=7))
    names = {SHOP_ORDER_SLICE_DAYS_SQL: "slice days", SHOP_ORDER_DAYS_SQL: "shop days"}
    ready = Aggregates(TEST_ZONE, shop_days_zone=TEST_ZONE, order_slice_days_zone=TEST_ZONE)

    def sources(facts: FactFilter, aggregates: Aggregates = ready) -> list[str]:
        statements = _statements(Family.ORDERS, [whole, noon], {"card_gmv"}, facts, aggregates)
        return [names.get(sql, "raw") for sql, _ in statements]

    assert sources(FactFilter(Dimension.ENTRY)) == ["slice days", "raw"]
    assert sources(FactFilter(Dimension.ENTRY, "search")) == ["slice days", "raw"]
    assert sources(FactFilter()) == ["shop days", "raw"]
    assert sources(FactFilter(Dimension.CARRIER)) == ["raw"]
    assert sources(FactFilter(users=("u1",))) == ["raw"]
    other_zone = Aggregates(TEST_ZONE, order_slice_days_zone="UTC")
    assert sources(FactFilter(Dimension.ENTRY), other_zone) == ["raw"]


READY_SQL = """
UPDATE order_days_state SET ready = {ready};
UPDATE member_activity_state SET ready = {ready};
UPDATE member_steps_state SET ready = {ready};
UPDATE shop_order_days_state SET ready = {ready};
UPDATE event_days_state SET ready = {ready};
UPDATE order_slice_days_state SET ready = {ready}
"""


async def test_a_build_over_data_loaded_before_equals_the_raw_facts(
    db: asyncpg.Pool, tmp_path: Path
) -> None:
    # a database loaded by a version without the aggregates: nothing kept while it loads
    async with db.acquire() as connection:
        await stop_keeping(connection)
    try:
        write_demo_data(tmp_path / "demo", shops=4, days=DAYS, seed=21, end=END)
        assert (await load_paths(db, [tmp_path / "demo"], zone=ZONE)).committed
        assert await db.fetchval("SELECT count(*) FROM order_days") == 0
        async with db.acquire() as connection:
            built = await build_aggregates(connection, TEST_ZONE)
            assert set(built) == {
                "order days",
                "member activity",
                "member steps",
                "shop order days",
                "event days",
                "order slice days",
            }
            assert await build_aggregates(connection, TEST_ZONE) == {}  # ready: kept
    finally:
        async with db.acquire() as connection:
            await build_aggregates(connection, TEST_ZONE)
    rng = random.Random(21)
    shops = [row["shop_id"] for row in await db.fetch("SELECT shop_id FROM shops")]
    orders = await _compare(
        db, _windows(shops, rng), set(ORDER_BASES), ORDER_SLICES, Aggregates(TEST_ZONE)
    )
    orders += await _compare(
        db, _windows(shops, rng), set(ORDER_BASES), (FactFilter(),), SHOP_DAYS_READY
    )
    orders += await _compare(
        db, _windows(shops, rng), set(ORDER_BASES), ENTRY_SLICES, SLICE_DAYS_READY
    )
    ready = Aggregates(member_activity=True)
    members = await _compare(db, _windows(shops, rng), set(MEMBER_BASES), MEMBER_SLICES, ready)
    steps = await _compare(db, _windows(shops, rng), STEP_BASES, (FactFilter(),), STEPS_READY)
    events = await _compare(
        db, _windows(shops, rng), set(EVENT_BASES), EVENT_SLICES, EVENT_DAYS_READY
    )
    assert events > 100
    assert orders > 100
    assert members > 100
    assert steps > 20


EVENT_DAY_ROWS_SQL = "SELECT * FROM event_days ORDER BY shop_id, slice_key, day, user_id"
REBUILD_EVENT_DAYS_SQL = "SELECT build_event_days(array_agg(shop_id)) FROM shops"
MEMBER_ACTIVITY_ROWS_SQL = "SELECT * FROM member_activity ORDER BY shop_id, user_id, joined_at"
REBUILD_MEMBER_ACTIVITY_SQL = """
DELETE FROM member_activity;
SELECT refresh_member_activity(array_agg(shop_id), array_agg(user_id))
FROM (SELECT DISTINCT shop_id, user_id FROM members) AS pairs;
"""


async def _assert_kept_equal_a_rebuild(db: asyncpg.Pool, rows_sql: str, rebuild_sql: str) -> int:
    """The rows ``rows_sql`` reads equal those it reads after ``rebuild_sql`` rebuilt them
    from the facts (rolled back); the rows compared."""
    async with db.acquire() as connection:
        transaction = connection.transaction()
        await transaction.start()
        try:
            kept = await connection.fetch(rows_sql)
            await connection.execute(rebuild_sql)
            assert [dict(row) for row in await connection.fetch(rows_sql)] == [
                dict(row) for row in kept
            ]
        finally:
            await transaction.rollback()
    return len(kept)


async def _assert_event_days_equal_a_rebuild(db: asyncpg.Pool) -> int:
    return await _assert_kept_equal_a_rebuild(db, EVENT_DAY_ROWS_SQL, REBUILD_EVENT_DAYS_SQL)


async def _assert_member_activity_equals_a_rebuild(db: asyncpg.Pool) -> int:
    return await _assert_kept_equal_a_rebuild(
        db, MEMBER_ACTIVITY_ROWS_SQL, REBUILD_MEMBER_ACTIVITY_SQL
    )


@pytest.mark.parametrize("seed", [13, 14])
async def test_the_event_days_and_member_activity_kept_equal_a_rebuild(
    db: asyncpg.Pool, tmp_path: Path, seed: int
) -> None:
    # events and orders of every day in each batch, batches in random order: a pair's
    # event days are rewritten from days before, between and after those stored, and
    # its stints gain instants before, between and after those stored
    _, batches = _demo_batches(tmp_path, seed, shops=4, counts=(4, 6))
    rows = stints = 0
    for batch in batches:
        assert (await load_paths(db, [batch], zone=ZONE)).committed
        rows += await _assert_event_days_equal_a_rebuild(db)
        stints += await _assert_member_activity_equals_a_rebuild(db)
    # events moved and removed rewrite every day of their pairs; orders moved and removed
    # rewrite their pairs from the first order day changed
    await db.execute(MOVE_AND_REMOVE_SQL)
    rows += await _assert_event_days_equal_a_rebuild(db)
    stints += await _assert_member_activity_equals_a_rebuild(db)
    assert rows > 1000
    assert stints > 100


HAND_FACTS_SQL = """
INSERT INTO users (user_id) VALUES ('v1');
INSERT INTO products (product_id, shop_id, name, category, price) VALUES ('p1', 's1', 'P', 'c', 9);
INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount, paid_at,
                    carrier, traffic_type)
VALUES ('o1', 's1', 'v1', 'p1', 1, 9, '2026-03-01 10:00+08', 'live', 'organic');
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at, product_id, carrier)
VALUES ('e1', 's1', 'v1', 'product_click', '2026-03-02 10:00+08', 'p1', 'live');
"""
CARD_CLICK_SQL = """
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at, product_id, carrier)
VALUES ('e2', 's1', 'v1', 'product_click', '2026-03-05 10:00+08', 'p1', 'product_card')
"""
LOST_CHAIN_SQL = """
SELECT slice_key, day, cob_prev, lost_buy_prev
FROM event_days
WHERE shop_id = 's1' AND user_id = 'v1' AND day = '2026-03-01'
ORDER BY slice_key
"""


async def test_a_first_card_click_after_other_clicks_rewrites_the_days_before_it(
    shops: asyncpg.Pool,
) -> None:
    # v1 ordered on 03-01 and clicked a live product on 03-02: the lost users' chain is
    # not kept (no card click). A card click on 03-05 (no entry: the slice of all events
    # only) keeps it on every day of the slice: the order day before it holds it too.
    await shops.execute(HAND_FACTS_SQL)
    assert [tuple(row) for row in await shops.fetch(LOST_CHAIN_SQL)] == [
        ("", date(2026, 3, 1), None, None)
    ]
    await shops.execute(CARD_CLICK_SQL)
    none_before = date.min  # -infinity, as asyncpg reads it
    assert [tuple(row) for row in await shops.fetch(LOST_CHAIN_SQL)] == [
        ("", date(2026, 3, 1), none_before, none_before)
    ]
    assert await _assert_event_days_equal_a_rebuild(shops) == 3


async def test_the_order_slice_days_follow_truncated_stints_follows_and_orders(
    db: asyncpg.Pool, tmp_path: Path
) -> None:
    write_demo_data(tmp_path / "demo", shops=3, days=DAYS, seed=31, end=END)
    assert (await load_paths(db, [tmp_path / "demo"], zone=ZONE)).committed
    shops = [row["shop_id"] for row in await db.fetch("SELECT shop_id FROM shops")]
    windows = _windows(shops, random.Random(31))
    member_sums = {"member_gmv", "member_orders", "fan_gmv", "member_buyers"}
    before = await read_bases(db, windows=windows, bases=member_sums, facts=ENTRY_SLICES[0])
    assert any(values.get("member_gmv") for values in before.values())
    # every order's member and fan flags change: the pairs are recomputed
    await db.execute("TRUNCATE members, fans")
    assert await _compare(db, windows, member_sums, ENTRY_SLICES, SLICE_DAYS_READY) > 10
    kept = await db.fetchval("SELECT sum(member_gmv) FROM shop_order_slice_days")
    assert kept == 0
    await db.execute("TRUNCATE orders")
    assert await db.fetchval("SELECT count(*) FROM order_slice_days") == 0
    assert await db.fetchval("SELECT count(*) FROM shop_order_slice_days") == 0


async def test_a_reading_after_a_rebuild_began_fails_rather_than_read_its_rows(
    db: asyncpg.Pool,
) -> None:
    midnight = datetime(2026, 6, 1, tzinfo=ZONE)
    windows = [Window(0, "s01", midnight, midnight + timedelta(days=7))]
    ready = Aggregates(TEST_ZONE, True, TEST_ZONE, TEST_ZONE, TEST_ZONE, TEST_ZONE)
    kept = CachedAt(FigureCache(0), 0, ready)
    await db.execute(READY_SQL.format(ready="false"))
    try:
        for bases, facts in (
            ({"gmv"}, FactFilter()),
            ({"active_members"}, FactFilter()),
            ({"quality_members"}, FactFilter()),
            ({"lost_users"}, FactFilter()),
            ({"card_gmv"}, FactFilter(Dimension.ENTRY)),
        ):
            with pytest.raises(
                asyncpg.ObjectNotInPrerequisiteStateError, match="rebuilt"
            ) as raised:
                await read_bases(db, windows=windows, bases=bases, facts=facts, cached=kept)
            # the field answers UNAVAILABLE, to be asked again, not INTERNAL
            error = GraphQLError("x", original_error=raised.value)
            coded = classify(error, request_id="r", key_id="k", statement_seconds=10)
            assert coded.extensions == {"code": "UNAVAILABLE"}
            assert coded.message == "figures are being rebuilt; retry later"
    finally:
        await db.execute(READY_SQL.format(ready="true"))

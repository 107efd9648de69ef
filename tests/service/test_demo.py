"""The demo dataset: deterministic, in the §1 format, and obeying every loader rule."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from service.demo import DEFAULT_SHOPS, make_shops, write_demo_data
from service.load import load_paths
from vocabulary import (
    AGE_BANDS,
    BENEFIT_KINDS,
    CARRIERS,
    CROWDS,
    ENTRIES,
    EVENT_TYPES,
    GENDERS,
    JOIN_CHANNELS,
    REACH_CHANNELS,
    TRAFFIC_TYPES,
    UNKNOWN,
)

END = date(2026, 11, 20)

# The columns of every file, as the specification lists them.
COLUMNS = {
    "shops": ["shop_id", "name", "industry", "tier", "opened_at"],
    "users": ["user_id", "gender", "age_band", "province", "crowd"],
    "products": ["product_id", "shop_id", "name", "category", "price", "listed_at"],
    "creators": ["creator_id", "name"],
    "members": ["shop_id", "user_id", "joined_at", "join_channel", "left_at"],
    "fans": ["shop_id", "user_id", "followed_at", "unfollowed_at"],
    "orders": [
        "order_id", "shop_id", "user_id", "product_id", "quantity", "amount", "paid_at",
        "carrier", "traffic_type", "entry", "creator_id", "benefit_id", "refund_amount",
        "refunded_at",
    ],
    "events": [
        "event_id", "shop_id", "user_id", "type", "occurred_at", "product_id", "carrier",
        "entry", "benefit_id",
    ],
    "benefits": ["benefit_id", "shop_id", "kind", "name", "online_from", "online_to"],
    "campaigns": ["campaign_id", "shop_id", "channel", "name", "cost"],
    "reach": ["campaign_id", "user_id", "sent_at"],
}  # fmt: skip
REQUIRED = {
    "shops": ["shop_id", "name", "industry", "tier"],
    "users": ["user_id"],
    "products": ["product_id", "shop_id", "name", "category", "price"],
    "creators": ["creator_id", "name"],
    "members": ["shop_id", "user_id", "joined_at", "join_channel"],
    "fans": ["shop_id", "user_id", "followed_at"],
    "orders": COLUMNS["orders"][:9],
    "events": COLUMNS["events"][:5],
    "benefits": ["benefit_id", "shop_id", "kind", "name", "online_from"],
    "campaigns": ["campaign_id", "shop_id", "channel", "name"],
    "reach": ["campaign_id", "user_id", "sent_at"],
}
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
MONEY = re.compile(r"(0|[1-9]\d*)\.\d{2}")

Rows = dict[str, list[dict[str, str]]]


def read(folder: Path) -> Rows:
    """Every file of a dataset as dicts, checking the header on the way."""
    rows: Rows = {}
    for name, columns in COLUMNS.items():
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == columns, name
            rows[name] = list(reader)
    return rows


def generate(folder: Path, *, seed: int = 3) -> dict[str, int]:
    """A small dataset: 8 shops over the 40 days up to 2026-11-20, Double 11 included."""
    return write_demo_data(folder, shops=8, days=40, seed=seed, end=END)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("demo")
    return folder, generate(folder)


@pytest.fixture(scope="module")
def rows(small: tuple[Path, dict[str, int]]) -> Rows:
    return read(small[0])


def by_id(table: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in table}


def test_same_arguments_write_identical_files(
    small: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    again = generate(tmp_path / "again")
    other = generate(tmp_path / "other", seed=4)
    assert again == small[1]
    for name in COLUMNS:
        first = (small[0] / f"{name}.csv").read_bytes()
        assert (tmp_path / "again" / f"{name}.csv").read_bytes() == first, name
    assert (tmp_path / "other" / "orders.csv").read_bytes() != (
        small[0] / "orders.csv"
    ).read_bytes()
    assert other != small[1]


def test_counts_match_rows_and_every_file_has_rows(
    small: tuple[Path, dict[str, int]], rows: Rows
) -> None:
    assert list(small[1]) == list(COLUMNS)
    for name, count in small[1].items():
        assert count == len(rows[name]) > 0, name


def test_required_cells_are_filled_and_formats_hold(rows: Rows) -> None:
    for name, required in REQUIRED.items():
        for row in rows[name]:
            assert all(row[column] for column in required), (name, row)
            for column, value in row.items():
                assert value == value.strip(), (name, column, value)
                if column.endswith("_id"):
                    assert len(value) <= 64, (name, column, value)
                if column.endswith("_at") or column in ("online_from", "online_to"):
                    assert value == "" or TIMESTAMP.fullmatch(value), (name, column, value)
                if column in ("price", "amount", "refund_amount", "cost"):
                    assert value == "" or MONEY.fullmatch(value), (name, column, value)


def test_ids_are_unique_across_shops(rows: Rows) -> None:
    for name, key in (
        ("shops", "shop_id"),
        ("users", "user_id"),
        ("products", "product_id"),
        ("creators", "creator_id"),
        ("orders", "order_id"),
        ("events", "event_id"),
        ("benefits", "benefit_id"),
        ("campaigns", "campaign_id"),
    ):
        ids = [row[key] for row in rows[name]]
        assert len(ids) == len(set(ids)), name
    sends = [(row["campaign_id"], row["user_id"], row["sent_at"]) for row in rows["reach"]]
    assert len(sends) == len(set(sends))


def test_codes_come_from_the_vocabulary(rows: Rows) -> None:
    for user in rows["users"]:
        assert user["gender"] in (*GENDERS, UNKNOWN, "")
        assert user["age_band"] in (*AGE_BANDS, UNKNOWN, "")
        assert user["crowd"] in (*CROWDS, UNKNOWN, "")
    assert {shop["industry"] for shop in rows["shops"]} <= {"apparel", "beauty", "food", "pets"}
    assert all(1 <= int(shop["tier"]) <= 7 for shop in rows["shops"])
    assert all(row["join_channel"] in JOIN_CHANNELS for row in rows["members"])
    assert all(row["kind"] in BENEFIT_KINDS for row in rows["benefits"])
    assert all(row["channel"] in REACH_CHANNELS for row in rows["campaigns"])
    assert all(row["type"] in EVENT_TYPES for row in rows["events"])
    for order in rows["orders"]:
        assert order["carrier"] in CARRIERS
        assert order["traffic_type"] in TRAFFIC_TYPES
        assert int(order["quantity"]) > 0


def test_references_resolve_within_the_shop(rows: Rows) -> None:
    shops = by_id(rows["shops"], "shop_id")
    users = by_id(rows["users"], "user_id")
    products = by_id(rows["products"], "product_id")
    benefits = by_id(rows["benefits"], "benefit_id")
    campaigns = by_id(rows["campaigns"], "campaign_id")
    creators = by_id(rows["creators"], "creator_id")
    for name in ("products", "members", "fans", "orders", "events", "benefits", "campaigns"):
        assert all(row["shop_id"] in shops for row in rows[name]), name
    for name in ("members", "fans", "orders", "events", "reach"):
        assert all(row["user_id"] in users for row in rows[name]), name
    for row in rows["orders"] + rows["events"]:
        if row["product_id"]:
            assert products[row["product_id"]]["shop_id"] == row["shop_id"]
        if row["benefit_id"]:
            assert benefits[row["benefit_id"]]["shop_id"] == row["shop_id"]
    assert all(row["creator_id"] in creators for row in rows["orders"] if row["creator_id"])
    assert all(row["campaign_id"] in campaigns for row in rows["reach"])


def test_refunds_stay_within_the_order(rows: Rows) -> None:
    refunds = [row for row in rows["orders"] if row["refund_amount"]]
    assert refunds
    for order in refunds:
        assert 0 < float(order["refund_amount"]) <= float(order["amount"])
        assert order["refunded_at"] >= order["paid_at"]
    assert all(bool(row["refund_amount"]) == bool(row["refunded_at"]) for row in rows["orders"])


def test_entry_only_on_product_card_orders_and_card_traffic_events(rows: Rows) -> None:
    for order in rows["orders"]:
        if order["carrier"] == "product_card":
            assert order["entry"] in ENTRIES
        else:
            assert order["entry"] == ""
    for event in rows["events"]:
        traffic = event["type"] in ("product_impression", "product_click")
        if traffic:
            assert event["product_id"] and event["carrier"] in CARRIERS
        if traffic and event["carrier"] == "product_card":
            assert event["entry"] in ENTRIES
        else:
            assert event["entry"] == ""
        assert bool(event["benefit_id"]) == (event["type"] == "benefit_claim")


def test_stints_never_overlap(rows: Rows) -> None:
    for name, start, stop in (
        ("members", "joined_at", "left_at"),
        ("fans", "followed_at", "unfollowed_at"),
    ):
        stints: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for row in rows[name]:
            assert not row[stop] or row[stop] >= row[start]
            stints[row["shop_id"], row["user_id"]].append((row[start], row[stop]))
        for spans in stints.values():
            spans.sort()
            for (_, ended), (began, _) in pairwise(spans):
                assert ended and began >= ended, (name, spans)


def test_nothing_happens_after_the_last_day(rows: Rows) -> None:
    last = f"{END} 23:59:59"
    for name in ("members", "fans", "orders", "events", "reach"):
        for row in rows[name]:
            assert all(value <= last for key, value in row.items() if key.endswith("_at"))


def test_the_data_has_the_variety_dashboards_show(rows: Rows) -> None:
    orders, events = rows["orders"], rows["events"]
    assert {row["carrier"] for row in orders} == set(CARRIERS)
    assert {row["traffic_type"] for row in orders} == set(TRAFFIC_TYPES)
    types = Counter(row["type"] for row in events)
    assert set(types) == set(EVENT_TYPES)
    assert types["product_impression"] > 3 * types["product_click"] > 3 * len(orders)
    assert any(row["creator_id"] for row in orders)
    assert any(row["benefit_id"] for row in orders)
    assert any(row["left_at"] for row in rows["members"])
    assert len({row["crowd"] for row in rows["users"]} - {"", UNKNOWN}) == len(CROWDS)
    assert {"", UNKNOWN} <= {row["gender"] for row in rows["users"]}
    shops_by_user: defaultdict[str, set[str]] = defaultdict(set)
    for row in events:
        shops_by_user[row["user_id"]].add(row["shop_id"])
    assert any(len(shops) > 1 for shops in shops_by_user.values())


def test_members_buy_more_often_than_other_buyers(rows: Rows) -> None:
    stints: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in rows["members"]:
        stints[row["shop_id"], row["user_id"]].append((row["joined_at"], row["left_at"] or "~"))
    orders: dict[bool, Counter[tuple[str, str]]] = {True: Counter(), False: Counter()}
    for row in rows["orders"]:
        buyer = (row["shop_id"], row["user_id"])
        member = any(joined <= row["paid_at"] < left for joined, left in stints[buyer])
        orders[member][buyer] += 1
    per_buyer = {kind: counts.total() / len(counts) for kind, counts in orders.items()}
    assert per_buyer[True] > per_buyer[False]


def test_double_11_outsells_an_ordinary_day(rows: Rows) -> None:
    per_day = Counter(row["paid_at"][:10] for row in rows["orders"])
    ordinary = sorted(per_day.values())[len(per_day) // 2]
    assert per_day["2026-11-11"] > 2 * ordinary


def test_default_shops_have_big_peer_groups_and_one_below_the_floor() -> None:
    groups = Counter((shop.industry, shop.tier) for shop in make_shops(DEFAULT_SHOPS, 7))
    assert max(groups.values()) >= 6
    assert 4 in groups.values()
    assert {tier for _, tier in groups} == set(range(1, 8))


def test_few_shops_still_mix_industries() -> None:
    shops = make_shops(8, 7)
    assert {shop.industry for shop in shops} == {"apparel", "beauty", "food", "pets"}
    assert len({shop.name for shop in shops}) == 8


def test_cli_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli.main import main

    argv = ["demo-data", str(tmp_path), "--shops", "8", "--days", "40", "--seed", "3"]
    assert main([*argv, "--end", "2026-11-20"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(COLUMNS) + 1 and printed[-1].startswith("total")
    assert sorted(path.stem for path in tmp_path.iterdir()) == sorted(COLUMNS)
    assert read(tmp_path)["shops"][0]["shop_id"] == "s01"


async def test_the_loader_takes_every_row(db: asyncpg.Pool, tmp_path: Path) -> None:
    counts = generate(tmp_path)
    report = await load_paths(db, [tmp_path], zone=ZoneInfo("Asia/Shanghai"))
    assert report.rejects == []
    assert report.committed
    assert {result.file: result.inserted for result in report.files} == {
        f"{name}.csv": count for name, count in counts.items()
    }
    assert await db.fetchval("SELECT count(*) FROM events") == counts["events"]

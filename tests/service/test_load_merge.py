"""What a load writes: upserts and their counts, one transaction, times and ids as given.

The base dataset in fixtures/load/base has 27 rows over the 11 files (see
test_load_rejects.py for its contents).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from service.load import FILE_ORDER, load_paths, progress
from tests.service.load_base import BASE, BASE_COUNTS, TABLES

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE_ROWS = {f"{table}.csv": rows for table, rows in BASE_COUNTS.items()}
ORDERS = (
    "order_id,shop_id,user_id,product_id,quantity,amount,paid_at,carrier,traffic_type,"
    "entry,creator_id,benefit_id,refund_amount,refunded_at"
)


async def snapshot(pool: asyncpg.Pool) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every data table, sorted."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    for table in TABLES:
        records = await pool.fetch(f"SELECT * FROM {table}")
        tables[table] = sorted((tuple(record) for record in records), key=repr)
    return tables


def copy_base(folder: Path) -> Path:
    shutil.copytree(BASE, folder)
    return folder


async def test_a_folder_loads_every_file_in_dependency_order(db: asyncpg.Pool) -> None:
    report = await load_paths(db, [BASE], zone=SHANGHAI)
    assert report.committed
    assert report.rejects == []
    assert [result.file for result in report.files] == list(FILE_ORDER)
    assert {result.file: result.inserted for result in report.files} == BASE_ROWS
    tables = await snapshot(db)
    assert {table: len(rows) for table, rows in tables.items()} == {
        file.removesuffix(".csv"): rows for file, rows in BASE_ROWS.items()
    }


async def test_loading_the_same_files_twice_changes_nothing(db: asyncpg.Pool) -> None:
    await load_paths(db, [BASE], zone=SHANGHAI)
    before = await snapshot(db)
    report = await load_paths(db, [BASE], zone=SHANGHAI)
    assert [(r.file, r.read, r.inserted, r.updated, r.unchanged) for r in report.files] == [
        (file, rows, 0, 0, rows) for file, rows in BASE_ROWS.items()
    ]
    assert await snapshot(db) == before


async def test_a_changed_row_counts_as_updated(db: asyncpg.Pool, tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "data")
    await load_paths(db, [folder], zone=SHANGHAI)
    (folder / "products.csv").write_text(
        "product_id,shop_id,name,category,price,listed_at\n"
        "P1,S1,Tee,tops,89.90,2025-12-01\n"
        "P2,S2,Cream,skin,129.00,\n"
        "P3,S2,Mask,skin,9.9,\n",
        encoding="utf-8",
    )
    report = await load_paths(db, [folder / "products.csv"], zone=SHANGHAI)
    (result,) = report.files
    # 129 and 129.00 are the same amount, so P2 is unchanged.
    assert (result.read, result.inserted, result.updated, result.unchanged) == (3, 1, 1, 1)
    prices = await db.fetch("SELECT product_id, price FROM products ORDER BY product_id")
    assert [tuple(row) for row in prices] == [
        ("P1", Decimal("89.90")),
        ("P2", Decimal("129.00")),
        ("P3", Decimal("9.90")),
    ]


async def test_one_bad_file_loads_nothing_anywhere(db: asyncpg.Pool, tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "data")
    with (folder / "orders.csv").open("a", encoding="utf-8") as orders:
        orders.write("O4,S1,U1,P1,1,10.001,2026-03-05,live,organic,,,,,\n")
        orders.write("O5,S1,U1,P9,1,10.00,2026-03-05,live,organic,,,,,\n")
    report = await load_paths(db, [folder], zone=SHANGHAI)
    assert not report.committed
    assert [str(reject) for reject in report.rejects] == [
        "orders.csv:5: amount: more than 2 decimals",
        "orders.csv:6: product_id: unknown product",
    ]
    # Later files were still checked against the good rows of the earlier ones.
    assert [result.rejected for result in report.files] == [0] * 8 + [2, 0, 0]
    assert await snapshot(db) == {table: [] for table in TABLES}


async def test_skipping_bad_rows_loads_the_good_ones(db: asyncpg.Pool, tmp_path: Path) -> None:
    folder = copy_base(tmp_path / "data")
    (folder / "products.csv").write_text(
        "product_id,shop_id,name,category,price\nP1,S1,Tee,tops,99.90\nP2,S9,Cream,skin,129\n",
        encoding="utf-8",
    )
    report = await load_paths(db, [folder], zone=SHANGHAI, skip_bad_rows=True)
    assert report.committed
    # P2 never loaded, so the order and the event naming it are rejected too.
    assert [str(reject) for reject in report.rejects] == [
        "products.csv:3: shop_id: unknown shop",
        "orders.csv:4: product_id: unknown product",
    ]
    assert report.rejects[0].row == ("P2", "S9", "Cream", "skin", "129")
    assert await db.fetchval("SELECT count(*) FROM products") == 1
    assert await db.fetchval("SELECT count(*) FROM orders") == 2
    assert await db.fetchval("SELECT count(*) FROM events") == 4


async def test_naive_times_are_business_time_and_offsets_are_honoured(
    db: asyncpg.Pool, tmp_path: Path
) -> None:
    await load_paths(
        db, [BASE / "shops.csv", BASE / "users.csv", BASE / "products.csv"], zone=SHANGHAI
    )
    path = tmp_path / "orders.csv"
    path.write_text(
        f"{ORDERS}\n"
        "T1,S1,U1,P1,1,1,2026-03-01 00:30,live,organic,,,,,\n"
        "T2,S1,U1,P1,1,1,2026-02-28T23:30:00+00:00,live,organic,,,,,\n"
        "T3,S1,U1,P1,1,1,2026-03-01,live,organic,,,,,\n",
        encoding="utf-8",
    )
    await load_paths(db, [path], zone=SHANGHAI)
    rows = await db.fetch(
        "SELECT order_id, paid_at, (paid_at AT TIME ZONE 'Asia/Shanghai')::date AS day"
        " FROM orders ORDER BY order_id"
    )
    assert [tuple(row) for row in rows] == [
        ("T1", datetime(2026, 2, 28, 16, 30, tzinfo=UTC), datetime(2026, 3, 1).date()),
        ("T2", datetime(2026, 2, 28, 23, 30, tzinfo=UTC), datetime(2026, 3, 1).date()),
        ("T3", datetime(2026, 2, 28, 16, 0, tzinfo=UTC), datetime(2026, 3, 1).date()),
    ]


async def test_ids_with_quotes_commas_and_sql_are_stored_and_matched_literally(
    db: asyncpg.Pool, tmp_path: Path
) -> None:
    await load_paths(db, [BASE / "shops.csv"], zone=SHANGHAI)
    odd_user, odd_product, odd_order = 'U"1', "P,1;", "'; DROP TABLE orders; --"
    (tmp_path / "users.csv").write_text('user_id\n"U""1"\n', encoding="utf-8")
    (tmp_path / "products.csv").write_text(
        'product_id,shop_id,name,category,price\n"P,1;",S1,"Tee, ""cotton""",tops,1\n',
        encoding="utf-8",
    )
    (tmp_path / "orders.csv").write_text(
        f'{ORDERS}\n"\'; DROP TABLE orders; --",S1,"U""1","P,1;",1,1,2026-03-01,live,paid,,,,,\n',
        encoding="utf-8",
    )
    report = await load_paths(db, [tmp_path], zone=SHANGHAI)
    assert report.rejects == []
    row = await db.fetchrow("SELECT order_id, user_id, product_id FROM orders")
    assert tuple(row) == (odd_order, odd_user, odd_product)
    assert await db.fetchval("SELECT name FROM products") == 'Tee, "cotton"'
    # Loaded again, every odd id matches its stored row.
    again = await load_paths(db, [tmp_path], zone=SHANGHAI)
    assert [result.unchanged for result in again.files] == [1, 1, 1]


async def test_unknown_user_attributes_are_null(db: asyncpg.Pool) -> None:
    await load_paths(db, [BASE / "users.csv"], zone=SHANGHAI)
    rows = await db.fetch("SELECT * FROM users ORDER BY user_id")
    assert [tuple(row) for row in rows] == [
        ("U1", "female", "24-30", "浙江", "gen_z"),
        ("U2", "male", None, None, None),
        ("U3", None, None, None, None),
    ]


async def test_reach_rows_take_the_shop_of_their_campaign(db: asyncpg.Pool) -> None:
    await load_paths(db, [BASE], zone=SHANGHAI)
    rows = await db.fetch("SELECT campaign_id, user_id, shop_id FROM reach ORDER BY 1, 2")
    assert [tuple(row) for row in rows] == [
        ("K1", "U1", "S1"),
        ("K1", "U2", "S1"),
        ("K2", "U2", "S2"),
    ]


async def test_a_stint_reloaded_with_an_end_is_updated(db: asyncpg.Pool, tmp_path: Path) -> None:
    await load_paths(db, [BASE], zone=SHANGHAI)
    path = tmp_path / "members.csv"
    path.write_text(
        "shop_id,user_id,joined_at,join_channel,left_at\n"
        "S1,U1,2026-02-10,shop_page,2026-03-01\n"
        "S1,U1,2026-03-05,live,\n",
        encoding="utf-8",
    )
    report = await load_paths(db, [path], zone=SHANGHAI)
    (result,) = report.files
    assert (result.inserted, result.updated, result.rejected) == (1, 1, 0)
    spans = await db.fetch(
        "SELECT joined_at::date, left_at::date FROM members WHERE user_id = 'U1' ORDER BY 1"
    )
    assert [tuple(span) for span in spans] == [
        (datetime(2026, 1, 1).date(), datetime(2026, 2, 1).date()),
        (datetime(2026, 2, 10).date(), datetime(2026, 3, 1).date()),
        (datetime(2026, 3, 5).date(), None),
    ]


async def test_a_bom_and_any_column_order_are_accepted(db: asyncpg.Pool, tmp_path: Path) -> None:
    path = tmp_path / "shops.csv"
    path.write_text("\ufefftier,industry,shop_id,name\n4,pets,S7,Seven\n", encoding="utf-8")
    report = await load_paths(db, [path], zone=SHANGHAI)
    assert report.rejects == []
    row = await db.fetchrow("SELECT * FROM shops")
    assert tuple(row) == ("S7", "Seven", "pets", 4, None)


async def test_large_files_show_a_progress_bar(
    db: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress, "PROGRESS_MIN_ROWS", 2)
    await load_paths(db, [BASE / "shops.csv", BASE / "users.csv"], zone=SHANGHAI, progress=True)
    err = capsys.readouterr().err
    # users.csv has 3 rows, above the lowered threshold; shops.csv has 2, not above it.
    assert "users.csv: merging" in err
    assert "shops.csv" not in err

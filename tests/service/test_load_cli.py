"""``memberlens load`` end to end, against the test database."""

from __future__ import annotations

import asyncio
import csv
import shutil
from pathlib import Path

import asyncpg
import pytest

from service.cli.main import main
from tests.service.load_base import BAD_ORDERS, BASE, BASE_COUNTS, TABLES


@pytest.fixture
def database(db: asyncpg.Pool, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An emptied test database that ``Settings`` finds through ``DATABASE_URL``."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MEMBERLENS_TIMEZONE", "Asia/Shanghai")
    return database_url


def row_counts(url: str) -> dict[str, int]:
    async def count() -> dict[str, int]:
        connection = await asyncpg.connect(url)
        try:
            return {
                table: await connection.fetchval(f"SELECT count(*) FROM {table}")
                for table in TABLES
            }
        finally:
            await connection.close()

    return asyncio.run(count())


def with_bad_orders(folder: Path) -> Path:
    """The base dataset whose orders.csv has two bad rows, at lines 5 and 6."""
    shutil.copytree(BASE, folder)
    with (folder / "orders.csv").open("a", encoding="utf-8") as orders:
        orders.write(BAD_ORDERS)
    return folder


def test_a_folder_of_valid_files_loads(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(BASE)]) == 0
    out, err = capsys.readouterr()
    assert "orders.csv" in out and "rows/s" in out
    assert "nothing loaded" not in err
    assert row_counts(database) == BASE_COUNTS


def test_bad_rows_are_listed_and_nothing_is_loaded(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = with_bad_orders(tmp_path / "data")
    assert main(["load", str(folder)]) == 1
    _, err = capsys.readouterr()
    assert err.splitlines()[-3:] == [
        "orders.csv:5: amount: negative amount",
        "orders.csv:6: user_id: unknown user",
        "nothing loaded: 2 rows rejected",
    ]
    assert set(row_counts(database).values()) == {0}


def test_skipping_bad_rows_writes_them_to_the_rejects_file(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = with_bad_orders(tmp_path / "data")
    rejects = tmp_path / "rejects.csv"
    assert main(["load", str(folder), "--skip-bad-rows", "--rejects", str(rejects)]) == 0
    out, _ = capsys.readouterr()
    assert f"skipped 2 bad rows (listed in {rejects})" in out
    with rejects.open(encoding="utf-8", newline="") as stream:
        assert list(csv.reader(stream)) == [
            ["file", "line", "column", "reason", "row"],
            [
                "orders.csv",
                "5",
                "amount",
                "negative amount",
                "O4,S1,U1,P1,1,-5,2026-03-05,live,organic,,,,,",
            ],
            [
                "orders.csv",
                "6",
                "user_id",
                "unknown user",
                "O5,S1,U9,P1,1,5.00,2026-03-05,live,organic,,,,,",
            ],
        ]
    assert row_counts(database)["orders"] == 3


def test_the_printed_rejects_stop_at_200(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "users.csv"
    path.write_text("user_id,gender\n" + "".join(f"U{n},x\n" for n in range(205)), "utf-8")
    rejects = tmp_path / "rejects.csv"
    assert main(["load", str(path), "--rejects", str(rejects)]) == 1
    _, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.startswith("users.csv:")]
    assert len(lines) == 200
    assert f"... and 5 more (all in {rejects})" in err.splitlines()
    assert len(rejects.read_text("utf-8").splitlines()) == 206


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--skip-bad-rows"], "memberlens load: --skip-bad-rows needs --rejects FILE"),
        (["{tmp}/notes.csv"], "memberlens load: {tmp}/notes.csv: not an interchange file"),
        (["{tmp}/gone"], "memberlens load: {tmp}/gone: no such file or folder"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "notes.csv").write_text("x\n", encoding="utf-8")
    args = [arg.format(tmp=tmp_path) for arg in argv]
    assert (
        main(["load", str(BASE), *args] if argv[0] == "--skip-bad-rows" else ["load", *args]) == 2
    )
    _, err = capsys.readouterr()
    assert err.startswith(message.format(tmp=tmp_path))

"""Which files a load takes, in which order, and how the CSV text is read (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.load import FILE_ORDER, LoadPathError, Reject, discover_files
from service.load.entities import ENTITIES
from service.load.reader import Row, read_rows


def touch(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in names]
    for path in paths:
        path.write_text("x\n", encoding="utf-8")
    return paths


def test_every_file_has_an_entity_in_dependency_order() -> None:
    assert tuple(ENTITIES) == FILE_ORDER


def test_files_are_loaded_in_dependency_order(tmp_path: Path) -> None:
    reach, orders, shops = touch(tmp_path, "reach.csv", "orders.csv", "shops.csv")
    assert discover_files([reach, orders, shops]) == [shops, orders, reach]


def test_a_folder_is_searched_for_the_known_names_only(tmp_path: Path) -> None:
    touch(tmp_path, "users.csv", "shops.csv", "notes.csv", "README.md")
    touch(tmp_path / "nested", "orders.csv")
    assert discover_files([tmp_path]) == [tmp_path / "shops.csv", tmp_path / "users.csv"]


def test_a_file_named_twice_is_loaded_once(tmp_path: Path) -> None:
    (shops,) = touch(tmp_path, "shops.csv")
    assert discover_files([shops, tmp_path]) == [shops]


def test_same_named_files_keep_argument_order(tmp_path: Path) -> None:
    (first,) = touch(tmp_path / "a", "orders.csv")
    (second,) = touch(tmp_path / "b", "orders.csv")
    (shops,) = touch(tmp_path / "b", "shops.csv")
    assert discover_files([second, first, shops]) == [shops, second, first]


def test_an_unknown_file_name_is_an_error_naming_it(tmp_path: Path) -> None:
    (notes,) = touch(tmp_path, "notes.csv")
    with pytest.raises(LoadPathError, match=r"notes\.csv: not an interchange file"):
        discover_files([notes])


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LoadPathError, match="no such file or folder"):
        discover_files([tmp_path / "gone.csv"])


def test_a_folder_without_interchange_files_is_an_error(tmp_path: Path) -> None:
    touch(tmp_path, "notes.csv")
    with pytest.raises(LoadPathError, match=r"folder holds none of shops\.csv"):
        discover_files([tmp_path])


def rows_of(tmp_path: Path, data: bytes) -> list[Row]:
    path = tmp_path / "shops.csv"
    path.write_bytes(data)
    return list(read_rows(path))


def test_rows_carry_the_physical_line_they_start_on(tmp_path: Path) -> None:
    data = b'a,b\r\n1,"two\r\nlines"\r\n\r\n3,4\r\n'
    assert rows_of(tmp_path, data) == [
        Row(1, ["a", "b"]),
        Row(2, ["1", "two\r\nlines"]),
        Row(5, ["3", "4"]),
    ]


def test_a_bom_is_dropped(tmp_path: Path) -> None:
    assert rows_of(tmp_path, b"\xef\xbb\xbfa,b\n1,2\n")[0] == Row(1, ["a", "b"])


def test_bytes_that_are_not_utf8_are_pinned_to_their_row(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, "a,b\n1,浙江\n".encode() + b"2,\xff\n3,x\n")
    assert [(row.line, row.problem) for row in rows] == [
        (1, None),
        (2, None),
        (3, "not valid UTF-8"),
        (4, None),
    ]


def test_malformed_quoting_is_a_problem_of_its_row(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, b'a,b\n1,"x"y\n2,z\n')
    assert rows == [
        Row(1, ["a", "b"]),
        Row(2, [], "malformed CSV: ',' expected after '\"'"),
        Row(3, ["2", "z"]),
    ]


def test_a_reject_keeps_its_raw_row_as_csv_text() -> None:
    reject = Reject("orders.csv", 7, "-", "overlaps the stint at line 3", ("O,1", 'say "hi"', ""))
    assert str(reject) == "orders.csv:7: -: overlaps the stint at line 3"
    assert reject.row_text == '"O,1","say ""hi""",'

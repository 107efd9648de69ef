"""Cell rules of the interchange files, one parser at a time (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from service.load.cells import (
    CellError,
    Parser,
    attribute_parser,
    code_parser,
    parse_id,
    parse_money,
    parse_quantity,
    parse_text,
    parse_tier,
    parse_timestamp,
)
from vocabulary import CARRIERS, GENDERS

SHANGHAI = ZoneInfo("Asia/Shanghai")


def rejected(parse: Parser, cell: str) -> str:
    with pytest.raises(CellError) as caught:
        parse(cell, SHANGHAI)
    return str(caught.value)


@pytest.mark.parametrize(
    "cell",
    ['O"1', "O,2", "O;3", "'; DROP TABLE orders; --", "订单-1", "a b", "x" * 64],
)
def test_ids_keep_quotes_commas_and_sql_literally(cell: str) -> None:
    assert parse_id(cell, SHANGHAI) == cell


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("x" * 65, "longer than 64 characters"),
        (" U1", "has a leading or trailing space"),
        ("U1 ", "has a leading or trailing space"),
        ("U\t1", "contains a control or non-printable character"),
        ("U\x001", "contains a control or non-printable character"),
        ("U\u200b1", "contains a control or non-printable character"),
    ],
)
def test_bad_ids_are_rejected(cell: str, reason: str) -> None:
    assert rejected(parse_id, cell) == reason


@pytest.mark.parametrize(
    ("cell", "value"),
    [("129.90", Decimal("129.90")), ("0", Decimal("0")), ("5.5", Decimal("5.5"))],
)
def test_money_is_an_exact_decimal(cell: str, value: Decimal) -> None:
    parsed = parse_money(cell, SHANGHAI)
    assert isinstance(parsed, Decimal)
    assert parsed == value


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1.234", "more than 2 decimals"),
        ("-1", "negative amount"),
        ("-0.5", "negative amount"),
        ("abc", "not a decimal amount"),
        ("1e3", "not a decimal amount"),
        ("1.", "not a decimal amount"),
        (".5", "not a decimal amount"),
        ("1,000", "not a decimal amount"),
        ("１２", "not a decimal amount"),
        ("1234567890123", "more than 12 digits before the decimal point"),
    ],
)
def test_bad_money_is_rejected(cell: str, reason: str) -> None:
    assert rejected(parse_money, cell) == reason


def test_quantity_is_a_positive_integer() -> None:
    assert parse_quantity("3", SHANGHAI) == 3
    for cell in ("0", "-1", "1.5", "two", "²"):
        assert rejected(parse_quantity, cell) == "not a positive integer"
    assert rejected(parse_quantity, "2147483648") == "larger than 2147483647"


def test_tier_is_one_to_seven() -> None:
    assert parse_tier("7", SHANGHAI) == 7
    for cell in ("0", "8", "3.0", "-1", "x"):
        assert rejected(parse_tier, cell) == "not an integer from 1 to 7"


def test_codes_are_exact() -> None:
    parse = code_parser(CARRIERS)
    assert parse("live", SHANGHAI) == "live"
    assert rejected(parse, "Live") == "not one of: live, short_video, product_card"


def test_user_attributes_take_unknown_as_null() -> None:
    parse = attribute_parser(GENDERS)
    assert parse("unknown", SHANGHAI) is None
    assert parse("female", SHANGHAI) == "female"
    assert rejected(parse, "f") == "not one of: female, male, unknown"
    assert attribute_parser(None)("浙江", SHANGHAI) == "浙江"
    assert attribute_parser(None)("unknown", SHANGHAI) is None


def test_text_rejects_nul_only() -> None:
    assert parse_text('Tee, "cotton" 100%', SHANGHAI) == 'Tee, "cotton" 100%'
    assert rejected(parse_text, "a\x00b") == "contains a NUL character"


@pytest.mark.parametrize(
    ("cell", "instant"),
    [
        # Naive: business time zone (UTC+8), so half past midnight is the previous UTC day.
        ("2026-03-01 00:30", datetime(2026, 2, 28, 16, 30, tzinfo=UTC)),
        ("2026-03-01T00:30:15", datetime(2026, 2, 28, 16, 30, 15, tzinfo=UTC)),
        # A bare date is midnight in the business time zone.
        ("2026-03-01", datetime(2026, 2, 28, 16, 0, tzinfo=UTC)),
        # An offset is honoured.
        ("2026-02-28T23:30:00+00:00", datetime(2026, 2, 28, 23, 30, tzinfo=UTC)),
        ("2026-02-28T23:30:00Z", datetime(2026, 2, 28, 23, 30, tzinfo=UTC)),
        ("2026-03-01 07:30+08:00", datetime(2026, 2, 28, 23, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_land_on_the_right_instant(cell: str, instant: datetime) -> None:
    assert parse_timestamp(cell, SHANGHAI) == instant


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2026/03/01", "not an ISO 8601 date or timestamp"),
        ("20260301", "not an ISO 8601 date or timestamp"),
        ("2026-03-01X10:00", "not an ISO 8601 date or timestamp"),
        ("2026-02-30", "not an ISO 8601 date or timestamp"),
        ("2026-03-01 25:00", "not an ISO 8601 date or timestamp"),
        ("yesterday", "not an ISO 8601 date or timestamp"),
        ("1899-12-31", "year outside 1900–2999"),
    ],
)
def test_bad_timestamps_are_rejected(cell: str, reason: str) -> None:
    assert rejected(parse_timestamp, cell) == reason

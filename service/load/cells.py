"""Cell parsers of the interchange files: each turns one non-empty cell into a typed value.

A parser takes the cell text and the business time zone and returns the value, or raises
``CellError`` with the reason. Empty cells never reach a parser: they are null.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from vocabulary import UNKNOWN

Parser = Callable[[str, ZoneInfo], object]

MAX_ID_LENGTH = 64
# numeric(14, 2) holds 12 digits before the point.
MAX_MONEY_DIGITS = 12
MAX_QUANTITY = 2**31 - 1
# Python's datetime cannot shift a value near year 1 or 9999 to UTC, and no business
# fact is that old or that far ahead.
MIN_YEAR, MAX_YEAR = 1900, 2999

# [0-9] rather than \d: \d also matches full-width and other Unicode digits.
_MONEY = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")


class CellError(ValueError):
    """A cell that breaks its column's rule; the message is the reason."""


def parse_id(cell: str, zone: ZoneInfo) -> str:
    """An opaque id: 1–64 printable characters, no leading or trailing space."""
    if len(cell) > MAX_ID_LENGTH:
        raise CellError(f"longer than {MAX_ID_LENGTH} characters")
    if not cell.isprintable():
        raise CellError("contains a control or non-printable character")
    if cell[0] == " " or cell[-1] == " ":
        raise CellError("has a leading or trailing space")
    return cell


def parse_text(cell: str, zone: ZoneInfo) -> str:
    """Free text, stored as given."""
    # PostgreSQL text cannot hold NUL; letting one through would abort the whole load.
    if "\x00" in cell:
        raise CellError("contains a NUL character")
    return cell


def parse_timestamp(cell: str, zone: ZoneInfo) -> datetime:
    """ISO 8601 date or date and time; without an offset it is in ``zone``."""
    # fromisoformat also takes basic forms (20260301) and any separator character;
    # the files promise the extended date with `T` or a space.
    if (
        len(cell) < 10
        or cell[4] != "-"
        or cell[7] != "-"
        or (len(cell) > 10 and cell[10] not in "T ")
    ):
        raise CellError("not an ISO 8601 date or timestamp")
    try:
        value = datetime.fromisoformat(cell)
    except ValueError:
        raise CellError("not an ISO 8601 date or timestamp") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise CellError(f"year outside {MIN_YEAR}–{MAX_YEAR}")
    if value.tzinfo is None:
        # combine() attaches the zone several times faster than replace(tzinfo=...).
        return datetime.combine(value, value.time(), zone)
    return value


def parse_money(cell: str, zone: ZoneInfo) -> Decimal:
    """Yuan with at most 2 decimals, never negative."""
    if _MONEY.fullmatch(cell):
        return Decimal(cell)
    if not _DECIMAL.fullmatch(cell):
        raise CellError("not a decimal amount")
    if cell.startswith("-"):
        raise CellError("negative amount")
    if len(cell.partition(".")[2]) > 2:
        raise CellError("more than 2 decimals")
    raise CellError(f"more than {MAX_MONEY_DIGITS} digits before the decimal point")


def parse_quantity(cell: str, zone: ZoneInfo) -> int:
    """A positive integer."""
    if not _DIGITS.fullmatch(cell) or int(cell) == 0:
        raise CellError("not a positive integer")
    value = int(cell)
    if value > MAX_QUANTITY:
        raise CellError(f"larger than {MAX_QUANTITY}")
    return value


def parse_tier(cell: str, zone: ZoneInfo) -> int:
    """A shop's size layer, 1 to 7."""
    if len(cell) != 1 or cell not in "1234567":
        raise CellError("not an integer from 1 to 7")
    return int(cell)


def code_parser(values: Iterable[str]) -> Parser:
    """A parser accepting exactly one of ``values``."""
    listed = tuple(values)
    allowed = frozenset(listed)
    reason = "not one of: " + ", ".join(listed)

    def parse_code(cell: str, zone: ZoneInfo) -> str:
        if cell not in allowed:
            raise CellError(reason)
        return cell

    return parse_code


def attribute_parser(values: Iterable[str] | None) -> Parser:
    """A user attribute: ``unknown`` is null; otherwise one of ``values`` (None: free text)."""
    # `unknown` never reaches the check; it is listed so the reason names it.
    check = parse_text if values is None else code_parser((*values, UNKNOWN))

    def parse_attribute(cell: str, zone: ZoneInfo) -> object:
        if cell == UNKNOWN:
            return None
        return check(cell, zone)

    return parse_attribute

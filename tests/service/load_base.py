"""The base dataset the load tests upload (fixtures/load/base) and what it holds."""

from __future__ import annotations

from pathlib import Path

from service.load import FILE_ORDER

BASE = Path(__file__).parent / "fixtures" / "load" / "base"
TABLES = tuple(name.removesuffix(".csv") for name in FILE_ORDER)
# Rows of each table once the base dataset is loaded, in load order.
BASE_COUNTS = {
    "shops": 2,
    "users": 3,
    "creators": 1,
    "products": 2,
    "benefits": 2,
    "campaigns": 2,
    "members": 3,
    "fans": 2,
    "orders": 3,
    "events": 4,
    "reach": 3,
}
# Two rows that, appended to the base orders.csv, are its lines 5 (negative amount) and 6
# (unknown user U9).
BAD_ORDERS = (
    "O4,S1,U1,P1,1,-5,2026-03-05,live,organic,,,,,\n"
    "O5,S1,U9,P1,1,5.00,2026-03-05,live,organic,,,,,\n"
)

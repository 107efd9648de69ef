"""The interchange files' headers, and a sink that writes rows to them as they are made."""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from _csv import Writer

# Every file of the interchange format with its columns, in the order they are written.
HEADERS: Final = {
    "shops": ("shop_id", "name", "industry", "tier", "opened_at"),
    "users": ("user_id", "gender", "age_band", "province", "crowd"),
    "products": ("product_id", "shop_id", "name", "category", "price", "listed_at"),
    "creators": ("creator_id", "name"),
    "members": ("shop_id", "user_id", "joined_at", "join_channel", "left_at"),
    "fans": ("shop_id", "user_id", "followed_at", "unfollowed_at"),
    "orders": (
        "order_id",
        "shop_id",
        "user_id",
        "product_id",
        "quantity",
        "amount",
        "paid_at",
        "carrier",
        "traffic_type",
        "entry",
        "creator_id",
        "benefit_id",
        "refund_amount",
        "refunded_at",
    ),
    "events": (
        "event_id",
        "shop_id",
        "user_id",
        "type",
        "occurred_at",
        "product_id",
        "carrier",
        "entry",
        "benefit_id",
    ),
    "benefits": ("benefit_id", "shop_id", "kind", "name", "online_from", "online_to"),
    "campaigns": ("campaign_id", "shop_id", "channel", "name", "cost"),
    "reach": ("campaign_id", "user_id", "sent_at"),
}


class Sink:
    """Open CSV writers for every file under ``out``, counting the rows written."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self._stack = ExitStack()
        self._writers: dict[str, Writer] = {}
        self.counts: dict[str, int] = {}
        for name, header in HEADERS.items():
            handle = self._stack.enter_context(
                (out / f"{name}.csv").open("w", encoding="utf-8", newline="")
            )
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            self._writers[name] = writer
            self.counts[name] = 0

    def write(self, name: str, row: list[str]) -> None:
        """Append one row to file ``name``."""
        self._writers[name].writerow(row)
        self.counts[name] += 1

    def write_all(self, name: str, rows: list[list[str]]) -> None:
        """Append rows to file ``name``."""
        self._writers[name].writerows(rows)
        self.counts[name] += len(rows)

    def __enter__(self) -> Sink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()

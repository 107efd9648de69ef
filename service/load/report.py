"""What a load did: counts per file, the rejected rows, and whether it was committed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REJECTS_HEADER = ("file", "line", "column", "reason", "row")


@dataclass(frozen=True)
class Reject:
    """One broken rule of one row; ``column`` is ``-`` when the whole row is at fault."""

    file: str
    line: int
    column: str
    reason: str
    row: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"

    @property
    def row_text(self) -> str:
        """The raw cells joined again as one CSV record."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(self.row)
        return buffer.getvalue()


@dataclass
class FileResult:
    """The outcome for one file; ``rejected`` counts rows, not reasons."""

    file: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        """Rows read per second of wall time spent on this file."""
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass
class LoadReport:
    """Every file's result, every reject in file and line order, and whether it was kept."""

    files: list[FileResult] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    committed: bool = False

    @property
    def rejected_rows(self) -> int:
        """Rows rejected over all files."""
        return sum(result.rejected for result in self.files)


def write_rejects(path: Path, rejects: Iterable[Reject]) -> None:
    """Write ``rejects`` as CSV: file, line, column, reason, and the raw row as CSV text."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(REJECTS_HEADER)
        for reject in rejects:
            writer.writerow(
                (reject.file, reject.line, reject.column, reject.reason, reject.row_text)
            )

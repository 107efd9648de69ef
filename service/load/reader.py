"""Reading one CSV file as rows numbered by the physical line they start on."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

BOM = "\ufeff"
NOT_UTF8 = "not valid UTF-8"


class Row(NamedTuple):
    """One CSV record: the line it starts on, its cells, and why it is unreadable (if so)."""

    line: int
    cells: list[str]
    problem: str | None = None


class _Lines:
    """The file's lines, decoded one by one so that bad bytes can be pinned to a line."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0
        self.bad: list[int] = []

    def __iter__(self) -> Iterator[str]:
        for raw in self._stream:
            self.count += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.append(self.count)
                text = raw.decode("utf-8", errors="replace")
            if self.count == 1 and text.startswith(BOM):
                text = text[1:]
            yield text

    def bad_between(self, first: int, last: int) -> bool:
        """Whether any line from ``first`` to ``last`` had bytes that are not UTF-8."""
        return any(first <= line <= last for line in self.bad)


def read_rows(path: Path) -> Generator[Row, None, None]:
    """Every non-blank record of ``path``, the header first, with its starting line."""
    if is_utf8(path):
        with path.open(encoding="utf-8-sig", newline="") as text:
            yield from _records(text, None)
    else:
        # Decoding line by line is slower, but tells which rows hold the bad bytes.
        with path.open("rb") as stream:
            lines = _Lines(stream)
            yield from _records(lines, lines)


def _records(lines: Iterable[str], decoded: _Lines | None) -> Iterator[Row]:
    # strict: a stray quote is reported instead of silently swallowing later lines.
    reader = csv.reader(lines, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start, previous = previous + 1, reader.line_num
            yield Row(start, [], f"malformed CSV: {exc}")
            continue
        start, previous = previous + 1, reader.line_num
        if not cells:
            continue
        if decoded is not None and decoded.bad_between(start, previous):
            yield Row(start, cells, NOT_UTF8)
        else:
            yield Row(start, cells)


def is_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as stream:
            while block := stream.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def count_lines(path: Path) -> int:
    """The number of newline characters in ``path``, read in large blocks."""
    total = 0
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            total += block.count(b"\n")
    return total

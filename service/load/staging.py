"""One file's way into its table: parse, COPY to staging, check in SQL, merge."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg

from service.load.progress import FileProgress
from service.load.reader import Row, read_rows
from service.load.report import FileResult, Reject
from service.load.rows import Plan, parse_row, plan_columns
from service.load.spec import Entity

# Rows per COPY: large enough to amortise a round trip, small enough to keep memory flat.
CHUNK_ROWS = 20_000


async def load_file(
    connection: asyncpg.Connection,
    *,
    entity: Entity,
    path: Path,
    zone: ZoneInfo,
    allowed_shops: Collection[str] | None,
    progress: bool,
) -> tuple[FileResult, list[Reject]]:
    """Merge the good rows of ``path`` into ``entity``'s table; return counts and rejects.

    Runs inside the caller's transaction; rows it rejects are not written.
    """
    started = time.perf_counter()
    result = FileResult(file=path.name)
    rejects: list[Reject] = []
    with contextlib.closing(read_rows(path)) as rows:
        header = await asyncio.to_thread(next, rows, None)
        plan, problems = plan_columns(entity, header)
        if plan is None:
            cells = tuple(header.cells) if header is not None else ()
            rejects.extend(Reject(path.name, 1, column, why, cells) for column, why in problems)
            # Without a usable header no row can be read, so the whole file is rejected.
            result.read = result.rejected = await asyncio.to_thread(_count, rows)
        else:
            chunks = _ChunkParser(entity=entity, plan=plan, rows=rows, path=path, zone=zone)
            with FileProgress(path, enabled=progress) as bar:
                await _merge(connection, entity, chunks, allowed_shops, bar, result, rejects)
    result.seconds = time.perf_counter() - started
    rejects.sort(key=lambda reject: reject.line)
    return result, rejects


async def _merge(
    connection: asyncpg.Connection,
    entity: Entity,
    chunks: _ChunkParser,
    allowed_shops: Collection[str] | None,
    bar: FileProgress,
    result: FileResult,
    rejects: list[Reject],
) -> None:
    """Stage, check and merge the rows of ``chunks``, filling in ``result`` and ``rejects``."""
    bad_lines: set[int] = set()
    staged = 0
    columns = ("line", *entity.column_names)
    await connection.execute(entity.create_stage_sql)
    # Reading and parsing run in a worker thread, one chunk ahead of the COPY, so the
    # event loop stays free for a server's other requests.
    pending = asyncio.ensure_future(asyncio.to_thread(chunks.parse_next))
    try:
        while (chunk := await pending) is not None:
            pending = asyncio.ensure_future(asyncio.to_thread(chunks.parse_next))
            if chunk.records:
                await connection.copy_records_to_table(
                    entity.stage_table, records=chunk.records, columns=columns
                )
            rejects.extend(chunk.rejects)
            bad_lines.update(reject.line for reject in chunk.rejects)
            result.read += chunk.rows
            staged += len(chunk.records)
            bar.advance(chunk.rows)
    finally:
        # The worker cannot be interrupted; let it finish before the file is closed.
        await asyncio.gather(pending, return_exceptions=True)

    bar.phase("checking")
    await connection.execute(entity.analyze_stage_sql)
    sql_rejects = await _check(connection, entity, allowed_shops, chunks.zone)
    if sql_rejects:
        # Raw rows are not kept while loading; the few rejected ones are read again.
        lines = {line for line, _, _ in sql_rejects}
        cells_by_line = await asyncio.to_thread(_cells_of, chunks.path, lines)
        for line, column, reason in sql_rejects:
            cells = cells_by_line.get(line, ())
            rejects.append(Reject(chunks.path.name, line, column, reason, cells))
        bad_lines |= lines
        staged -= len(lines)

    bar.phase("merging")
    inserted, updated = await connection.fetchrow(entity.merge_sql)
    await connection.execute(entity.drop_stage_sql)
    result.inserted, result.updated = inserted, updated
    result.unchanged = staged - inserted - updated
    result.rejected = len(bad_lines)


async def _check(
    connection: asyncpg.Connection,
    entity: Entity,
    allowed_shops: Collection[str] | None,
    zone: ZoneInfo,
) -> list[tuple[int, str, str]]:
    """Run the file's SQL checks, dropping each phase's rejected rows from staging."""
    shops = None if allowed_shops is None else sorted(allowed_shops)
    found = [tuple(record) for record in await connection.fetch(entity.check_sql, shops)]
    if found:
        await connection.execute(entity.delete_staged_sql, sorted({r[0] for r in found}))
    if entity.overlap_sql is not None:
        # Overlaps are judged only among rows that passed every other check.
        records = await connection.fetch(entity.overlap_sql, zone.key)
        overlaps = [tuple(record) for record in records]
        if overlaps:
            await connection.execute(entity.delete_staged_sql, sorted({r[0] for r in overlaps}))
        found.extend(overlaps)
    return [(int(line), str(column), str(reason)) for line, column, reason in found]


@dataclass
class _Chunk:
    rows: int
    records: list[tuple[object, ...]]
    rejects: list[Reject]


@dataclass
class _ChunkParser:
    """Reads and parses the data rows of one file, ``CHUNK_ROWS`` at a time."""

    entity: Entity
    plan: Plan
    rows: Iterator[Row]
    path: Path
    zone: ZoneInfo

    def parse_next(self) -> _Chunk | None:
        """The next chunk's staging records and rejects; None at the end of the file."""
        chunk = _Chunk(0, [], [])
        for row in itertools.islice(self.rows, CHUNK_ROWS):
            chunk.rows += 1
            record, problems = parse_row(self.entity, self.plan, row, self.zone)
            if record is None:
                cells = tuple(row.cells)
                chunk.rejects.extend(
                    Reject(self.path.name, row.line, column, reason, cells)
                    for column, reason in problems
                )
            else:
                chunk.records.append(record)
        return chunk if chunk.rows else None


def _count(rows: Iterator[Row]) -> int:
    return sum(1 for _ in rows)


def _cells_of(path: Path, lines: set[int]) -> dict[int, tuple[str, ...]]:
    """The raw cells of the rows starting on ``lines``, read again from the file."""
    found: dict[int, tuple[str, ...]] = {}
    for row in read_rows(path):
        if row.line in lines:
            found[row.line] = tuple(row.cells)
    return found

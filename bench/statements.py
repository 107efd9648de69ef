"""The SQL statements a request runs, as the service ran them: text, arguments, time.

The service's pool counts every statement with an asyncpg query logger installed by its
``init`` hook (``service.db.statements.count_statements``). :func:`recording` wraps that
hook for the benchmark, so each pool connection also reports to a :class:`Recorder`:
what ran is taken from the service itself, never rebuilt here, so the figures stay true
while the engine changes. The recorder only listens between :meth:`Recorder.start` and
:meth:`Recorder.stop`.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass

import asyncpg

import service.db.pool as pool_module


@dataclass(frozen=True)
class Executed:
    """One statement run on behalf of a request."""

    query: str
    args: tuple[object, ...]
    milliseconds: float
    ended: float  # perf_counter() when it finished


@dataclass(eq=False)  # asyncpg keeps its loggers in a set: hashed by identity
class Recorder:
    """Collects the statements run between ``start`` and ``stop`` (one request)."""

    _current: list[Executed] | None = None

    def start(self) -> None:
        self._current = []

    def stop(self) -> list[Executed]:
        executed, self._current = self._current or [], None
        return executed

    def __call__(self, record: asyncpg.connection.LoggedQuery) -> None:
        if self._current is None:
            return
        self._current.append(
            Executed(
                query=record.query,
                args=tuple(record.args),
                milliseconds=record.elapsed * 1000,
                ended=time.perf_counter(),
            )
        )


# The name under which ``create_pool`` finds its connection ``init`` hook.
HOOK = "count_statements"


@contextlib.contextmanager
def recording(recorder: Recorder) -> Iterator[None]:
    """While open, pools created by the service also report to ``recorder``."""
    counting: Callable[[asyncpg.Connection], Awaitable[None]] = getattr(pool_module, HOOK)

    async def init(connection: asyncpg.Connection) -> None:
        await counting(connection)
        connection.add_query_logger(recorder)

    setattr(pool_module, HOOK, init)
    try:
        yield
    finally:
        setattr(pool_module, HOOK, counting)


def _windows(executed: Executed) -> int | None:
    """How many windows a fact statement was run for: the length of its first array."""
    first = executed.args[0] if executed.args else None
    return len(first) if isinstance(first, list) else None


# The fact table read for each window: the first one after ``FROM w``.
FACT_TABLE = re.compile(r"\bFROM w\b.*?\b(?:FROM|JOIN) (orders|members|events|reach|benefits)\b")


def label(executed: Executed) -> str:
    """A short name: for a fact statement (run over windows) the first fact table it reads
    and its number of windows, else the statement's first words."""
    text = " ".join(re.sub(r"--[^\n]*", "", executed.query).split())
    windows = _windows(executed)
    if windows is not None and text.startswith("WITH w AS"):
        table = FACT_TABLE.search(text)
        return f"{table.group(1) if table else '?'} facts, {windows} windows"
    return text[:60] + ("…" if len(text) > 60 else "")


def print_breakdown(requests: Sequence[Sequence[Executed]], indent: str = "    ") -> None:
    """Per statement of the request: median and max time over the requests recorded."""
    times: dict[str, list[float]] = defaultdict(list)
    order: list[str] = []
    for executed_list in requests:
        for executed in executed_list:
            name = label(executed)
            if name not in times:
                order.append(name)
            times[name].append(executed.milliseconds)
    for name in order:
        values = times[name]
        print(
            f"{indent}{name:<62} p50 {statistics.median(values):8.1f} ms"
            f"  max {max(values):8.1f} ms  (x{len(values) / max(1, len(requests)):g})"
        )


def slowest(requests: Sequence[Sequence[Executed]]) -> Executed:
    """The statement with the highest median time, in its last recorded run."""
    times: dict[str, list[float]] = defaultdict(list)
    last: dict[str, Executed] = {}
    for executed_list in requests:
        for executed in executed_list:
            times[label(executed)].append(executed.milliseconds)
            last[label(executed)] = executed
    name = max(times, key=lambda key: statistics.median(times[key]))
    return last[name]


async def time_alone(
    pool: asyncpg.Pool, executed: Sequence[Executed], *, runs: int
) -> list[tuple[str, float]]:
    """Each statement of one request run by itself on a connection of the service's pool,
    once untimed and then ``runs`` times, one after the other: its median time with no
    other statement of the request beside it (the service runs a field's fact statements
    concurrently, so their times within the request include waiting for a core)."""
    timings: list[tuple[str, float]] = []
    async with pool.acquire() as connection:
        for statement in executed:
            await connection.fetch(statement.query, *statement.args)
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                await connection.fetch(statement.query, *statement.args)
                times.append((time.perf_counter() - began) * 1000)
            timings.append((label(statement), statistics.median(times)))
    return timings


PARAMETER_TYPE_SQL = """
SELECT format_type($1::oid, NULL)
"""


async def _generic_explain(
    connection: asyncpg.Connection, executed: Executed, explain_sql: str
) -> list[str]:
    """EXPLAIN of the generic plan: the statement prepared with typed parameters, run
    with literal arguments quoted by the server, under ``force_generic_plan``."""
    prepared = await connection.prepare(executed.query)
    types = [
        await connection.fetchval(PARAMETER_TYPE_SQL, parameter.oid)
        for parameter in prepared.get_parameters()
    ]
    literals = [
        await connection.fetchval(f"SELECT quote_nullable($1::{kind})", value)
        for kind, value in zip(types, executed.args, strict=True)
    ]
    # The statement is the service's own text and the arguments are quoted by the server.
    await connection.execute(f"PREPARE bench_generic({', '.join(types)}) AS {executed.query}")
    try:
        await connection.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        typed = zip(literals, types, strict=True)
        arguments = ", ".join(f"{literal}::{kind}" for literal, kind in typed)
        rows = await connection.fetch(f"{explain_sql} EXECUTE bench_generic({arguments})")
    finally:
        await connection.execute("DEALLOCATE bench_generic")
    return [row[0] for row in rows]


async def explain(pool: asyncpg.Pool, executed: Executed, *, generic: bool) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of a recorded statement with its own arguments, on a
    connection of the service's pool (its session settings) without the statement timeout.

    ``generic``: the plan PostgreSQL caches after five runs of a prepared statement (asyncpg
    prepares every statement), instead of the plan made for these arguments.
    """
    explain_sql = "EXPLAIN (ANALYZE, BUFFERS)"
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SET LOCAL statement_timeout = 0")
        if generic:
            return await _generic_explain(connection, executed, explain_sql)
        rows = await connection.fetch(f"{explain_sql} {executed.query}", *executed.args)
        return [row[0] for row in rows]

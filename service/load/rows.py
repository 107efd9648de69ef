"""Turning a file's header into a column plan, and each data row into a typed record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from service.load.cells import CellError, Parser
from service.load.reader import Row
from service.load.spec import Entity

# (column, reason) pairs for the rules one row breaks.
Problems = list[tuple[str, str]]


class Step(NamedTuple):
    """Where one entity column sits in the file (None: absent, every cell null)."""

    name: str
    position: int | None
    parse: Parser
    required: bool


@dataclass(frozen=True)
class Plan:
    """How to read the data rows of one file."""

    width: int
    steps: tuple[Step, ...]


def plan_columns(entity: Entity, header: Row | None) -> tuple[Plan | None, Problems]:
    """The plan for ``header``, or None and the header's problems."""
    if header is None:
        return None, [("-", "no header row")]
    if header.problem is not None:
        return None, [("-", header.problem)]
    known = set(entity.column_names)
    problems: Problems = []
    seen: set[str] = set()
    for name in header.cells:
        label = name or '""'
        if name in seen:
            problems.append((label, "duplicate column"))
        elif name not in known:
            problems.append((label, "unknown column"))
        seen.add(name)
    for name in entity.required_names:
        if name not in seen:
            problems.append((name, "missing required column"))
    if problems:
        return None, problems
    index = {name: position for position, name in enumerate(header.cells)}
    steps = tuple(
        Step(column.name, index.get(column.name), column.parse, column.required)
        for column in entity.columns
    )
    return Plan(len(header.cells), steps), []


def parse_row(
    entity: Entity, plan: Plan, row: Row, zone: ZoneInfo
) -> tuple[tuple[object, ...] | None, Problems]:
    """The staging record ``(line, *values)`` of ``row``, or None and what is wrong with it.

    Every bad cell is reported; the row rules run only once every cell is good.
    """
    if row.problem is not None:
        return None, [("-", row.problem)]
    cells = row.cells
    if len(cells) != plan.width:
        return None, [("-", f"expected {plan.width} cells, found {len(cells)}")]
    # The hot loop of a load: plain tuples and locals only.
    values: list[object] = [row.line]
    problems: Problems = []
    for name, position, parse, required in plan.steps:
        cell = cells[position] if position is not None else ""
        if cell:
            try:
                values.append(parse(cell, zone))
                continue
            except CellError as exc:
                problems.append((name, str(exc)))
        elif required:
            problems.append((name, "required value missing"))
        values.append(None)
    if problems:
        return None, problems
    if entity.check_row is not None:
        problems = entity.check_row(values)
        if problems:
            return None, problems
    return tuple(values), []

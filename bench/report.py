"""What the benchmark prints: latency summaries, metric cards, masked errors, revision."""

from __future__ import annotations

import logging
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.request import SERIES
from bench.statements import Executed


@dataclass
class Timing:
    """The timed requests of one document for one shop."""

    latencies: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    executed: list[list[Executed]] = field(default_factory=list)
    first_body: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        ordered = sorted(self.latencies)
        cuts = statistics.quantiles(ordered, n=100, method="inclusive")
        counts = ", ".join(str(count) for count in sorted(set(self.statements)))
        return (
            f"p50 {cuts[49]:8.1f} ms  p95 {cuts[94]:8.1f} ms  max {ordered[-1]:8.1f} ms  "
            f"mean {statistics.fmean(ordered):8.1f} ms  x-sql-statements {counts}"
        )


class ErrorCauses(logging.Handler):
    """Keeps the causes of the service's masked INTERNAL errors instead of printing them."""

    def __init__(self) -> None:
        super().__init__()
        self.causes: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        where = record.getMessage().rsplit(": ", 1)[-1]
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            where = f"{where}: {type(error).__name__}: {error}"
        self.causes[where] = self.causes.get(where, 0) + 1


def quiet_service_errors() -> ErrorCauses:
    """Route the service's error logs to one handler (a timeout is printed once, by us)."""
    handler = ErrorCauses()
    errors = logging.getLogger("memberlens.errors")
    errors.addHandler(handler)
    errors.propagate = False
    logging.getLogger("strawberry.execution").disabled = True
    return handler


def _shown(value: float | None) -> str:
    return "null" if value is None else f"{value:,.4g}"


def print_values(body: dict[str, Any]) -> None:
    """The metric cards of one response: value, previous period and peer figures."""
    shop = (body.get("data") or {}).get("shop") or {}
    print(f"    {'metric':<22}{'value':>12}{'previous':>12}{'peer avg':>12}{'peer p90':>12}  peers")
    for result in shop.get("metrics") or []:
        figures = {c["kind"]: c for c in result["comparisons"]}
        print(
            f"    {result['metric']:<22}{_shown(result['value']):>12}"
            f"{_shown(figures['PREVIOUS_PERIOD']['value']):>12}"
            f"{_shown(figures['PEER_AVERAGE']['value']):>12}"
            f"{_shown(figures['PEER_EXCELLENT']['value']):>12}"
            f"  {figures['PEER_AVERAGE']['peerCount']}"
        )
    for alias, metric in SERIES:
        points = shop.get(alias) or []
        if points:
            values = [point["value"] for point in points]
            flagged = sum(1 for point in points if point["anomaly"])
            print(
                f"    series {metric}: {len(points)} days, first {_shown(values[0])}, "
                f"last {_shown(values[-1])}, {flagged} flagged anomalous"
            )


def source_revision() -> str:
    """The checked-out commit, marked when the working tree has changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" with local changes" if changed else "")

"""What else the machine did during a run: CPU time by process, from ``/proc`` (Linux).

    before = Processes.now()
    …  # the run
    print_cpu_by_process(before, Processes.now())

Processes are grouped by what they run: a Python process by its script or module (so
``memberlens serve`` and ``pytest`` show as such), any other by its name (every
PostgreSQL backend as ``postgres``). Processes that both started and ended within the run
are not seen; the machine-wide busy time (``/proc/stat``) counts them, as "unseen".
Elsewhere every figure is ``unknown``.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


def _command(pid_dir: Path, name: str) -> str:
    """A short label of what the process runs."""
    if not name.startswith("python"):
        return name
    try:
        words = (pid_dir / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return name
    args = [word.decode(errors="replace") for word in words[1:] if word]
    if args[:1] == ["-m"] and len(args) > 1:
        return f"python -m {args[1]}"
    if args[:1] == ["-c"]:
        return "python -c"
    shown = [Path(arg).name if "/" in arg else arg for arg in args[:2]]
    return " ".join(shown)[:40] or name


@dataclass
class Processes:
    """CPU ticks so far: per process, and of the whole machine (busy, total)."""

    ticks: dict[int, tuple[str, int]] = field(default_factory=dict)
    machine: tuple[int, int] | None = None
    wall: float = 0.0

    @classmethod
    def now(cls) -> Processes:
        seen = cls(wall=_uptime())
        try:
            with (PROC / "stat").open(encoding="ascii") as stat:
                fields = [int(value) for value in stat.readline().split()[1:]]
            idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
            seen.machine = (sum(fields) - idle, sum(fields))
        except (OSError, ValueError, IndexError):
            return seen
        for pid_dir in PROC.iterdir():
            if not pid_dir.name.isdigit():
                continue
            try:
                stat_line = (pid_dir / "stat").read_text(encoding="utf-8", errors="replace")
                name = stat_line[stat_line.index("(") + 1 : stat_line.rindex(")")]
                rest = stat_line[stat_line.rindex(")") + 2 :].split()
                used = int(rest[11]) + int(rest[12])  # utime, stime
                seen.ticks[int(pid_dir.name)] = (_command(pid_dir, name), used)
            except (OSError, ValueError, IndexError):
                continue
        return seen


def _uptime() -> float:
    try:
        return float((PROC / "uptime").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_by_process(before: Processes, after: Processes) -> tuple[list[tuple[str, float]], str]:
    """CPU seconds per command between two readings (largest first, 0.1 s or more, with
    "unseen" for what no listed process accounts for), and the machine's busy share."""
    if before.machine is None or after.machine is None:
        return [], "unknown"
    hertz = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = defaultdict(float)
    for pid, (command, ticks) in after.ticks.items():
        earlier = before.ticks.get(pid)
        started = ticks - earlier[1] if earlier and earlier[0] == command else ticks
        used[command] += started / hertz
    busy = (after.machine[0] - before.machine[0]) / hertz
    total = (after.machine[1] - before.machine[1]) / hertz
    ranked = sorted(used.items(), key=lambda item: -item[1])
    listed = [(command, seconds) for command, seconds in ranked if seconds >= 0.1]
    unseen = busy - sum(used.values())
    if unseen >= 0.1:
        listed.append(("unseen (ended within the run)", unseen))
    share = f"{100 * busy / total:.0f} % of all cores" if total else "unknown"
    return listed, share


def print_cpu_by_process(before: Processes, after: Processes, *, top: int = 8) -> None:
    """One line: the machine's busy share and the busiest commands, CPU seconds each."""
    listed, share = cpu_by_process(before, after)
    wall = after.wall - before.wall
    unseen = [item for item in listed if item[0].startswith("unseen")]
    kept = [item for item in listed if not item[0].startswith("unseen")][:top] + unseen
    shown = ", ".join(f"{command} {seconds:.1f}" for command, seconds in kept)
    cores = os.cpu_count() or 1
    print(
        f"CPU during the run ({wall:.0f} s wall x {cores} cores = {cores * wall:.0f} s): "
        f"busy {share}"
    )
    print(f"  CPU seconds by process: {shown or 'unknown'}")

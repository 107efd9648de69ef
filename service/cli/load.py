"""``memberlens load``: load interchange files (or folders of them) into the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from service.db.migrate import upgrade
from service.db.pool import create_pool
from service.db.server import database
from service.load import LoadPathError, LoadReport, discover_files, load_paths, write_rejects
from service.settings import Settings

# More reject lines than this drown the terminal; the rejects file has them all.
MAX_PRINTED_REJECTS = 200


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load interchange files or folders of them",
        description=(
            "Load the interchange CSV files (shops.csv … reach.csv) in one transaction. "
            "With any bad row nothing is loaded, unless --skip-bad-rows is given."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="load the good rows even when some are rejected (needs --rejects)",
    )
    parser.add_argument(
        "--rejects", type=Path, metavar="FILE", help="write the rejected rows to FILE as CSV"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.skip_bad_rows and args.rejects is None:
        print("memberlens load: --skip-bad-rows needs --rejects FILE", file=sys.stderr)
        return 2
    try:
        discover_files(args.paths)
    except LoadPathError as exc:
        print(f"memberlens load: {exc}", file=sys.stderr)
        return 2
    with database(settings) as url:
        upgrade(url, settings.timezone, progress=sys.stderr.isatty())
        report = asyncio.run(_load(settings, url, args))
    if args.rejects is not None:
        write_rejects(args.rejects, report.rejects)
    _print_rejects(report, args.rejects)
    _print_summary(report)
    if not report.committed:
        print(
            f"nothing loaded: {report.rejected_rows} rows rejected",
            file=sys.stderr,
        )
        return 1
    if report.rejects:
        print(f"skipped {report.rejected_rows} bad rows (listed in {args.rejects})")
    return 0


async def _load(settings: Settings, url: str, args: argparse.Namespace) -> LoadReport:
    pool = await create_pool(settings, url)
    try:
        return await load_paths(
            pool,
            args.paths,
            zone=settings.zone,
            skip_bad_rows=args.skip_bad_rows,
            progress=sys.stderr.isatty(),
        )
    finally:
        await pool.close()


def _print_rejects(report: LoadReport, rejects_file: Path | None) -> None:
    for reject in report.rejects[:MAX_PRINTED_REJECTS]:
        print(reject, file=sys.stderr)
    hidden = len(report.rejects) - MAX_PRINTED_REJECTS
    if hidden > 0:
        where = f" (all in {rejects_file})" if rejects_file is not None else ""
        print(f"... and {hidden} more{where}", file=sys.stderr)


def _print_summary(report: LoadReport) -> None:
    title = None if report.committed else "rolled back: nothing was loaded"
    table = Table(box=box.SIMPLE, title=title)
    for heading in ("file", "read", "inserted", "updated", "unchanged", "rejected", "rows/s"):
        table.add_column(heading, justify="left" if heading == "file" else "right")
    for result in report.files:
        table.add_row(
            result.file,
            str(result.read),
            str(result.inserted),
            str(result.updated),
            str(result.unchanged),
            str(result.rejected),
            f"{result.rows_per_second:,.0f}",
        )
    Console(file=sys.stdout).print(table)

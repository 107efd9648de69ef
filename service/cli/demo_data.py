"""``memberlens demo-data``: write a realistic demo dataset in the interchange format."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from service.demo import DEFAULT_DAYS, DEFAULT_SHOPS, write_demo_data
from service.settings import Settings


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo-data",
        help="write a realistic demo dataset (CSV files) into a folder",
        description="Write every interchange file of a deterministic demo dataset into OUT.",
    )
    parser.add_argument("out", type=Path, metavar="OUT", help="folder to write the files to")
    parser.add_argument(
        "--shops", type=_positive, default=DEFAULT_SHOPS, help=f"shops (default {DEFAULT_SHOPS})"
    )
    parser.add_argument(
        "--days", type=_positive, default=DEFAULT_DAYS, help=f"days (default {DEFAULT_DAYS})"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--end",
        type=_date,
        default=None,
        metavar="DATE",
        help="last day of the data, YYYY-MM-DD (default today in the business time zone)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    end: date = args.end or datetime.now(settings.zone).date()
    counts = write_demo_data(args.out, shops=args.shops, days=args.days, seed=args.seed, end=end)
    width = max(len(name) for name in counts) + len(".csv")
    for name, count in counts.items():
        print(f"{name + '.csv':<{width}} {count:>9,}")
    print(f"{'total':<{width}} {sum(counts.values()):>9,}")
    return 0

"""``memberlens migrate``: bring the database schema up to date."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from service.db.migrate import head_revision, upgrade
from service.db.server import database
from service.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "migrate", help="bring the database schema up to date and build the aggregates"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as url:
        built = upgrade(url, settings.timezone, progress=sys.stderr.isatty())
    print(f"database at revision {head_revision()}")
    for name, seconds in built.items():
        print(f"{name} built in {seconds:.1f} s")
    return 0

"""``memberlens migrate``: bring the database schema up to date."""

from __future__ import annotations

import argparse
from typing import Any

from service.db.migrate import head_revision, upgrade
from service.db.server import database
from service.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("migrate", help="bring the database schema up to date")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as url:
        upgrade(url)
    print(f"database at revision {head_revision()}")
    return 0

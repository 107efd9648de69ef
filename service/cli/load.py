"""`memberlens load`: not yet available."""

from __future__ import annotations

import argparse
from typing import Any

from service.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("load", help="(not yet available)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise SystemExit("memberlens load: not yet available")

"""``memberlens schema``: print the GraphQL schema (SDL), as committed in schema.graphql."""

from __future__ import annotations

import argparse
from typing import Any

from service.graphql import build_schema
from service.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("schema", help="print the GraphQL schema (SDL)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    print(build_schema(settings).as_str())
    return 0

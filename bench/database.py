"""The database a benchmark script runs on, as every script finds it."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from service.db.migrate import upgrade
from service.db.server import database
from service.settings import Settings


def required_url(given: str | None) -> str:
    """``--database-url`` or ``DATABASE_URL``; the script stops when neither is set."""
    url = given or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("give --database-url or set DATABASE_URL")
    return url


def run_in_process(
    given: str | None, run: Callable[[str, Settings], Coroutine[Any, Any, None]]
) -> None:
    """Run ``run(url, settings)`` on ``given`` (else ``DATABASE_URL``, else the embedded
    server), migrated first, with settings whose per-key rate limit is lifted: one key
    sends every request of a run, and the limiter is not what is measured."""
    update: dict[str, Any] = {"rate_limit_per_second": 1e9, "rate_limit_burst": 10**9}
    if given:
        update["database_url"] = given
    settings = Settings().model_copy(update=update)
    with database(settings) as url:
        upgrade(url, settings.timezone, progress=sys.stderr.isatty())
        asyncio.run(run(url, settings))

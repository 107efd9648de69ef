"""Where the database is: ``DATABASE_URL``, or an embedded server under the home directory."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from service.settings import Settings


@contextlib.contextmanager
def database(settings: Settings) -> Iterator[str]:
    """Yield a PostgreSQL URL, starting (and afterwards stopping) the embedded server if needed."""
    if settings.database_url:
        yield settings.database_url
        return
    from service.db.embedded import start_embedded

    settings.home.mkdir(parents=True, exist_ok=True)
    server = start_embedded(settings.home / "pgdata")
    try:
        yield server.url
    finally:
        server.stop()

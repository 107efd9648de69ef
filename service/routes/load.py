"""``POST /load``: interchange files uploaded with a write or admin key, loaded as
``memberlens load`` does."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from service.admission import admit
from service.auth import Principal
from service.fairness import KeyBusy
from service.load import LoadReport, Reject, load_paths
from service.responses import busy, error_response
from service.settings import Settings
from service.uploads import UploadError, receive_files

# Enough to fix a file by; a longer list only makes the response heavy. The total is given.
MAX_LISTED_REJECTS = 1000


async def load(request: Request) -> Response:
    principal = admit(request)
    if isinstance(principal, Response):
        return principal
    if not principal.can_write:
        message = "this API key may only read; loading needs a write or admin key"
        return error_response(message, "FORBIDDEN", 403)
    state = request.app.state
    try:
        async with state.lanes.turn(principal.key_id):
            return await load_upload(
                request, pool=state.pool, settings=state.settings, principal=principal
            )
    except KeyBusy:
        return busy(request)
    except UploadError as exc:
        return error_response(exc.message, "BAD_USER_INPUT", exc.status)


async def load_upload(
    request: Request, *, pool: asyncpg.Pool, settings: Settings, principal: Principal
) -> JSONResponse:
    """Load the uploaded files with ``principal``'s shops; 200 when kept, 422 when not.

    Raises ``UploadError`` for a request whose body or parameters cannot be taken.
    """
    skip_bad_rows = _flag(request, "skipBadRows")
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="memberlens-load-"))
    try:
        paths = await receive_files(request, folder, limit=settings.max_load_bytes)
        report = await load_paths(
            pool,
            paths,
            zone=settings.zone,
            skip_bad_rows=skip_bad_rows,
            allowed_shops=principal.shops,
        )
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
    return JSONResponse(report_body(report), status_code=200 if report.committed else 422)


def report_body(report: LoadReport) -> dict[str, Any]:
    """The response: whether the rows were kept, counts per file, and the first rejects.

    Each reject is a GraphQL-shaped error whose message is the command line's
    ``file:line: column: reason``; ``rejectsTotal`` counts them all.
    """
    body: dict[str, Any] = {
        "committed": report.committed,
        "files": [
            {
                "file": result.file,
                "rows": result.read,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
                "seconds": round(result.seconds, 3),
            }
            for result in report.files
        ],
        "rejected": report.rejected_rows,
        "rejectsTotal": len(report.rejects),
    }
    if report.rejects:
        body["errors"] = [_reject_error(reject) for reject in report.rejects[:MAX_LISTED_REJECTS]]
    return body


def _reject_error(reject: Reject) -> dict[str, Any]:
    extensions = {
        "code": "BAD_USER_INPUT",
        "file": reject.file,
        "line": reject.line,
        "column": reject.column,
        "reason": reject.reason,
    }
    return {"message": str(reject), "extensions": extensions}


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "false")
    if value not in ("true", "false"):
        raise UploadError(f"{name} must be true or false, not {value!r}")
    return value == "true"

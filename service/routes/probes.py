"""Health probes: ``/healthz`` (the process answers) and ``/readyz`` (it can serve)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from service.db.migrate import current_revision

log = logging.getLogger("memberlens.readyz")


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """200 with the schema revision when the database answers at the newest migration;
    503 with ``{"ready": false}`` otherwise, the reason only in the log (no key is needed
    here, so nothing of the failure reaches the client)."""
    head = request.app.state.head_revision
    try:
        async with request.app.state.pool.acquire(timeout=2) as connection:
            revision = await current_revision(connection)
    except Exception as exc:  # any failure means not ready
        log.warning("not ready: database: %s", exc)
        return JSONResponse({"ready": False}, status_code=503)
    if revision != head:
        log.warning("not ready: schema at %s, expected %s: run memberlens migrate", revision, head)
        return JSONResponse({"ready": False}, status_code=503)
    return JSONResponse({"ready": True, "revision": revision})

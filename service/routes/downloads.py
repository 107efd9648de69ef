"""``GET /exports/{id}``: an audience export link, streamed as CSV."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from resolvers.engine import CONNECTION_LANE
from resolvers.segments.export import audience_csv, find_export
from service.admission import admit
from service.fairness import KeyBusy
from service.responses import busy, error_response


async def segment_export(request: Request) -> Response:
    principal = admit(request)
    if isinstance(principal, Response):
        return principal
    export_id = request.path_params["export_id"]
    pool = request.app.state.pool
    ticket = await find_export(pool, export_id=export_id)
    if ticket is None:
        return error_response(f"no export {export_id!r}", "NOT_FOUND", 404)
    if not principal.may_read(ticket.shop_id):
        message = f"this API key may not read shop {ticket.shop_id!r}"
        return error_response(message, "FORBIDDEN", 403)
    if ticket.expired:
        message = "this export link has expired; export the segment again"
        return error_response(message, "NOT_FOUND", 410)
    try:
        give_back = await request.app.state.lanes.enter(principal.key_id)
    except KeyBusy:
        return busy(request)
    lane = request.app.state.lanes.connections_of(principal.key_id)
    csv_chunks = audience_csv(pool, ticket, zone=request.app.state.settings.zone)

    async def stream() -> AsyncIterator[bytes]:
        # The stream's task ends with it, so the share needs no reset.
        CONNECTION_LANE.set(lane)
        try:
            async with contextlib.aclosing(csv_chunks):  # its connection back first
                async for chunk in csv_chunks:
                    yield chunk
        finally:
            give_back()

    # The turn is the key's until the download ends; a download that never starts
    # (the client left at once) gives it back after the response.
    return StreamingResponse(
        stream(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{ticket.filename}"'},
        background=BackgroundTask(give_back),
    )

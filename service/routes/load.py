"""``POST /load``: interchange files uploaded with a write or admin key."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from service.admission import admit
from service.fairness import KeyBusy
from service.load_route import load_upload
from service.responses import busy, error_response
from service.uploads import UploadError


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

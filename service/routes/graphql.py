"""``/graphql``: GraphiQL on GET; on POST, a document run within its key's turn and the
request deadline."""

from __future__ import annotations

import asyncio

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from service.admission import admit
from service.errors import timeout_message
from service.fairness import KeyBusy
from service.responses import busy, error_response, unavailable
from service.undo import take_back


async def _body_within(request: Request, limit: int) -> bool:
    """Read the body, stopping as soon as it passes ``limit`` bytes (a chunked body declares
    no length); whether it fit. The body read is kept for the GraphQL view."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return False
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return False
    request._body = bytes(body)  # Request.body() returns the cached bytes from here on
    return True


async def graphql(request: Request) -> Response:
    state = request.app.state
    if request.method == "GET":
        page: Response = await state.view.render_graphql_ide(request)
        return page
    principal = admit(request, graphql=True)
    if isinstance(principal, Response):
        return principal
    settings = state.settings
    if not await _body_within(request, settings.max_body_bytes):
        message = f"request body over {settings.max_body_bytes} bytes"
        return error_response(message, "BAD_USER_INPUT", 413, with_data=True)
    try:
        async with state.lanes.turn(principal.key_id):
            return await _run(request)
    except KeyBusy:
        return busy(request)


async def _run(request: Request) -> Response:
    """The view's answer within the deadline: 503 when the database is out of reach."""
    settings = request.app.state.settings
    try:
        async with asyncio.timeout(settings.request_deadline_seconds):
            response: Response = await request.app.state.view.run(request)
    except HTTPException as exc:
        return error_response(exc.reason, "BAD_USER_INPUT", exc.status_code, with_data=True)
    except TimeoutError:
        context = getattr(request.state, "context", None)
        if context is not None:
            await take_back(context)
        message = timeout_message(settings.request_deadline_seconds)
        return error_response(message, "QUERY_TOO_COMPLEX", 200, with_data=True)
    if "UNAVAILABLE" in getattr(request.state, "error_codes", ()):
        answer = unavailable(request)
        response.status_code = answer.status_code
        response.headers["retry-after"] = answer.headers["retry-after"]
    return response

"""``/graphql``: GraphiQL on GET; on POST, a document run within its key's turn and the
request deadline, or its kept answer (``service.answers``)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from resolvers.figures import read_versions
from service.admission import admit
from service.answers import KeptAnswers
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
            response = await _answer(request)
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


async def _answer(request: Request) -> Response:
    """The kept answer of the body, when it may be kept and is; else the view's answer,
    kept when it may be and holds no error."""
    state = request.app.state
    today = datetime.now(state.settings.zone).date()
    request.state.today = today  # the day the document's periods are relative to
    answers: KeptAnswers = state.answers
    key = answers.key_for(await request.body(), request.user.shops, today)
    if key is None:
        response: Response = await state.view.run(request)
        return response
    cached, setup_version = await read_versions(state.pool, state.settings.zone, state.figure_cache)
    request.state.cached = cached  # the fields read at the version the answer is kept under
    versions = (cached.version, setup_version)
    kept = answers.get(versions, key)
    if kept is not None:
        return Response(kept, media_type="application/json")
    response = await state.view.run(request)
    if response.status_code == 200 and not getattr(request.state, "error_codes", ()):
        answers.put(versions, key, bytes(response.body))
    return response

"""Error answers outside GraphQL execution, shaped like GraphQL errors so that clients
read one format."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import UNAVAILABLE_MESSAGE, is_unavailable

log = logging.getLogger("memberlens.errors")


def error_response(
    message: str,
    code: str,
    status: int,
    *,
    retry_after: int | None = None,
    with_data: bool = False,
) -> JSONResponse:
    """An error answer; ``with_data`` adds ``"data": null`` (a GraphQL request's answer)."""
    body: dict[str, object] = {"errors": [{"message": message, "extensions": {"code": code}}]}
    if with_data:
        body = {"data": None, **body}
    headers = {"retry-after": str(retry_after)} if retry_after is not None else None
    return JSONResponse(body, status_code=status, headers=headers)


def unavailable(request: Request) -> JSONResponse:
    """503 ``UNAVAILABLE``: the database cannot be reached; retry after the setting's delay."""
    settings = request.app.state.settings
    return error_response(
        UNAVAILABLE_MESSAGE,
        "UNAVAILABLE",
        503,
        retry_after=settings.retry_after_seconds,
        with_data=request.url.path == "/graphql",
    )


def busy(request: Request) -> JSONResponse:
    """429 ``RATE_LIMITED``: the key already runs as many requests as it may."""
    limit = request.app.state.settings.key_requests
    message = f"this API key already runs {limit} requests at once; retry when one has answered"
    graphql = request.url.path == "/graphql"
    return error_response(message, "RATE_LIMITED", 429, retry_after=1, with_data=graphql)


class UnavailableMiddleware:
    """Answers 503 ``UNAVAILABLE`` when the database is out of reach outside GraphQL
    execution (looking up the key, a download, a load), instead of a logged 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception as exc:
            if started or not is_unavailable(exc):
                raise
            request = Request(scope)
            log.warning("request %s: database unreachable: %s", _request_id(request), exc)
            await unavailable(request)(scope, receive, send)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """A failure outside GraphQL: logged in full and masked for the client."""
    request_id = _request_id(request)
    log.error("request %s: unexpected error at %s", request_id, request.url.path, exc_info=exc)
    body = {
        "errors": [
            {
                "message": f"Internal error (request {request_id}).",
                "extensions": {"code": "INTERNAL", "requestId": request_id},
            }
        ]
    }
    return JSONResponse(body, status_code=500)


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or "unknown"

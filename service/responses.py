"""Error answers outside GraphQL execution, shaped like GraphQL errors so that clients
read one format."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

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


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """A failure outside GraphQL: UNAVAILABLE when the database is out of reach, otherwise
    logged in full and masked for the client."""
    if is_unavailable(exc):
        log.warning("request %s: database unreachable: %s", _request_id(request), exc)
        return unavailable(request)
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

"""The ASGI application: GraphQL endpoint, file loads, audience downloads and health probes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from resolvers.segments.export import EXPORT_ROUTE, audience_csv, find_export
from service.auth import Anonymous, ApiKeyBackend, Principal
from service.db.migrate import current_revision, head_revision
from service.db.pool import create_pool
from service.graphql import GraphQLView, build_schema
from service.load_route import load_upload
from service.observability import ObserveMiddleware, RequestMetrics
from service.ratelimit import TokenBuckets
from service.settings import Settings
from service.uploads import UploadError

log = logging.getLogger(__name__)


# How a route answers a refusal: (message, code, HTTP status) -> response.
Refusal = Callable[[str, str, int], JSONResponse]


def graphql_error(message: str, code: str, status: int) -> JSONResponse:
    """A GraphQL-shaped error response for failures before execution."""
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


def download_error(message: str, code: str, status: int) -> JSONResponse:
    """An error of a download, shaped like a GraphQL error so clients read one format."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """An unexpected failure outside GraphQL: logged in full, masked for the client."""
    request_id = getattr(request.state, "request_id", None) or "unknown"
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


def _too_large(request: Request, limit: int) -> bool:
    declared = request.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > limit


async def _body_within(request: Request, limit: int) -> bool:
    """Read the body, stopping as soon as it passes ``limit`` bytes (a chunked body declares
    no length); whether it fit. The body read is kept for the GraphQL view."""
    if _too_large(request, limit):
        return False
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return False
    request._body = bytes(body)  # Request.body() returns the cached bytes from here on
    return True


def create_app(settings: Settings, *, database_url: str) -> Starlette:
    """The application for ``database_url``; its pool opens and closes with the lifespan."""
    view = GraphQLView(build_schema(settings), settings)
    metrics = RequestMetrics()
    head = head_revision()
    buckets = TokenBuckets(rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst)

    def admit(request: Request, refuse: Refusal = download_error) -> Principal | Response:
        """The authenticated caller within its rate limit, or ``refuse``'s answer."""
        if isinstance(request.user, Anonymous):
            return refuse(request.user.problem, "UNAUTHENTICATED", 401)
        principal: Principal = request.user
        if not buckets.allow(principal.key_id):
            limit = f"{settings.rate_limit_per_second:g} requests/s"
            return refuse(f"rate limit of {limit} exceeded", "RATE_LIMITED", 429)
        return principal

    async def graphql(request: Request) -> Response:
        if request.method == "GET":
            return await view.render_graphql_ide(request)
        refused = admit(request, graphql_error)
        if isinstance(refused, Response):
            return refused
        if not await _body_within(request, settings.max_body_bytes):
            message = f"request body over {settings.max_body_bytes} bytes"
            return graphql_error(message, "BAD_USER_INPUT", 413)
        try:
            return await view.run(request)
        except HTTPException as exc:
            return graphql_error(exc.reason, "BAD_USER_INPUT", exc.status_code)

    async def segment_export(request: Request) -> Response:
        principal = admit(request)
        if isinstance(principal, Response):
            return principal
        export_id = request.path_params["export_id"]
        pool = request.app.state.pool
        ticket = await find_export(pool, export_id=export_id)
        if ticket is None:
            return download_error(f"no export {export_id!r}", "NOT_FOUND", 404)
        if not principal.may_read(ticket.shop_id):
            message = f"this API key may not read shop {ticket.shop_id!r}"
            return download_error(message, "FORBIDDEN", 403)
        if ticket.expired:
            message = "this export link has expired; export the segment again"
            return download_error(message, "NOT_FOUND", 410)
        return StreamingResponse(
            audience_csv(pool, ticket, zone=settings.zone),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{ticket.filename}"'},
        )

    async def load(request: Request) -> Response:
        principal = admit(request)
        if isinstance(principal, Response):
            return principal
        if not principal.can_write:
            message = "this API key may only read; loading needs a write or admin key"
            return download_error(message, "FORBIDDEN", 403)
        try:
            return await load_upload(
                request, pool=request.app.state.pool, settings=settings, principal=principal
            )
        except UploadError as exc:
            return download_error(exc.message, "BAD_USER_INPUT", exc.status)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:
            async with request.app.state.pool.acquire(timeout=2) as connection:
                revision = await current_revision(connection)
        except Exception as exc:  # any failure means not ready; the reason is reported
            return JSONResponse({"ready": False, "reason": f"database: {exc}"}, status_code=503)
        if revision != head:
            reason = f"schema at {revision or 'nothing'}, expected {head}: run memberlens migrate"
            return JSONResponse({"ready": False, "reason": reason}, status_code=503)
        return JSONResponse({"ready": True, "revision": revision})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await create_pool(settings, database_url)
        try:
            yield
        finally:
            await app.state.pool.close()

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/load", load, methods=["POST"]),
            Route("/exports/{export_id}", segment_export, methods=["GET"], name=EXPORT_ROUTE),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics.endpoint, methods=["GET"]),
        ],
        middleware=[
            Middleware(ObserveMiddleware, metrics=metrics),
            Middleware(AuthenticationMiddleware, backend=ApiKeyBackend()),
        ],
        exception_handlers={Exception: internal_error},
        lifespan=lifespan,
    )

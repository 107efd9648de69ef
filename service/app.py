"""The ASGI application: GraphQL endpoint, file loads, audience downloads and health probes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import Route

from resolvers.engine import FigureCache
from resolvers.segments.export import EXPORT_ROUTE
from service.answers import KeptAnswers
from service.auth import ApiKeyBackend
from service.db.migrate import head_revision
from service.db.pool import create_pool
from service.fairness import KeyLanes
from service.graphql import GraphQLView, build_schema
from service.observability import ObserveMiddleware, RequestMetrics
from service.ratelimit import TokenBuckets
from service.responses import UnavailableMiddleware, unexpected_error
from service.routes.downloads import segment_export
from service.routes.graphql import graphql
from service.routes.load import load
from service.routes.probes import healthz, readyz
from service.settings import Settings
from service.slow_clients import BodyTimeout, BodyTimeoutMiddleware, body_timeout_answer


def create_app(settings: Settings, *, database_url: str) -> Starlette:
    """The application for ``database_url``; its pool opens and closes with the lifespan."""
    metrics = RequestMetrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await create_pool(settings, database_url)
        try:
            yield
        finally:
            try:  # statements still running past the grace period are cut
                async with asyncio.timeout(settings.shutdown_seconds):
                    await app.state.pool.close()
            except TimeoutError:
                app.state.pool.terminate()

    app = Starlette(
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
            Middleware(UnavailableMiddleware),
            Middleware(BodyTimeoutMiddleware, seconds=settings.body_timeout_seconds),
            Middleware(AuthenticationMiddleware, backend=ApiKeyBackend()),
        ],
        exception_handlers={BodyTimeout: body_timeout_answer, Exception: unexpected_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.view = GraphQLView(build_schema(settings), settings)
    app.state.head_revision = head_revision()
    app.state.figure_cache = FigureCache(settings.figure_cache_rows)
    app.state.answers = KeptAnswers(settings.answer_cache_bytes, max_tokens=settings.max_tokens)
    metrics.watch(app.state.answers, app.state.figure_cache)
    app.state.fact_gate = asyncio.Semaphore(settings.fact_statements)
    app.state.buckets = TokenBuckets(
        rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst
    )
    app.state.lanes = KeyLanes(
        requests=settings.key_requests,
        connections=settings.key_connections,
        wait_seconds=settings.key_wait_seconds,
    )
    return app

"""Request ids, access counters and the Prometheus exposition."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.engine import FigureCache
from service.answers import KeptAnswers
from service.db.statements import CURRENT, StatementCount

ROUTES = frozenset({"/graphql", "/load", "/healthz", "/readyz", "/metrics"})


class RequestMetrics:
    """Counters of one application instance (kept per app, so tests never share them)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "memberlens_http_requests",
            "HTTP requests by route and status.",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "memberlens_http_request_seconds",
            "HTTP request latency by route.",
            ["route"],
            registry=self.registry,
        )
        self.statements = Histogram(
            "memberlens_sql_statements_per_request",
            "SQL statements run by one request, by route.",
            ["route"],
            buckets=(1, 2, 4, 8, 16, 32, 64, 128),
            registry=self.registry,
        )

    def watch(self, answers: KeptAnswers, figures: FigureCache) -> None:
        """Expose what the process keeps: its answers and its fact readings."""
        self.registry.register(KeptCollector(answers, figures))

    async def endpoint(self, request: Request) -> Response:
        """``GET /metrics``."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class KeptCollector(Collector):
    """Read at each scrape: how often kept answers and readings served a request."""

    def __init__(self, answers: KeptAnswers, figures: FigureCache) -> None:
        self.answers = answers
        self.figures = figures

    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily(
            "memberlens_kept_answers_served",
            "Requests answered with a kept answer.",
            value=self.answers.hits,
        )
        yield GaugeMetricFamily(
            "memberlens_kept_answers_bytes",
            "Bytes of answers kept, at the newest versions seen.",
            value=self.answers.held,
        )
        readings = CounterMetricFamily(
            "memberlens_kept_readings",
            "Window readings looked up, by whether one was kept.",
            labels=["result"],
        )
        readings.add_metric(["hit"], self.figures.hits)
        readings.add_metric(["miss"], self.figures.misses)
        yield readings


class ObserveMiddleware:
    """Gives each request an id (``x-request-id``), records its status, latency and SQL
    statements (``x-sql-statements``, counted up to the response's start)."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        route = scope["path"] if scope["path"] in ROUTES else "other"
        started = time.perf_counter()
        status = 500
        statements = StatementCount()
        token = CURRENT.set(statements)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                    (b"x-sql-statements", str(statements.value).encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            CURRENT.reset(token)
            self.metrics.statements.labels(route).observe(statements.value)
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
            self.metrics.requests.labels(route, str(status)).inc()

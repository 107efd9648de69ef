"""The GraphQL schema with its guards, and the HTTP view that serves it."""

from __future__ import annotations

import asyncio
import uuid

import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.types import ExecutionContext, ExecutionResult

from schema.context import Context
from schema.mutation import Mutation
from schema.query import Query
from service.auth import Principal
from service.document_guard import DocumentGuard
from service.errors import classify, codes_of
from service.request_body import THREAD_ABOVE_BYTES, BodyError, parse_graphql_body
from service.settings import Settings
from service.undo import UndoUnanswered


class Schema(strawberry.Schema):
    """The schema; errors are logged once, where they are classified (``service.errors``)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with its document guard (token cap, depth, aliases, fields, cost)."""
    guard = DocumentGuard(settings)
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=[guard.extension, UndoUnanswered],
    )


class GraphQLView(GraphQL[Context, None]):
    """Builds the typed context from the authenticated request; takes the body apart at the
    door and gives every error of a result its code."""

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=False)
        self.settings = settings

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        principal = request.user
        assert isinstance(principal, Principal)
        context = Context(
            request=request,
            response=response,
            pool=request.app.state.pool,
            settings=self.settings,
            principal=principal,
            request_id=getattr(request.state, "request_id", None) or uuid.uuid4().hex,
            figures=request.app.state.figure_cache,
            fact_gate=request.app.state.fact_gate,
            today=request.state.today,
            cached=getattr(request.state, "cached", None),
        )
        request.state.context = context  # the route takes mutations back past the deadline
        return context

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if "application/json" not in (request.content_type or ""):
            raise HTTPException(415, "the body must be JSON (content-type: application/json)")
        raw = await request.get_body()
        raw = raw if isinstance(raw, bytes) else raw.encode()
        try:
            if len(raw) > THREAD_ABOVE_BYTES:
                body = await asyncio.to_thread(parse_graphql_body, raw)
            else:
                body = parse_graphql_body(raw)
        except BodyError as exc:
            raise HTTPException(400, str(exc)) from None
        return GraphQLRequestData(
            query=body.query,
            variables=body.variables,
            operation_name=body.operation_name,
            extensions=body.extensions,
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            principal = request.user
            result.errors = [
                classify(
                    error,
                    request_id=getattr(request.state, "request_id", "-"),
                    key_id=principal.key_id if isinstance(principal, Principal) else "-",
                    statement_seconds=self.settings.statement_timeout_seconds,
                )
                for error in result.errors
            ]
            request.state.error_codes = codes_of(result.errors)
        return process_result(result)

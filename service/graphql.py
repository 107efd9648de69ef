"""The GraphQL schema with its guards, and the HTTP view that serves it."""

from __future__ import annotations

import uuid

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    MaxAliasesLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from schema.context import Context
from schema.mutation import Mutation
from schema.query import Query
from service.auth import Principal
from service.errors import CodedErrors
from service.settings import Settings
from service.undo import UndoUnanswered


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with depth and alias limits, parser and validation caches."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            CodedErrors,
            UndoUnanswered,
            lambda: QueryDepthLimiter(max_depth=settings.max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ],
    )


class GraphQLView(GraphQL[Context, None]):
    """Builds the typed context from the authenticated request."""

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=False)
        self.settings = settings

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        principal = request.user
        assert isinstance(principal, Principal)
        return Context(
            request=request,
            response=response,
            pool=request.app.state.pool,
            settings=self.settings,
            principal=principal,
            request_id=getattr(request.state, "request_id", None) or uuid.uuid4().hex,
        )

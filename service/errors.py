"""Every GraphQL error leaves with a code; unexpected ones are logged and masked."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from resolvers.errors import ApiError

log = logging.getLogger("memberlens.errors")

# The depth and alias limiters report plain validation errors; these are their wordings.
TOO_COMPLEX = re.compile(r"exceeds maximum operation depth|aliases found", re.IGNORECASE)


def classify(error: GraphQLError, *, request_id: str) -> GraphQLError:
    """The error as clients see it: with ``extensions.code``, masked if unexpected."""
    original = error.original_error
    if isinstance(original, ApiError):
        return error
    # Variable coercion wraps its GraphQLError in another one: a bad input, not a failure.
    if original is None or isinstance(original, GraphQLError):
        code = "QUERY_TOO_COMPLEX" if TOO_COMPLEX.search(error.message) else "BAD_USER_INPUT"
        if (error.extensions or {}).get("code"):
            return error
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={**(error.extensions or {}), "code": code},
        )
    log.error(
        "request %s: unexpected error at %s",
        request_id,
        ".".join(str(part) for part in error.path or ()),
        exc_info=original,
    )
    return GraphQLError(
        f"Internal error (request {request_id}).",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": "INTERNAL", "requestId": request_id},
    )


class CodedErrors(SchemaExtension):
    """Applies ``classify`` to every error of a result."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "-")
        result.errors = [classify(error, request_id=request_id) for error in errors]

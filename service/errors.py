"""Every error leaves with a code; user errors are logged as one line, defects in full."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import asyncpg
from graphql import GraphQLError

from resolvers.errors import ApiError

log = logging.getLogger("memberlens.errors")

CODES = frozenset(
    {
        "BAD_USER_INPUT",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "RATE_LIMITED",
        "QUERY_TOO_COMPLEX",
        "UNAVAILABLE",
        "INTERNAL",
    }
)
UNAVAILABLE_MESSAGE = "the database cannot be reached now; retry later"


def is_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached (not that a statement is wrong)."""
    if isinstance(
        exc,
        asyncpg.PostgresConnectionError
        | asyncpg.CannotConnectNowError
        | asyncpg.TooManyConnectionsError
        | asyncpg.AdminShutdownError
        | asyncpg.CrashShutdownError
        | OSError,
    ):
        return True
    # The pool or a connection closed under the request; other interface errors are defects.
    return isinstance(exc, asyncpg.InterfaceError) and "clos" in str(exc)


def timeout_message(seconds: float) -> str:
    """The message of work that outran a time limit."""
    return f"took longer than {seconds:g} s: ask for fewer fields or a shorter period"


def _code_of(exc: BaseException) -> tuple[str, str] | None:
    """The code and message of a known failure that is not a defect, or None."""
    if isinstance(exc, asyncpg.QueryCanceledError):
        return "QUERY_TOO_COMPLEX", ""
    if is_unavailable(exc):
        return "UNAVAILABLE", UNAVAILABLE_MESSAGE
    if isinstance(exc, asyncpg.ObjectNotInPrerequisiteStateError):  # an aggregate rebuilt
        return "UNAVAILABLE", "figures are being rebuilt; retry later"
    if isinstance(exc, asyncpg.DataError):  # a value the database cannot hold or compute
        return "BAD_USER_INPUT", "an argument is out of the range the service can compute with"
    return None


def _coded(error: GraphQLError, code: str, message: str | None = None) -> GraphQLError:
    return GraphQLError(
        message if message is not None else error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )


def classify(
    error: GraphQLError, *, request_id: str, key_id: str, statement_seconds: float
) -> GraphQLError:
    """The error as clients see it, with ``extensions.code``; logged on the way."""
    original = error.original_error
    where = ".".join(str(part) for part in error.path or ()) or "-"
    if isinstance(original, ApiError):
        coded = error
    elif original is None or isinstance(original, GraphQLError):
        # Syntax, validation and variable errors: the document or its inputs are wrong.
        code = (error.extensions or {}).get("code")
        coded = error if code in CODES else _coded(error, "BAD_USER_INPUT")
    elif (known := _code_of(original)) is not None:
        code, message = known
        if code == "QUERY_TOO_COMPLEX":
            message = timeout_message(statement_seconds)
        if code == "BAD_USER_INPUT":
            log.warning(
                "request %s key %s: data error at %s", request_id, key_id, where, exc_info=original
            )
        coded = _coded(error, code, message)
    else:
        log.error(
            "request %s key %s: unexpected error at %s",
            request_id,
            key_id,
            where,
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
    code = (coded.extensions or {})["code"]
    log.info("request %s key %s: %s at %s: %s", request_id, key_id, code, where, coded.message)
    return coded


def codes_of(errors: Iterable[GraphQLError]) -> set[str]:
    """The codes of classified errors."""
    return {str((error.extensions or {}).get("code")) for error in errors}

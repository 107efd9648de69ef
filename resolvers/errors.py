"""Expected failures, each with the ``extensions.code`` clients branch on."""

from __future__ import annotations

from typing import ClassVar


class ApiError(Exception):
    """A failure the caller can act on; its message is shown as is."""

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.extensions: dict[str, object] = {"code": self.code}


class BadUserInput(ApiError):
    code = "BAD_USER_INPUT"


class Unauthenticated(ApiError):
    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class NotFound(ApiError):
    code = "NOT_FOUND"


class RateLimited(ApiError):
    code = "RATE_LIMITED"


class QueryTooComplex(ApiError):
    code = "QUERY_TOO_COMPLEX"

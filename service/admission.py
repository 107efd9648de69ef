"""Who may come in: an authenticated key within its rate limit."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response

from service.auth import Anonymous, Principal
from service.responses import error_response


def admit(request: Request, *, graphql: bool = False) -> Principal | Response:
    """The authenticated caller within its rate limit, or the error answer (401, 429)."""
    if isinstance(request.user, Anonymous):
        return error_response(request.user.problem, "UNAUTHENTICATED", 401, with_data=graphql)
    principal: Principal = request.user
    settings = request.app.state.settings
    if not request.app.state.buckets.allow(principal.key_id):
        rate = settings.rate_limit_per_second
        return error_response(
            f"rate limit of {rate:g} requests/s exceeded",
            "RATE_LIMITED",
            429,
            retry_after=max(1, math.ceil(1 / rate)),
            with_data=graphql,
        )
    return principal

"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import strawberry
from starlette.requests import Request
from starlette.responses import Response

from service.auth import Principal
from service.settings import Settings


@dataclass
class Context:
    """What a resolver may use: the pool, the settings and the authenticated caller."""

    request: Request
    response: Response
    pool: asyncpg.Pool
    settings: Settings
    principal: Principal
    request_id: str


Info = strawberry.Info[Context, None]

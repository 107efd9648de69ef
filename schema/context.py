"""The per-request context every resolver receives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

import asyncpg
import strawberry
from starlette.requests import Request
from starlette.responses import Response

from resolvers.engine import FigureCache
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
    figures: FigureCache  # fact readings kept by this process, by data version
    # Work that several fields of one request share, by key: a task the first field starts
    # and the others await (one reading for every channel of a kind), or a data loader.
    shared: dict[Hashable, object] = field(default_factory=dict)
    # What each mutation saved, as a step that takes it back: run when the response carries
    # no result (``data`` null), so that such a response has changed nothing.
    undo: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


Info = strawberry.Info[Context, None]

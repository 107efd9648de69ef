"""The per-request context every resolver receives."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from zoneinfo import ZoneInfo

import asyncpg
import strawberry
from starlette.requests import Request
from starlette.responses import Response

from resolvers.engine import CachedAt, FigureCache


class Caller(Protocol):
    """What resolvers ask of the authenticated caller (the service's ``Principal``)."""

    @property
    def shops(self) -> frozenset[str] | None:
        """The shops the key reaches; None: every shop."""
        ...

    @property
    def can_write(self) -> bool: ...

    def may_read(self, shop_id: str) -> bool: ...


class Limits(Protocol):
    """The settings resolvers read (a part of the service's ``Settings``)."""

    max_page_size: int
    max_metrics: int
    max_period_days: int
    peer_floor: int
    peer_sets: bool
    segment_max_depth: int
    export_link_seconds: int

    @property
    def zone(self) -> ZoneInfo: ...


@dataclass
class Context:
    """What a resolver may use: the pool, the settings and the authenticated caller.

    The settings and the caller are described by what resolvers read of them, so that the
    GraphQL layer does not import the service that builds the context (``service.graphql``).
    """

    request: Request
    response: Response
    pool: asyncpg.Pool
    settings: Limits
    principal: Caller
    request_id: str
    figures: FigureCache  # fact readings kept by this process, by data version
    # How many fact statements the process runs at once: more only share the same cores.
    fact_gate: asyncio.Semaphore
    # Today in the business time zone, for the periods relative to it: read once a request.
    today: date
    # The kept readings at the data version, when read before the request ran (an answer
    # that may be kept is kept under that version); else read by the first field asking.
    cached: CachedAt | None = None
    # Work that several fields of one request share, by key: a task the first field starts
    # and the others await (one reading for every channel of a kind), or a data loader.
    shared: dict[Hashable, object] = field(default_factory=dict)
    # What each mutation saved, as a step that takes it back: run when the response carries
    # no result (``data`` null), so that such a response has changed nothing.
    undo: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


Info = strawberry.Info[Context, None]

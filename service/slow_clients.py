"""Limits on clients: a request's headers must arrive within a time, each part of its body
within another, and a process serves a bounded number of connections, so that slow,
stalled or numerous clients hold nothing for long."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from service.responses import error_response
from service.settings import Settings


class BodyTimeout(Exception):
    """The next part of a request body did not arrive in time."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request body stalled: no data for {seconds:g} s")


async def body_timeout_answer(request: Request, exc: Exception) -> JSONResponse:
    """408 for a body that stalled; the connection is closed after it."""
    answer = error_response(str(exc), "BAD_USER_INPUT", 408)
    answer.headers["connection"] = "close"
    return answer


class BodyTimeoutMiddleware:
    """Each ``receive`` of a request body waits at most ``seconds``; once the body is
    complete, ``receive`` (which then waits for a disconnect) is left alone."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        complete = False

        async def timed_receive() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            try:
                async with asyncio.timeout(self.seconds):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.seconds) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        await self.app(scope, timed_receive, send)


def _overloaded(retry_after: int) -> bytes:
    """The raw answer to a connection past the cap: 503 ``UNAVAILABLE`` with Retry-After."""
    body = json.dumps(
        {
            "errors": [
                {
                    "message": "the server is at its connection limit; retry later",
                    "extensions": {"code": "UNAVAILABLE"},
                }
            ]
        },
        separators=(",", ":"),
    ).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
        f"retry-after: {retry_after}\r\nconnection: close\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class ClientLimitsProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request headers do not all
    arrive within ``header_timeout`` seconds of their first byte (or of the connection),
    and answering 503 at once to connections past ``max_connections``."""

    header_timeout: float = 10.0
    max_connections: int = 200
    retry_after: int = 5

    def __init__(self, config: Config, server_state: ServerState, *args: Any, **kw: Any) -> None:
        super().__init__(config, server_state, *args, **kw)
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:  # this one included
            transport.write(_overloaded(self.retry_after))
            transport.close()
            return
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self.conn.their_state is h11.IDLE:
            self._start_header_timer()  # the first bytes of the next request on the connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are in
            self._stop_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def client_limits_protocol(settings: Settings) -> type[ClientLimitsProtocol]:
    """The protocol class with the settings' header timeout and connection cap."""
    limits = {
        "header_timeout": settings.header_timeout_seconds,
        "max_connections": settings.max_connections,
        "retry_after": settings.retry_after_seconds,
    }
    return type("ClientLimits", (ClientLimitsProtocol,), limits)

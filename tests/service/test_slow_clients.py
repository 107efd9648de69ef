"""Slow clients are cut off: headers and each part of a body must arrive in time. Run on a
real uvicorn server with the protocol ``memberlens serve`` uses."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import asyncpg
import pytest
import uvicorn

from service.app import create_app
from service.keys import create_key
from service.settings import Settings
from service.slow_clients import client_limits_protocol


@pytest.fixture
async def server(settings: Settings, database_url: str) -> AsyncIterator[int]:
    """A server on a free local port with 0.3 s header and body timeouts and at most 3
    connections; its port."""
    limits = {"header_timeout_seconds": 0.3, "body_timeout_seconds": 0.3, "max_connections": 3}
    limited = settings.model_copy(update=limits)
    app = create_app(limited, database_url=database_url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        http=client_limits_protocol(limited),
        log_level="warning",
        lifespan="on",
    )
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    for _ in range(500):  # uvicorn says it has started by a flag only
        if served.started:
            break
        await asyncio.sleep(0.01)
    yield port
    served.should_exit = True
    await task


async def _send_and_read(port: int, data: bytes) -> bytes:
    """Send ``data`` and read until the server closes the connection (at most 5 s)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        async with asyncio.timeout(5):
            return await reader.read()
    finally:
        writer.close()


async def test_headers_that_stall_close_the_connection(server: int) -> None:
    answer = await _send_and_read(server, b"POST /graphql HTTP/1.1\r\nHost: t\r\n")
    assert answer == b""  # closed without an answer


async def test_a_body_that_stalls_answers_408(server: int, shops: asyncpg.Pool) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="slow")
    request = (
        "POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {secret}\r\nContent-Length: 100\r\n\r\n" + '{"query": '
    )
    answer = await _send_and_read(server, request.encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert body == (
        b'{"errors":[{"message":"the request body stalled: no data for 0.3 s",'
        b'"extensions":{"code":"BAD_USER_INPUT"}}]}'
    )


async def test_a_client_in_time_is_answered(server: int, shops: asyncpg.Pool) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="quick")
    body = b'{"query": "{ shop(id: \\"s1\\") { id } }"}'
    request = (
        "POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {secret}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    answer = await _send_and_read(server, request + body)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b'{"data":{"shop":{"id":"s1"}}}')


async def test_connections_past_the_cap_are_answered_503_at_once(server: int) -> None:
    held = [await asyncio.open_connection("127.0.0.1", server) for _ in range(3)]
    try:
        answer = await _send_and_read(server, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    finally:
        for _, writer in held:
            writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 503 Service Unavailable"
    assert b"retry-after: 5" in head
    assert body == (
        b'{"errors":[{"message":"the server is at its connection limit; retry later",'
        b'"extensions":{"code":"UNAVAILABLE"}}]}'
    )

"""SIGTERM stops ``memberlens serve`` promptly even while a request waits on the database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import asyncpg
import httpx

from service.keys import create_key


async def test_sigterm_stops_the_server_while_a_request_is_stuck(
    database_url: str, shops: asyncpg.Pool
) -> None:
    _, secret = await create_key(shops, scope="read", shops=("s1",), name="stuck")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The stuck request would outlive the wait below by far but for the shutdown grace.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEMBERLENS_SHUTDOWN_SECONDS": "1",
        "MEMBERLENS_STATEMENT_TIMEOUT_SECONDS": "120",
        "MEMBERLENS_REQUEST_DEADLINE_SECONDS": "120",
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service.cli.main",
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            for _ in range(300):
                try:
                    if (await http.get(url + "/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the server did not start")
            async with shops.acquire() as connection, connection.transaction():
                await connection.execute("LOCK TABLE shops IN ACCESS EXCLUSIVE MODE")
                stuck = asyncio.create_task(
                    http.post(
                        url + "/graphql",
                        json={"query": '{ shop(id: "s1") { id } }'},
                        headers={"authorization": f"Bearer {secret}"},
                    )
                )
                await asyncio.sleep(0.5)
                server.send_signal(signal.SIGTERM)
                # 1 s of grace, then the stuck request is cut and the pool closed.
                code = await asyncio.wait_for(server.wait(), timeout=15)
            await asyncio.gather(stuck, return_exceptions=True)
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()
    assert code == 0

"""User errors are logged as one INFO line; defects at ERROR with their traceback; clients
see a code, and for a defect only a masked message."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import pytest


async def test_a_user_error_is_one_info_line_with_code_key_and_request(
    caller: Any, shops: asyncpg.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    api = await caller("read", ("s1",))
    key_id = await shops.fetchval("SELECT key_id FROM api_keys")
    caplog.set_level(logging.INFO, logger="memberlens.errors")
    response = await api.post('{ shop(id: "s2") { id } }')
    request_id = response.headers["x-request-id"]
    [record] = [r for r in caplog.records if r.name == "memberlens.errors"]
    assert (record.levelno, record.exc_info) == (logging.INFO, None)
    assert record.getMessage() == (
        f"request {request_id} key {key_id}: FORBIDDEN at shop: "
        "id: this API key may not read shop 's2'"
    )


async def test_a_defect_is_logged_with_its_traceback_and_masked(
    caller: Any, shops: asyncpg.Pool, caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    # A statement the database refuses stands for a defect in the service.
    monkeypatch.setattr("resolvers.shops.SHOP_SQL", "SELECT no_such_column FROM shops")
    api = await caller("read", ("s1",))
    response = await api.post('{ shop(id: "s1") { id } }')
    request_id = response.headers["x-request-id"]
    [error] = response.json()["errors"]
    assert error["message"] == f"Internal error (request {request_id})."
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert "no_such_column" not in response.text
    [record] = [r for r in caplog.records if r.name == "memberlens.errors"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert f"request {request_id}" in record.getMessage()
    assert "no_such_column" in caplog.text

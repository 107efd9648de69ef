"""Each key gets ``rate`` requests a second after an initial burst."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from service.app import create_app
from service.keys import create_key
from service.ratelimit import TokenBuckets
from service.settings import Settings
from tests.conftest import Caller


def test_bucket_allows_burst_then_refills_at_rate() -> None:
    now = [100.0]
    buckets = TokenBuckets(rate=2, burst=3, clock=lambda: now[0])
    assert [buckets.allow("k") for _ in range(4)] == [True, True, True, False]
    assert buckets.allow("other")
    now[0] += 0.5  # one token back at 2/s
    assert [buckets.allow("k") for _ in range(2)] == [True, False]
    now[0] += 10  # refills to the burst, no further
    assert [buckets.allow("k") for _ in range(4)] == [True, True, True, False]


async def test_key_over_its_burst_is_rate_limited(
    settings: Settings, database_url: str, db: asyncpg.Pool
) -> None:
    tight = settings.model_copy(update={"rate_limit_per_second": 0.001, "rate_limit_burst": 2})
    app = create_app(tight, database_url=database_url)
    _, secret = await create_key(db, scope="admin", shops=None, name="")
    _, other = await create_key(db, scope="admin", shops=None, name="")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            me = Caller(http, secret)
            statuses = [(await me.post("{ shops { totalCount } }")).status_code for _ in range(3)]
            limited: Any = (await me.post("{ shops { totalCount } }")).json()
            fresh = await Caller(http, other).post("{ shops { totalCount } }")
    assert statuses == [200, 200, 429]
    assert limited["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert fresh.status_code == 200

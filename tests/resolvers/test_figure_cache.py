"""Kept fact readings give exactly the raw-fact figures, after loads in several batches.

Demo data is loaded in three batches: the first with some stints still open and some
orders not yet refunded, the second with the rest of the stints (late stints that make
earlier orders member or fan orders), the third closing those stints and refunding those
orders. After each batch the same documents are asked of an application that keeps its
readings across the batches (twice: the second answer comes from what it kept) and of one
that keeps nothing; every answer must be equal.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from resolvers.engine import CONNECTION_LANE, FactFilter, FigureCache, Window, read_bases
from resolvers.engine.cache import WindowKey, WindowRows
from service.app import create_app
from service.db.pool import create_pool
from service.demo import write_demo_data
from service.keys import create_key
from service.load import load_paths
from service.settings import Settings

END = date(2026, 6, 30)
ZONE = ZoneInfo("Asia/Shanghai")
DIMENSIONS = ("shops", "users", "products", "creators", "benefits", "campaigns")
PERIODS = (
    {"from": "2026-06-01", "to": "2026-06-30"},
    {"from": "2026-06-10", "to": "2026-06-16"},
)
METRICS = (
    "MEMBER_COUNT NEW_MEMBERS LEFT_MEMBERS GMV NET_GMV REFUND_RATE BUYERS REPURCHASE_RATE "
    "MEMBER_GMV_SHARE MEMBER_BUYERS ACTIVE_MEMBER_RATE MONTHLY_ACTIVE_RATE BENEFIT_USERS "
    "REACHED_USERS REACH_CONVERSION_RATE QUALITY_MEMBERS FIRST_ORDER_USERS FAN_GMV_SHARE "
    "CARD_CTR LOST_USERS REACH_VISIT_RATE CARD_NEW_CLICK_SHARE HIGH_POTENTIAL_USERS AUDIENCE_USERS"
)
DASHBOARD = f"""
query D($shop: ID!, $period: PeriodInput!) {{
  shop(id: $shop) {{
    metrics(names: [{METRICS}], period: $period,
            compare: [PREVIOUS_PERIOD, PEER_AVERAGE, PEER_MEDIAN, PEER_RANK, INDUSTRY_AVERAGE]) {{
      metric value comparisons {{ kind value peerCount unavailableReason }}
    }}
    joins: channels(kind: JOIN_CHANNEL) {{
      code metrics(names: [NEW_MEMBERS, MEMBER_COUNT], period: $period,
                   compare: [PEER_AVERAGE]) {{ value comparisons {{ value }} }}
    }}
    carriers: channels(kind: CARRIER) {{
      code metrics(names: [GMV, MEMBER_GMV_SHARE], period: $period) {{ value }}
    }}
    gmv: series(metric: GMV, period: $period) {{ start value anomaly }}
    active: series(metric: ACTIVE_MEMBER_RATE, period: $period, granularity: WEEK) {{ value }}
    products: breakdown(metric: GMV, by: PRODUCT, period: $period, limit: 5) {{ key value }}
    fans: breakdown(metric: BUYERS, by: FAN_STATUS, period: $period) {{ key value }}
    visits: breakdown(metric: REACH_VISIT_RATE, by: REACH_CHANNEL, period: $period) {{ key value }}
  }}
}}
"""

# Settings of the applications compared after each batch: small peer groups count, and
# the many requests of one key are not limited.
BATCH_LIMITS = {"peer_floor": 3, "rate_limit_burst": 1000, "rate_limit_per_second": 1000}
# An application that keeps nothing: every answer read from the facts (the raw-fact path).
NOTHING_KEPT = {"figure_cache_rows": 0, "answer_cache_bytes": 0, "peer_sets": False}


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(folder: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _batches(source: Path, root: Path) -> list[Path]:
    """Three folders of interchange files that together hold the demo data."""
    first, second, third = root / "b1", root / "b2", root / "b3"
    for name in DIMENSIONS:
        header, rows = _rows(source / f"{name}.csv")
        _write(first, f"{name}.csv", header, rows)
    for name, end_column in (("members", "left_at"), ("fans", "unfollowed_at")):
        header, rows = _rows(source / f"{name}.csv")
        stints = Counter((row["shop_id"], row["user_id"]) for row in rows)
        half = len(rows) // 2
        # A user's only stint may arrive open and be closed by a later batch.
        closed_later = [
            row
            for row in rows[:half]
            if row[end_column] and stints[(row["shop_id"], row["user_id"])] == 1
        ]
        opened = [{**row, end_column: ""} if row in closed_later else row for row in rows[:half]]
        _write(first, f"{name}.csv", header, opened)
        _write(second, f"{name}.csv", header, rows[half:])
        _write(third, f"{name}.csv", header, closed_later)
    header, rows = _rows(source / "orders.csv")
    refunded_later = [row for row in rows[0::3] if row["refund_amount"]]
    unrefunded = [
        {**row, "refund_amount": "", "refunded_at": ""} if row["refund_amount"] else row
        for row in rows[0::3]
    ]
    _write(first, "orders.csv", header, unrefunded)
    _write(second, "orders.csv", header, rows[1::3])
    _write(third, "orders.csv", header, rows[2::3] + refunded_later)
    for name in ("events", "reach"):
        header, rows = _rows(source / f"{name}.csv")
        half = len(rows) // 2
        _write(first, f"{name}.csv", header, rows[:half])
        _write(second, f"{name}.csv", header, rows[half:])
    return [first, second, third]


async def _answer(http: httpx.AsyncClient, secret: str, shop: str, period: Any) -> Any:
    response = await http.post(
        "/graphql",
        json={"query": DASHBOARD, "variables": {"shop": shop, "period": period}},
        headers={"authorization": f"Bearer {secret}"},
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.mark.parametrize("seed", [3])
async def test_kept_readings_equal_the_raw_facts_after_each_batch(
    settings: Settings, database_url: str, db: asyncpg.Pool, tmp_path: Path, seed: int
) -> None:
    write_demo_data(tmp_path / "demo", shops=8, days=60, seed=seed, end=END)
    batches = _batches(tmp_path / "demo", tmp_path / "batches")
    _, secret = await create_key(db, scope="admin", shops=None, name="cache")
    # Whole answers are not kept here (tests/service/test_answers.py): the second answer
    # of the keeping application is computed again, from its kept readings.
    limits = {**BATCH_LIMITS, "answer_cache_bytes": 0}
    keeping = create_app(settings.model_copy(update=limits), database_url=database_url)
    raw_settings = settings.model_copy(update={**limits, **NOTHING_KEPT})
    raw = create_app(raw_settings, database_url=database_url)
    compared = 0
    async with keeping.router.lifespan_context(keeping), raw.router.lifespan_context(raw):
        kept = httpx.AsyncClient(transport=httpx.ASGITransport(app=keeping), base_url="http://t")
        fresh = httpx.AsyncClient(transport=httpx.ASGITransport(app=raw), base_url="http://t")
        async with kept, fresh:
            for batch in batches:
                report = await load_paths(db, [batch], zone=ZONE)
                assert report.committed, report
                shops = [row["shop_id"] for row in await db.fetch("SELECT shop_id FROM shops")]
                for shop in shops[:4]:
                    for period in PERIODS:
                        first = await _answer(kept, secret, shop, period)
                        again = await _answer(kept, secret, shop, period)
                        expected = await _answer(fresh, secret, shop, period)
                        assert json.dumps(first) == json.dumps(expected), (batch.name, shop)
                        assert json.dumps(again) == json.dumps(expected), (batch.name, shop)
                        compared += 1
    cache = keeping.state.figure_cache
    assert compared == 24
    assert cache.hits > 0  # the second answers came from kept readings
    assert raw.state.figure_cache.hits == 0


LIGHT = """
query L($shop: ID!, $period: PeriodInput!, $names: [Metric!]!) {
  shop(id: $shop) { metrics(names: $names, period: $period) { metric value } }
}
"""


async def test_readings_with_other_costly_parts_are_kept_apart(
    settings: Settings, database_url: str, db: asyncpg.Pool, tmp_path: Path
) -> None:
    # GMV reads orders without the member lookup; the member GMV share needs it. A reading
    # kept for the first must not answer the second.
    write_demo_data(tmp_path / "demo", shops=3, days=40, seed=5, end=END)
    assert (await load_paths(db, [tmp_path / "demo"], zone=ZONE)).committed
    _, secret = await create_key(db, scope="admin", shops=None, name="cache")
    keeping = create_app(settings, database_url=database_url)
    raw = create_app(settings.model_copy(update=NOTHING_KEPT), database_url=database_url)
    names_in_turn = (["GMV"], ["MEMBER_GMV_SHARE", "FAN_GMV_SHARE"], ["FIRST_ORDER_USERS"])
    async with keeping.router.lifespan_context(keeping), raw.router.lifespan_context(raw):
        kept = httpx.AsyncClient(transport=httpx.ASGITransport(app=keeping), base_url="http://t")
        fresh = httpx.AsyncClient(transport=httpx.ASGITransport(app=raw), base_url="http://t")
        async with kept, fresh:
            for names in names_in_turn:
                variables = {"shop": "s01", "period": PERIODS[0], "names": names}
                headers = {"authorization": f"Bearer {secret}"}
                body = {"query": LIGHT, "variables": variables}
                got = (await kept.post("/graphql", json=body, headers=headers)).json()
                want = (await fresh.post("/graphql", json=body, headers=headers)).json()
                assert got == want
                assert all(result["value"] for result in got["data"]["shop"]["metrics"])


def test_the_cache_is_bounded_by_slice_rows_and_kept_per_version() -> None:
    cache = FigureCache(rows=3)
    at = datetime(2026, 6, 1, tzinfo=ZONE)
    one: WindowRows = {"": {"gmv": Decimal(1)}}
    two: WindowRows = {"a": {"gmv": Decimal(2)}, "b": {"gmv": Decimal(3)}}

    def key(shop: str) -> WindowKey:
        return ("orders", (), shop, at, at, None, None)

    cache.put(5, key("s1"), one)
    cache.put(5, key("s2"), two)
    assert cache.get(5, key("s1")) == one  # s1 is now the most recently used
    cache.put(5, key("s3"), one)  # 4 rows: the least recently used, s2, goes
    assert (cache.get(5, key("s2")), cache.get(5, key("s3"))) == (None, one)
    cache.put(5, key("s4"), {str(n): {} for n in range(4)})  # larger than the bound
    assert cache.get(5, key("s4")) is None
    assert cache.get(4, key("s1")) is None  # an older version is never served
    cache.put(4, key("s5"), one)
    assert cache.get(5, key("s5")) is None  # nor kept
    assert cache.get(6, key("s1")) is None  # a newer one empties the cache
    assert cache.get(5, key("s1")) is None


async def test_a_failing_field_does_not_cancel_the_version_its_siblings_wait_on(
    caller: Any, shops: asyncpg.Pool
) -> None:
    api = await caller("read", ("s1",))
    body = await api.query(
        '{ a: shop(id: "s1") { series(metric: GMV, period: {lastDays: 7}) { value } '
        "metrics(names: [GMV], period: {lastDays: 100000}) { value } } "
        'b: shop(id: "s1") { breakdown(metric: GMV, by: PRODUCT, period: {lastDays: 7}) '
        "{ key } } }"
    )
    assert body["data"] == {"a": None, "b": {"breakdown": []}}
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]


async def test_a_key_waiting_for_its_connections_holds_no_gate_turn(
    settings: Settings, database_url: str, shops: asyncpg.Pool
) -> None:
    pool = await create_pool(settings, database_url)
    lane, gate = asyncio.Semaphore(1), asyncio.Semaphore(1)
    at = datetime(2026, 6, 1, tzinfo=ZONE)
    windows = [Window(0, "s1", at, at)]
    try:
        await lane.acquire()  # the key's one connection is in use
        token = CONNECTION_LANE.set(lane)
        try:
            reading = asyncio.ensure_future(
                read_bases(pool, windows=windows, bases={"gmv"}, facts=FactFilter(), gate=gate)
            )
        finally:
            CONNECTION_LANE.reset(token)
        await asyncio.sleep(0.1)
        assert not gate.locked()  # other tenants' statements may still run
        lane.release()
        await reading
        assert not gate.locked() and not lane.locked()
    finally:
        await pool.close()


def test_older_peer_sets_are_removed_once_per_industry_and_version() -> None:
    cache = FigureCache(rows=3)
    assert cache.prune_due(5, "apparel")
    assert not cache.prune_due(5, "apparel")  # removed already by this process
    assert cache.prune_due(5, "beauty")
    assert not cache.prune_due(4, "home")  # a reading of an older version removes nothing
    assert cache.prune_due(6, "apparel")  # a newer version: once more
    assert not cache.prune_due(6, "apparel")

"""Kept answers: equal to the answers computed afresh after every change, kept per reach of
the key and day, never for documents whose answer depends on more than the facts and the
setup."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from service.answers import KeptAnswers, keepable_document
from service.app import create_app
from service.demo import write_demo_data
from service.keys import create_key
from service.load import load_paths
from service.settings import Settings
from tests.conftest import Caller
from tests.resolvers.test_figure_cache import (
    BATCH_LIMITS,
    DASHBOARD,
    END,
    NOTHING_KEPT,
    PERIODS,
    ZONE,
    _batches,
)

SHOP_GMV = """
query G($period: PeriodInput!) {
  shop(id: "s1") {
    metrics(names: [GMV], period: $period, compare: [TARGET]) {
      value comparisons { value completion unavailableReason }
    }
  }
}
"""
SET_TARGET = """
mutation T($target: Float!) {
  setKpiTarget(shopId: "s1", metric: GMV, period: {from: "2026-05-01", to: "2026-05-31"},
               target: $target) { target }
}
"""
MAY = {"from": "2026-05-01", "to": "2026-05-31"}


async def _post(http: httpx.AsyncClient, secret: str, query: str, **variables: Any) -> Any:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {secret}"},
    )
    return response


async def test_kept_answers_equal_fresh_ones_after_each_batch(
    settings: Settings, database_url: str, db: asyncpg.Pool, tmp_path: Path
) -> None:
    write_demo_data(tmp_path / "demo", shops=8, days=60, seed=4, end=END)
    batches = _batches(tmp_path / "demo", tmp_path / "batches")
    _, secret = await create_key(db, scope="admin", shops=None, name="answers")
    keeping = create_app(settings.model_copy(update=BATCH_LIMITS), database_url=database_url)
    nothing_kept = {**BATCH_LIMITS, **NOTHING_KEPT}
    raw = create_app(settings.model_copy(update=nothing_kept), database_url=database_url)
    compared = 0
    async with keeping.router.lifespan_context(keeping), raw.router.lifespan_context(raw):
        kept = httpx.AsyncClient(transport=httpx.ASGITransport(app=keeping), base_url="http://t")
        fresh = httpx.AsyncClient(transport=httpx.ASGITransport(app=raw), base_url="http://t")
        async with kept, fresh:
            for batch in batches:
                hits = keeping.state.answers.hits
                report = await load_paths(db, [batch], zone=ZONE)
                assert report.committed, report
                for shop in ("s01", "s02", "s05"):
                    for period in PERIODS:
                        asked = {"shop": shop, "period": period}
                        first = await _post(kept, secret, DASHBOARD, **asked)
                        again = await _post(kept, secret, DASHBOARD, **asked)
                        expected = await _post(fresh, secret, DASHBOARD, **asked)
                        assert "errors" not in expected.json()
                        assert first.content == expected.content, (batch.name, shop)
                        assert again.content == expected.content, (batch.name, shop)
                        assert again.headers["x-sql-statements"] == "2"  # key and versions
                        compared += 1
                # every second answer of this batch, and none of the first, was a kept one
                assert keeping.state.answers.hits == hits + 6
    assert compared == 18
    assert raw.state.answers.hits == 0


async def test_a_new_target_is_answered_at_once(caller: Any, shops: asyncpg.Pool) -> None:
    writer: Caller = await caller("write", ("s1",))
    before = await writer.query(SHOP_GMV, period=MAY)
    assert before["data"]["shop"]["metrics"][0]["comparisons"] == [
        {"value": None, "completion": None, "unavailableReason": "NO_TARGET"}
    ]
    assert (await writer.query(SET_TARGET, target=2500))["data"]
    after = await writer.query(SHOP_GMV, period=MAY)
    assert after["data"]["shop"]["metrics"][0]["comparisons"][0]["value"] == 2500
    assert (await writer.query(SET_TARGET, target=10))["data"]
    again = await writer.query(SHOP_GMV, period=MAY)
    assert again["data"]["shop"]["metrics"][0]["comparisons"][0]["value"] == 10


async def test_keys_reaching_other_shops_have_other_answers(
    app: Any, caller: Any, shops: asyncpg.Pool
) -> None:
    everything: Caller = await caller("admin")
    also_everything: Caller = await caller("admin")
    one_shop: Caller = await caller("read", ("s2",))
    listing = "{ shops { totalCount edges { node { id } } } }"
    assert (await everything.query(listing))["data"]["shops"]["totalCount"] == 3
    assert (await also_everything.query(listing))["data"]["shops"]["totalCount"] == 3
    assert app.state.answers.hits == 1  # keys reaching the same shops share answers
    answer = await one_shop.query(listing)
    assert answer["data"]["shops"] == {"totalCount": 1, "edges": [{"node": {"id": "s2"}}]}
    assert app.state.answers.hits == 1


async def test_answers_with_errors_are_not_kept(app: Any, caller: Any, shops: asyncpg.Pool) -> None:
    reader: Caller = await caller("read", ("s1",))
    forbidden = '{ shop(id: "s3") { id } }'
    for _ in range(2):
        body = await reader.query(forbidden)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert app.state.answers.hits == 0


async def test_a_revoked_key_gets_no_kept_answer(caller: Any, shops: asyncpg.Pool) -> None:
    reader: Caller = await caller("read", ("s1",))
    document = '{ shop(id: "s1") { name } }'
    assert (await reader.query(document))["data"] == {"shop": {"name": "Shop One"}}
    await shops.execute("UPDATE api_keys SET revoked_at = now()")
    response = await reader.post(document)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("document", "keepable"),
    [
        ('{ shop(id: "s1") { id name tier metrics(names: [GMV]) { value } } }', True),
        ("query { shops { edges { node { id } } } metricDefinitions { metric } }", True),
        ('{ ...F } fragment F on Query { shop(id: "s1") { breakdown { key value } } }', True),
        ('{ shop(id: "s1") { members { totalCount } } }', False),  # status at the moment asked
        ('{ shop(id: "s1") { segments { id } } }', False),
        ('{ shop(id: "s1") { ...F } } fragment F on Shop { member(id: "u1") { id } }', False),
        ('mutation { deleteSegment(id: "x") }', False),
        ("{ shop(id: ", False),  # does not parse: the view answers the error
    ],
)
def test_which_documents_may_be_kept(document: str, keepable: bool) -> None:
    assert keepable_document(document, max_tokens=1000) is keepable


def test_answers_are_kept_per_key_day_and_versions_within_their_bytes() -> None:
    answers = KeptAnswers(10, max_tokens=1000)
    body = json.dumps({"query": "{ shops { totalCount } }"}).encode()
    key = answers.key_for(body, None, date(2026, 6, 1))
    assert key is not None
    assert key == answers.key_for(body, None, date(2026, 6, 1))
    assert key != answers.key_for(body, frozenset({"s1"}), date(2026, 6, 1))
    assert key != answers.key_for(body, None, date(2026, 6, 2))
    two = answers.key_for(body, frozenset({"s1", "s2"}), END)
    assert two == answers.key_for(body, frozenset({"s2", "s1"}), END)
    assert two != answers.key_for(body, frozenset({"s1\ns2"}), END)
    assert answers.key_for(b'{"query": "{ shop(id: 1) { segments { id } } }"}', None, END) is None
    assert answers.key_for(b"[1]", None, END) is None
    answers.put((5, 5), key, b"12345")
    assert answers.get((5, 5), key) == b"12345"
    assert answers.get((5, 4), key) is None  # an older setup version is never served
    answers.put((4, 9), key, b"0")
    assert answers.get((5, 5), key) == b"12345"  # nor kept, nor does it empty the rest
    assert answers.get((5, 6), key) is None  # a newer one empties what was kept
    other = answers.key_for(body, frozenset({"s3"}), END)
    assert other is not None
    answers.put((5, 6), key, b"123456")
    answers.put((5, 6), other, b"12345")  # 11 bytes: the least recently used goes
    assert (answers.get((5, 6), key), answers.get((5, 6), other)) == (None, b"12345")
    answers.put((5, 6), key, b"x" * 11)  # larger than the bound
    assert answers.get((5, 6), key) is None
    assert KeptAnswers(0, max_tokens=1000).key_for(body, None, END) is None


def test_a_document_is_judged_once_whatever_its_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    judged: list[str] = []

    def judge(query: str, max_tokens: int) -> bool:
        judged.append(query)
        return keepable_document(query, max_tokens)

    monkeypatch.setattr("service.answers.keepable_document", judge)
    answers = KeptAnswers(10, max_tokens=1000)
    keys = {
        answers.key_for(
            json.dumps({"query": SHOP_GMV, "variables": {"period": {"lastDays": days}}}).encode(),
            None,
            END,
        )
        for days in (7, 30, 90)
    }
    assert judged == [SHOP_GMV]
    assert None not in keys and len(keys) == 3  # each body its own answer


async def test_the_setup_version_moves_with_the_setup_only(db: asyncpg.Pool) -> None:
    versions = "SELECT (SELECT version FROM setup_version), (SELECT version FROM data_version)"

    async def moved(statement: str) -> tuple[bool, bool]:
        setup, data = await db.fetchrow(versions)
        await db.execute(statement)  # a statement-level trigger fires on no rows as well
        setup_after, data_after = await db.fetchrow(versions)
        return setup_after > setup, data_after > data

    for table in ("kpi_targets", "segments", "segment_exports", "api_keys"):
        assert await moved(f"DELETE FROM {table} WHERE false") == (True, False), table
    assert await moved("DELETE FROM orders WHERE false") == (False, True)

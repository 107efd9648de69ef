"""``setKpiTarget``: who may set a target, what is stored, and the errors it names."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

SET_TARGET = """
mutation T($shop: ID!, $metric: Metric!, $period: PeriodInput!, $target: Float!) {
  setKpiTarget(shopId: $shop, metric: $metric, period: $period, target: $target) {
    shopId
    metric
    period { from to }
    target
    updatedAt
  }
}
"""

STORED_SQL = """
SELECT shop_id, metric, period_from, period_to, target, updated_at
FROM kpi_targets
ORDER BY shop_id, metric, period_from, period_to
"""

MAY = {"from": "2026-05-01", "to": "2026-05-31"}


async def stored(db: asyncpg.Pool) -> list[tuple[Any, ...]]:
    return [tuple(record.values()) for record in await db.fetch(STORED_SQL)]


async def test_a_write_key_sets_a_target_of_its_shop(caller: Any, shops: asyncpg.Pool) -> None:
    writer = await caller("write", ("s1",))
    body = await writer.query(SET_TARGET, shop="s1", metric="GMV", period=MAY, target=2500.5)
    assert body.get("errors") is None, body["errors"]
    result = body["data"]["setKpiTarget"]
    updated_at = datetime.fromisoformat(result.pop("updatedAt"))
    assert updated_at.utcoffset() is not None
    assert result == {
        "shopId": "s1",
        "metric": "GMV",
        "period": {"from": "2026-05-01", "to": "2026-05-31"},
        "target": 2500.5,
    }
    assert await stored(shops) == [
        ("s1", "gmv", date(2026, 5, 1), date(2026, 5, 31), Decimal("2500.5"), updated_at)
    ]


async def test_setting_a_target_again_replaces_it(caller: Any, shops: asyncpg.Pool) -> None:
    writer = await caller("write", ("s1",))
    first = await writer.query(SET_TARGET, shop="s1", metric="AOV", period=MAY, target=90)
    second = await writer.query(SET_TARGET, shop="s1", metric="AOV", period=MAY, target=0.1)
    rows = await stored(shops)
    # One row per shop, metric and period; the float 0.1 is kept as the decimal 0.1.
    assert [row[:5] for row in rows] == [
        ("s1", "aov", date(2026, 5, 1), date(2026, 5, 31), Decimal("0.1"))
    ]
    updated = [
        datetime.fromisoformat(body["data"]["setKpiTarget"]["updatedAt"])
        for body in (first, second)
    ]
    assert updated[0] <= updated[1] == rows[0][5]
    assert second["data"]["setKpiTarget"]["target"] == 0.1


async def test_targets_of_other_periods_and_metrics_are_kept_apart(
    caller: Any, shops: asyncpg.Pool
) -> None:
    admin = await caller()
    june = {"from": "2026-06-01", "to": "2026-06-30"}
    for metric, period in (("GMV", MAY), ("GMV", june), ("ORDERS", MAY)):
        await admin.query(SET_TARGET, shop="s1", metric=metric, period=period, target=10)
    await admin.query(SET_TARGET, shop="s2", metric="GMV", period=MAY, target=20)
    assert [row[:5] for row in await stored(shops)] == [
        ("s1", "gmv", date(2026, 5, 1), date(2026, 5, 31), Decimal("10.0")),
        ("s1", "gmv", date(2026, 6, 1), date(2026, 6, 30), Decimal("10.0")),
        ("s1", "orders", date(2026, 5, 1), date(2026, 5, 31), Decimal("10.0")),
        ("s2", "gmv", date(2026, 5, 1), date(2026, 5, 31), Decimal("20.0")),
    ]


@pytest.mark.parametrize(
    ("scope", "key_shops", "shop"),
    [
        pytest.param("read", ("s1",), "s1", id="read-key"),
        pytest.param("write", ("s2",), "s1", id="key-of-another-shop"),
        # A limited key learns nothing of shops outside its list, existing or not.
        pytest.param("write", ("s2",), "nope", id="unknown-shop-outside-the-key"),
    ],
)
async def test_a_key_that_may_not_write_the_shop_is_forbidden(
    caller: Any, shops: asyncpg.Pool, scope: str, key_shops: tuple[str, ...], shop: str
) -> None:
    me = await caller(scope, key_shops)
    body = await me.query(SET_TARGET, shop=shop, metric="GMV", period=MAY, target=1)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await stored(shops) == []


async def test_an_unknown_shop_is_not_found(caller: Any, shops: asyncpg.Pool) -> None:
    body = await (await caller()).query(SET_TARGET, shop="nope", metric="GMV", period=MAY, target=1)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == "shopId: no shop 'nope'"
    assert await stored(shops) == []


async def test_an_unknown_metric_is_a_validation_error(caller: Any, shops: asyncpg.Pool) -> None:
    document = """
    mutation {
      setKpiTarget(shopId: "s1", metric: NOT_A_METRIC, period: {preset: YESTERDAY}, target: 1) {
        target
      }
    }
    """
    body = await (await caller()).query(document)
    assert "data" not in body or body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "NOT_A_METRIC" in body["errors"][0]["message"]
    assert await stored(shops) == []


async def test_a_bad_period_names_period(caller: Any, shops: asyncpg.Pool) -> None:
    period = {"from": "2026-05-31", "to": "2026-05-01"}
    body = await (await caller()).query(
        SET_TARGET, shop="s1", metric="GMV", period=period, target=1
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"].startswith("period:")


async def test_an_infinite_target_names_target(caller: Any, shops: asyncpg.Pool) -> None:
    # JSON variables cannot carry infinity, but a float literal can overflow to it.
    document = """
    mutation {
      setKpiTarget(
        shopId: "s1", metric: GMV, period: {from: "2026-05-01", to: "2026-05-31"}, target: 1e400
      ) { target }
    }
    """
    body = await (await caller()).query(document)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "target must be a finite number, not inf"
    assert await stored(shops) == []


# Sets May's GMV target to each of $targets' values in turn, then fails on a non-null
# field (an infinite target), so that ``data`` is null.
SET_THEN_FAIL = """
mutation T($first: Float!, $second: Float!) {
  first: setKpiTarget(shopId: "s1", metric: GMV, period: {from: "2026-05-01", to: "2026-05-31"},
                      target: $first) { target }
  second: setKpiTarget(shopId: "s1", metric: GMV, period: {from: "2026-05-01", to: "2026-05-31"},
                       target: $second) { target }
  failed: setKpiTarget(shopId: "s1", metric: GMV, period: {from: "2026-05-01", to: "2026-05-31"},
                       target: 1e400) { target }
}
"""

INFINITE = [("BAD_USER_INPUT", "target must be a finite number, not inf")]


def refusal(body: dict[str, Any]) -> tuple[Any, list[tuple[str, str]]]:
    return body["data"], [(e["extensions"]["code"], e["message"]) for e in body["errors"]]


async def test_a_new_target_in_a_response_without_data_is_taken_back(
    caller: Any, shops: asyncpg.Pool
) -> None:
    writer = await caller("write", ("s1",))
    body = await writer.query(SET_THEN_FAIL, first=100, second=200)
    assert refusal(body) == (None, INFINITE)
    assert await stored(shops) == []


async def test_a_replaced_target_in_a_response_without_data_is_put_back(
    caller: Any, shops: asyncpg.Pool
) -> None:
    """The target and its updatedAt as they were before the document."""
    writer = await caller("write", ("s1",))
    kept = await writer.query(SET_TARGET, shop="s1", metric="GMV", period=MAY, target=90)
    assert kept.get("errors") is None, kept["errors"]
    before = await stored(shops)
    assert [row[:5] for row in before] == [
        ("s1", "gmv", date(2026, 5, 1), date(2026, 5, 31), Decimal("90"))
    ]
    body = await writer.query(SET_THEN_FAIL, first=100, second=200)
    assert refusal(body) == (None, INFINITE)
    assert await stored(shops) == before


async def test_an_answered_target_keeps_its_save(caller: Any, shops: asyncpg.Pool) -> None:
    writer = await caller("write", ("s1",))
    document = SET_THEN_FAIL.split("  failed:")[0] + "}"
    body = await writer.query(document, first=100, second=200)
    assert body == {"data": {"first": {"target": 100}, "second": {"target": 200}}}
    assert [row[:5] for row in await stored(shops)] == [
        ("s1", "gmv", date(2026, 5, 1), date(2026, 5, 31), Decimal("200"))
    ]

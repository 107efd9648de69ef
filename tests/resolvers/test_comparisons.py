"""Every comparison kind over the hand-made shops of ``peer_fixture``.

Expectations are worked out by hand from SPEC §5 in the comments, never from the engine.
``a0`` (apparel, tier 3) is read unless a test says otherwise; in May 2026 it has one
order of 200.00 with 20.00 refunded: GMV 200, ORDERS 1, REFUND_RATE 0.1, AOV 200.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.resolvers.peer_fixture import OTHER_SHOPS, SHOP, TIER_SHOP, insert_fixture

COMPARE_QUERY = """
query C($shop: ID!, $names: [Metric!]!, $period: PeriodInput!, $compare: [ComparisonKind!]) {
  shop(id: $shop) {
    metrics(names: $names, period: $period, compare: $compare) {
      metric
      value
      comparisons { kind value change changeRatio peerCount unavailableReason completion }
    }
  }
}
"""

SET_TARGET = """
mutation T($shop: ID!, $metric: Metric!, $period: PeriodInput!, $target: Float!) {
  setKpiTarget(shopId: $shop, metric: $metric, period: $period, target: $target) { target }
}
"""

MAY = {"from": "2026-05-01", "to": "2026-05-31"}
PEERS = ["PEER_AVERAGE", "PEER_MEDIAN", "PEER_EXCELLENT", "PEER_RANK", "INDUSTRY_AVERAGE"]
TOO_SMALL = "PEER_GROUP_TOO_SMALL"


@pytest.fixture
async def dataset(db: asyncpg.Pool) -> asyncpg.Pool:
    """The emptied database with the peer dataset in it."""
    await insert_fixture(db)
    return db


def near(number: float | None) -> Any:
    """A figure compared to 12 significant digits (quotients are rarely exact floats)."""
    return None if number is None else pytest.approx(number, rel=1e-12, abs=1e-12)


def figure(
    value: float | None,
    change: float | None = None,
    ratio: float | None = None,
    *,
    peers: int | None = None,
    reason: str | None = None,
    completion: float | None = None,
) -> dict[str, Any]:
    """One expected comparison, without its kind."""
    return {
        "value": near(value),
        "change": near(change),
        "changeRatio": near(ratio),
        "peerCount": peers,
        "unavailableReason": reason,
        "completion": near(completion),
    }


def too_small(peers: int) -> dict[str, Any]:
    return figure(None, peers=peers, reason=TOO_SMALL)


async def read(
    caller: Any,
    names: list[str],
    compare: list[str],
    period: dict[str, str] = MAY,
    shop: str = SHOP,
    scope: str = "admin",
) -> dict[str, dict[str, Any]]:
    """``{metric: {"value": own value, kind: comparison without its kind}}``."""
    shops = None if scope == "admin" else (shop,)
    body = await (await caller(scope, shops)).query(
        COMPARE_QUERY, shop=shop, names=names, period=period, compare=compare
    )
    assert body.get("errors") is None, body["errors"]
    found: dict[str, dict[str, Any]] = {}
    for result in body["data"]["shop"]["metrics"]:
        assert [c["kind"] for c in result["comparisons"]] == compare
        found[result["metric"]] = {"value": result["value"]} | {
            c.pop("kind"): c for c in result["comparisons"]
        }
    return found


async def test_previous_period_is_the_same_number_of_days_just_before(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # May has 31 days, so the previous period is 2026-03-31 .. 04-30: h2 (160.00, refund
    # 40.00) at its first instant and h3 (90.00) at its last second; h1 is one second
    # before it and a6's order is another shop's. GMV 250, ORDERS 2, REFUND_RATE 0.16.
    found = await read(caller, ["GMV", "ORDERS", "REFUND_RATE"], ["PREVIOUS_PERIOD"])
    assert found == {
        # 200 − 250 = −50; −50 / 250 = −0.2
        "GMV": {"value": 200.0, "PREVIOUS_PERIOD": figure(250, -50, -0.2)},
        # 1 − 2 = −1; −1 / 2
        "ORDERS": {"value": 1.0, "PREVIOUS_PERIOD": figure(2, -1, -0.5)},
        # 0.1 − 0.16 = −0.06; −0.06 / 0.16 = −0.375
        "REFUND_RATE": {"value": 0.1, "PREVIOUS_PERIOD": figure(0.16, -0.06, -0.375)},
    }


async def test_same_period_last_year_shifts_back_one_year(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # 2025-05-01 .. 05-31: h5 (100.00, refund 5.00) at its first instant; h4 is one second
    # before, h6 at its end. GMV 100, ORDERS 1, REFUND_RATE 0.05.
    found = await read(caller, ["GMV", "ORDERS", "REFUND_RATE"], ["SAME_PERIOD_LAST_YEAR"])
    assert found == {
        "GMV": {"value": 200.0, "SAME_PERIOD_LAST_YEAR": figure(100, 100, 1.0)},
        "ORDERS": {"value": 1.0, "SAME_PERIOD_LAST_YEAR": figure(1, 0, 0)},
        "REFUND_RATE": {"value": 0.1, "SAME_PERIOD_LAST_YEAR": figure(0.05, 0.05, 1.0)},
    }


async def test_comparisons_come_in_the_order_asked_once_each(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    body = await (await caller()).query(
        COMPARE_QUERY,
        shop=SHOP,
        names=["GMV"],
        period=MAY,
        compare=["SAME_PERIOD_LAST_YEAR", "PREVIOUS_PERIOD", "SAME_PERIOD_LAST_YEAR"],
    )
    kinds = [c["kind"] for c in body["data"]["shop"]["metrics"][0]["comparisons"]]
    assert kinds == ["SAME_PERIOD_LAST_YEAR", "PREVIOUS_PERIOD"]


@pytest.mark.parametrize(
    ("last", "year_before"),
    [
        # 2028-02-29 .. 03-01 → 2027-02-28 .. 03-01 (two days each): f2 30.00 at its first
        # instant + f3 50.00 at its last second = 80 over 2 orders, no refund. f1 and f4
        # are one second outside.
        pytest.param("2028-03-01", (80, 2), id="two-days"),
        # 2028-02-29 alone → 2027-02-28 alone: f2 only.
        pytest.param("2028-02-29", (30, 1), id="leap-day-alone"),
    ],
)
async def test_last_year_of_a_period_from_feb_29_starts_feb_28(
    caller: Any, dataset: asyncpg.Pool, last: str, year_before: tuple[int, int]
) -> None:
    gmv, orders = year_before
    period = {"from": "2028-02-29", "to": last}
    found = await read(caller, ["GMV", "ORDERS", "REFUND_RATE"], ["SAME_PERIOD_LAST_YEAR"], period)
    # Own: f5, 120.00 with 12.00 refunded. The year before has no refund: rate 0, so the
    # change ratio (0.1 − 0) / |0| is null.
    assert found == {
        "GMV": {
            "value": 120.0,
            "SAME_PERIOD_LAST_YEAR": figure(gmv, 120 - gmv, (120 - gmv) / gmv),
        },
        "ORDERS": {
            "value": 1.0,
            "SAME_PERIOD_LAST_YEAR": figure(orders, 1 - orders, (1 - orders) / orders),
        },
        "REFUND_RATE": {"value": 0.1, "SAME_PERIOD_LAST_YEAR": figure(0, 0.1, None)},
    }


async def test_change_ratio_is_null_against_zero_and_everything_is_null_against_null(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # 2028-02-29 .. 03-01 follows 2028-02-27 .. 02-28, which has no order: GMV and ORDERS
    # are 0 (change = own, ratio null) and REFUND_RATE is null (0 / 0) with no reason: the
    # null comes from arithmetic.
    period = {"from": "2028-02-29", "to": "2028-03-01"}
    found = await read(caller, ["GMV", "ORDERS", "REFUND_RATE"], ["PREVIOUS_PERIOD"], period)
    assert found == {
        "GMV": {"value": 120.0, "PREVIOUS_PERIOD": figure(0, 120, None)},
        "ORDERS": {"value": 1.0, "PREVIOUS_PERIOD": figure(0, 1, None)},
        "REFUND_RATE": {"value": 0.1, "PREVIOUS_PERIOD": figure(None)},
    }


async def test_peer_figures_of_a_higher_is_better_metric(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # Tier 3 apparel peers a1..a6: GMV 120, 200, 260, 310, 430 and 0 (a6 has no order in
    # P: GMV 0 is a value, not a null). Sorted 0, 120, 200, 260, 310, 430; sum 1320.
    # x1..x3 share the tier but not the industry and never count.
    found = await read(caller, ["GMV"], PEERS)
    assert found["GMV"] == {
        "value": 200.0,
        # 1320 / 6 = 220; 200 − 220 = −20; −20 / 220
        "PEER_AVERAGE": figure(220, -20, -20 / 220, peers=6),
        # position 0.5 × 5 = 2.5: 200 + 0.5 × (260 − 200) = 230; −30 / 230
        "PEER_MEDIAN": figure(230, -30, -30 / 230, peers=6),
        # position 0.9 × 5 = 4.5: 310 + 0.5 × (430 − 310) = 370; −170 / 370
        "PEER_EXCELLENT": figure(370, -170, -170 / 370, peers=6),
        # strictly below 200: 0 and 120; a2's 200 is a tie, not beaten. 2 / 6
        "PEER_RANK": figure(2 / 6, peers=6),
        # every other apparel shop, both tiers: a1..a6 (1320) + c0..c5 (100 + 40 + 80 +
        # 60 + 80 + 0 = 360) = 1680 over 12 = 140; 200 − 140 = 60; 60 / 140
        "INDUSTRY_AVERAGE": figure(140, 60, 60 / 140, peers=12),
    }


async def test_peer_figures_of_a_lower_is_better_metric(caller: Any, dataset: asyncpg.Pool) -> None:
    # Refund rates of a1..a5: 0, 0.15, 0.2, 0.1, 0.4; a6's is null (no GMV) and leaves the
    # group, so 5 peers remain. Sorted 0, 0.1, 0.15, 0.2, 0.4; sum 0.85. Own rate 0.1.
    found = await read(caller, ["REFUND_RATE"], PEERS)
    assert found["REFUND_RATE"] == {
        "value": 0.1,
        # 0.85 / 5 = 0.17; 0.1 − 0.17 = −0.07; −0.07 / 0.17
        "PEER_AVERAGE": figure(0.17, -0.07, -0.07 / 0.17, peers=5),
        # position 0.5 × 4 = 2: 0.15; −0.05 / 0.15
        "PEER_MEDIAN": figure(0.15, -0.05, -0.05 / 0.15, peers=5),
        # lower is better: the 10th percentile, position 0.1 × 4 = 0.4:
        # 0 + 0.4 × (0.1 − 0) = 0.04; 0.1 − 0.04 = 0.06; 0.06 / 0.04 = 1.5
        "PEER_EXCELLENT": figure(0.04, 0.06, 1.5, peers=5),
        # beating is a lower rate: 0.15, 0.2, 0.4 beaten; a4's 0.1 ties, a1's 0 is better.
        "PEER_RANK": figure(3 / 5, peers=5),
        # non-null rates of the other apparel shops: a1..a5 (0.85) and c0..c4 (0.1 + 0 +
        # 0.25 + 0.1 + 0.2 = 0.65); a6 and c5 are null. 1.5 / 10 = 0.15; −0.05 / 0.15
        "INDUSTRY_AVERAGE": figure(0.15, -0.05, -0.05 / 0.15, peers=10),
    }


async def test_a_peer_with_a_null_value_is_left_out_of_the_group(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # AOV = GMV / buyers: a6 has no buyer in P, so its AOV is null, while its GMV is 0.
    # Six tier peers for GMV, five for AOV: 120 + 200 + 260 + 310 + 430 = 1320 over 5 = 264.
    found = await read(caller, ["GMV", "AOV"], ["PEER_AVERAGE"])
    assert found["GMV"]["PEER_AVERAGE"]["peerCount"] == 6
    assert found["AOV"] == {
        "value": 200.0,
        "PEER_AVERAGE": figure(264, -64, -64 / 264, peers=5),
    }


async def test_peer_percentiles_match_postgres_percentile_cont(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    found = await read(caller, ["GMV", "REFUND_RATE"], ["PEER_MEDIAN", "PEER_EXCELLENT"])
    percentile = """
    SELECT percentile_cont($2::float8) WITHIN GROUP (ORDER BY v)
    FROM unnest($1::numeric[]) v
    """
    gmv = [Decimal(v) for v in ("120", "200", "260", "310", "430", "0")]
    rates = [Decimal(v) for v in ("0", "0.15", "0.2", "0.1", "0.4")]
    for metric, values, fraction, kind, by_hand in (
        ("GMV", gmv, 0.5, "PEER_MEDIAN", 230),
        ("GMV", gmv, 0.9, "PEER_EXCELLENT", 370),
        ("REFUND_RATE", rates, 0.5, "PEER_MEDIAN", 0.15),
        ("REFUND_RATE", rates, 0.1, "PEER_EXCELLENT", 0.04),
    ):
        postgres = await dataset.fetchval(percentile, values, fraction)
        assert postgres == near(by_hand)
        assert found[metric][kind]["value"] == near(postgres)


async def test_a_group_below_the_floor_has_no_peer_figures(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    # c0 (tier 5, GMV 100, rate 0.1). Tier peers c1..c5: GMV 40, 80, 60, 80, 0 (five, the
    # floor, enough); refund rates 0, 0.25, 0.1, 0.2 and c5's null: four, too few.
    found = await read(caller, ["GMV", "REFUND_RATE"], PEERS, shop=TIER_SHOP)
    assert found["REFUND_RATE"] == {
        "value": 0.1,
        "PEER_AVERAGE": too_small(4),
        "PEER_MEDIAN": too_small(4),
        "PEER_EXCELLENT": too_small(4),
        "PEER_RANK": too_small(4),
        # The industry is large enough: a0 0.1, a1..a5 0.85, c1..c4 0.55: 1.5 / 10 = 0.15
        "INDUSTRY_AVERAGE": figure(0.15, -0.05, -0.05 / 0.15, peers=10),
    }
    assert found["GMV"] == {
        "value": 100.0,
        # 260 / 5 = 52; 100 − 52 = 48; 48 / 52
        "PEER_AVERAGE": figure(52, 48, 48 / 52, peers=5),
        # sorted 0, 40, 60, 80, 80: position 2 = 60; 40 / 60
        "PEER_MEDIAN": figure(60, 40, 40 / 60, peers=5),
        # position 0.9 × 4 = 3.6: 80 + 0.6 × (80 − 80) = 80; 20 / 80
        "PEER_EXCELLENT": figure(80, 20, 0.25, peers=5),
        "PEER_RANK": figure(1.0, peers=5),
        # a0..a6: 200 + 1320 = 1520; c1..c5: 260; 1780 / 12; (100 − 1780/12) / (1780/12)
        "INDUSTRY_AVERAGE": figure(1780 / 12, 100 - 1780 / 12, 1200 / 1780 - 1, peers=12),
    }


async def test_shops_of_another_industry_never_count(caller: Any, dataset: asyncpg.Pool) -> None:
    # x1 (beauty, tier 3) has two other beauty shops; the seven apparel tier-3 shops are
    # not its peers, nor are the thirteen apparel shops its industry.
    found = await read(caller, ["GMV"], ["PEER_AVERAGE", "INDUSTRY_AVERAGE"], shop="x1")
    assert found["GMV"] == {
        "value": 10000.0,
        "PEER_AVERAGE": too_small(2),
        "INDUSTRY_AVERAGE": too_small(2),
    }


async def test_a_key_of_one_shop_gets_peer_figures_but_no_peer_ids(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    names = ["GMV", "REFUND_RATE", "AOV"]
    admin = await read(caller, names, PEERS)
    assert await read(caller, names, PEERS, scope="read") == admin
    own = await caller("read", (SHOP,))
    response = await own.post(COMPARE_QUERY, shop=SHOP, names=names, period=MAY, compare=PEERS)
    for other in OTHER_SHOPS:
        assert f'"{other}"' not in response.text
    body = await own.query(COMPARE_QUERY, shop="a1", names=names, period=MAY, compare=PEERS)
    assert body["data"] == {"shop": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_target_is_unavailable_until_set_for_exactly_this_period(
    caller: Any, dataset: asyncpg.Pool
) -> None:
    admin = await caller()
    no_target = {"value": 200.0, "TARGET": figure(None, reason="NO_TARGET")}
    assert (await read(caller, ["GMV"], ["TARGET"]))["GMV"] == no_target
    # Another period (one day shorter) and another metric over P do not apply.
    for metric, period in (("GMV", {"from": "2026-05-01", "to": "2026-05-30"}), ("ORDERS", MAY)):
        body = await admin.query(SET_TARGET, shop=SHOP, metric=metric, period=period, target=1.0)
        assert body.get("errors") is None, body["errors"]
    assert (await read(caller, ["GMV"], ["TARGET"]))["GMV"] == no_target
    body = await admin.query(SET_TARGET, shop=SHOP, metric="GMV", period=MAY, target=250.0)
    assert body.get("errors") is None, body["errors"]
    # 200 − 250 = −50; −50 / 250 = −0.2; completion 200 / 250 = 0.8
    assert (await read(caller, ["GMV"], ["TARGET"]))["GMV"] == {
        "value": 200.0,
        "TARGET": figure(250, -50, -0.2, completion=0.8),
    }


async def test_target_set_again_replaces_the_old_one(caller: Any, dataset: asyncpg.Pool) -> None:
    admin = await caller()
    for target in (250.0, 160.0):
        await admin.query(SET_TARGET, shop=SHOP, metric="REFUND_RATE", period=MAY, target=0.5)
        await admin.query(SET_TARGET, shop=SHOP, metric="GMV", period=MAY, target=target)
    found = await read(caller, ["GMV", "REFUND_RATE"], ["TARGET"])
    assert found == {
        # 200 − 160 = 40; 40 / 160 = 0.25; completion 200 / 160 = 1.25
        "GMV": {"value": 200.0, "TARGET": figure(160, 40, 0.25, completion=1.25)},
        # 0.1 − 0.5 = −0.4; −0.4 / 0.5 = −0.8; completion 0.1 / 0.5 = 0.2
        "REFUND_RATE": {"value": 0.1, "TARGET": figure(0.5, -0.4, -0.8, completion=0.2)},
    }


async def test_target_does_not_apply_to_a_channel_slice(caller: Any, dataset: asyncpg.Pool) -> None:
    admin = await caller()
    await admin.query(SET_TARGET, shop=SHOP, metric="GMV", period=MAY, target=250.0)
    document = """
    query C($shop: ID!, $period: PeriodInput!) {
      shop(id: $shop) {
        channels(kind: CARRIER) {
          code
          metrics(names: [GMV], period: $period, compare: [TARGET]) {
            comparisons { kind value unavailableReason }
          }
        }
      }
    }
    """
    body = await admin.query(document, shop=SHOP, period=MAY)
    for channel in body["data"]["shop"]["channels"]:
        assert channel["metrics"][0]["comparisons"] == [
            {"kind": "TARGET", "value": None, "unavailableReason": "NOT_APPLICABLE"}
        ]

"""The engine's figures against the plain-Python reference, on a generated demo dataset.

The dataset: 13 demo shops over the 60 days ending 2026-10-31 (orders and events from
2026-09-02; member and follow stints and benefits from long before). Four shops are
apparel tier 4 (s01, s05, s09, s13), so each has a peer group of three, which the
privacy floor lowered to 3 lets through. Every shop is read over four periods: 30 days
inside the data, one day, a week across a month's end, and 30 days starting before the
first order. Counts must agree exactly, money to the fen, ratios within 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from service.app import create_app
from service.demo import write_demo_data
from service.keys import create_key
from service.load import load_paths
from service.settings import Settings
from tests.conftest import TRUNCATE_SQL, Caller
from tests.reference.metrics_reference import ShopFacts, Slice, Value, compute_metrics, read_facts
from vocabulary import CARRIERS, JOIN_CHANNELS

END = date(2026, 10, 31)
PERIODS = {
    "30 days inside the data": (date(2026, 10, 1), date(2026, 10, 30)),
    "one day": (date(2026, 10, 15), date(2026, 10, 15)),
    "a week across a month's end": (date(2026, 9, 28), date(2026, 10, 4)),
    "30 days starting before the data": (date(2026, 8, 20), date(2026, 9, 18)),
}
PEER_SHOP = "s01"
PEER_FLOOR = 3
METRICS = [
    "MEMBER_COUNT", "NEW_MEMBERS", "LEFT_MEMBERS", "NET_NEW_MEMBERS", "GMV", "NET_GMV",
    "REFUND_RATE", "ORDERS", "BUYERS", "AOV", "REPURCHASE_RATE", "MEMBER_GMV",
    "MEMBER_GMV_SHARE", "MEMBER_ORDERS", "MEMBER_BUYERS", "MEMBER_BUYER_SHARE", "MEMBER_AOV",
    "MEMBER_REPURCHASE_RATE", "ACTIVE_MEMBERS", "ACTIVE_MEMBER_RATE", "MONTHLY_ACTIVE_RATE",
    "BENEFIT_CLAIMS", "BENEFIT_CLAIMERS", "BENEFIT_USERS", "BENEFIT_PENETRATION",
    "BENEFIT_ONLINE_DAYS", "REACHED_USERS", "REACH_VISIT_RATE", "REACH_CONVERSION_RATE",
    "REACH_GMV", "REACH_ROI", "QUALITY_MEMBERS", "POTENTIAL_MEMBERS", "EFFECTIVE_MEMBERS",
    "QUALITY_SHARE", "AUDIENCE_USERS", "HIGH_POTENTIAL_USERS", "FIRST_ORDER_USERS",
    "REPEAT_USERS", "FAN_GMV_SHARE", "CARD_IMPRESSION_USERS", "CARD_CLICK_USERS",
    "CARD_CLICKS", "CARD_CTR", "CARD_CLICKS_PER_USER", "CARD_NEW_CLICK_SHARE", "CARD_GMV",
    "CARD_BUYERS", "CARD_CONVERSION_RATE", "CARD_UV_VALUE", "LOST_USERS",
]  # fmt: skip
JOIN_CHANNEL_METRICS = [
    "MEMBER_COUNT", "NEW_MEMBERS", "LEFT_MEMBERS", "NET_NEW_MEMBERS", "ACTIVE_MEMBERS",
    "ACTIVE_MEMBER_RATE", "MONTHLY_ACTIVE_RATE", "QUALITY_MEMBERS", "POTENTIAL_MEMBERS",
    "EFFECTIVE_MEMBERS", "QUALITY_SHARE",
]  # fmt: skip
CARRIER_METRICS = [
    *METRICS[4:18], "BENEFIT_USERS", "BENEFIT_PENETRATION", "FIRST_ORDER_USERS", "REPEAT_USERS",
    "FAN_GMV_SHARE", "CARD_GMV", "CARD_BUYERS",
]  # fmt: skip
# Disagreements diagnosed as engine bugs, left out until the engine is fixed:
# (metric, shop or "*", period name or "*", slice code or "").
ENGINE_BUGS: set[tuple[str, str, str, str]] = set()

METRICS_QUERY = """
query M($shop: ID!, $a: [Metric!]!, $b: [Metric!]!, $period: PeriodInput!,
        $compare: [ComparisonKind!]!) {
  shop(id: $shop) {
    a: metrics(names: $a, period: $period, compare: $compare) {
      metric value comparisons { kind value change peerCount }
    }
    b: metrics(names: $b, period: $period, compare: $compare) {
      metric value comparisons { kind value change peerCount }
    }
  }
}
"""
CHANNELS_QUERY = """
query C($shop: ID!, $kind: ChannelKind!, $names: [Metric!]!, $period: PeriodInput!) {
  shop(id: $shop) { channels(kind: $kind) { code metrics(names: $names, period: $period) {
    metric value
  } } }
}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference-demo")
    write_demo_data(out, shops=13, days=60, seed=7, end=END)
    return out


@pytest.fixture(scope="module")
async def facts(pool: asyncpg.Pool, folder: Path) -> dict[str, ShopFacts]:
    """The dataset loaded once for the module, and read back for the reference."""
    await pool.execute(TRUNCATE_SQL)
    report = await load_paths(pool, [folder], zone=ZoneInfo("Asia/Shanghai"))
    assert report.committed and report.rejects == []
    return await read_facts(pool)


@pytest.fixture(scope="module")
async def api(
    database_url: str, pool: asyncpg.Pool, facts: dict[str, ShopFacts]
) -> AsyncIterator[Caller]:
    """An admin caller of an app whose peer floor is the lowest allowed, 3."""
    settings = Settings(
        database_url=database_url,
        timezone="Asia/Shanghai",
        peer_floor=PEER_FLOOR,
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
    )
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            _, secret = await create_key(pool, scope="admin", shops=None, name="reference")
            yield Caller(http, secret)


def agrees(engine: float | None, reference: Value) -> bool:
    """Counts exactly, money to the fen, ratios (and per-head money) within 1e-9."""
    if engine is None or reference is None:
        return engine is None and reference is None
    if isinstance(reference, int):
        return engine == reference
    if isinstance(reference, Decimal):
        return abs(Decimal(repr(engine)) - reference) < Decimal("0.005")
    return math.isclose(engine, float(reference), rel_tol=1e-9, abs_tol=1e-9)


def show(value: Value) -> str:
    return "null" if value is None else str(float(value) if isinstance(value, Fraction) else value)


def period_input(first: date, last: date) -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat()}


def previous(first: date, last: date) -> tuple[date, date]:
    days = (last - first).days + 1
    return first - timedelta(days=days), first - timedelta(days=1)


def is_known_bug(metric: str, shop: str, period: str, code: str = "") -> bool:
    return any((metric, s, p, code) in ENGINE_BUGS for s in (shop, "*") for p in (period, "*"))


async def read_metrics(
    api: Caller, shop: str, first: date, last: date, compare: list[str]
) -> dict[str, dict[str, Any]]:
    """``{metric: {"value": v, kind: comparison}}`` for all 51 metrics."""
    body = await api.query(
        METRICS_QUERY,
        shop=shop,
        a=METRICS[:26],
        b=METRICS[26:],
        period=period_input(first, last),
        compare=compare,
    )
    assert body.get("errors") is None, body["errors"]
    results = body["data"]["shop"]["a"] + body["data"]["shop"]["b"]
    return {
        r["metric"]: {"value": r["value"]} | {c["kind"]: c for c in r["comparisons"]}
        for r in results
    }


class Tally:
    """Compared cells and the disagreements found, for one assertion at the end."""

    def __init__(self) -> None:
        self.cells = 0
        self.wrong: list[str] = []

    def check(self, where: str, engine: float | None, reference: Value) -> None:
        self.cells += 1
        if not agrees(engine, reference):
            self.wrong.append(f"{where}: engine {engine}, reference {show(reference)}")

    def assert_clean(self, least: int) -> None:
        assert self.wrong == [], "\n".join(self.wrong)
        assert self.cells >= least


async def test_every_metric_and_its_previous_period_match_the_reference(
    api: Caller, facts: dict[str, ShopFacts]
) -> None:
    tally = Tally()
    for shop, shop_facts in sorted(facts.items()):
        for name, (first, last) in PERIODS.items():
            found = await read_metrics(api, shop, first, last, ["PREVIOUS_PERIOD"])
            own = compute_metrics(shop_facts, first, last)
            before = compute_metrics(shop_facts, *previous(first, last))
            for metric in METRICS:
                if is_known_bug(metric, shop, name):
                    continue
                where = f"{metric} {shop} {name}"
                tally.check(where, found[metric]["value"], own[metric])
                earlier = found[metric]["PREVIOUS_PERIOD"]
                tally.check(f"{where} PREVIOUS_PERIOD", earlier["value"], before[metric])
                now, then = own[metric], before[metric]
                if now is not None and then is not None:
                    change = Fraction(now) - Fraction(then)
                    tally.check(f"{where} PREVIOUS_PERIOD change", earlier["change"], change)
    tally.assert_clean(len(facts) * len(PERIODS) * len(METRICS))


async def test_peer_average_and_median_match_the_reference(
    api: Caller, facts: dict[str, ShopFacts]
) -> None:
    tally = Tally()
    own = facts[PEER_SHOP]
    peers = [
        f
        for f in facts.values()
        if f.shop_id != PEER_SHOP and (f.industry, f.tier) == (own.industry, own.tier)
    ]
    assert len(peers) == PEER_FLOOR
    for name, (first, last) in list(PERIODS.items())[:3]:
        found = await read_metrics(api, PEER_SHOP, first, last, ["PEER_AVERAGE", "PEER_MEDIAN"])
        values = [compute_metrics(peer, first, last) for peer in peers]
        for metric in METRICS:
            if is_known_bug(metric, PEER_SHOP, name):
                continue
            group = [Fraction(v) for v in (row[metric] for row in values) if v is not None]
            enough = len(group) >= PEER_FLOOR
            average = sum(group, Fraction(0)) / len(group) if enough else None
            middle = Fraction(median(group)) if enough else None
            where = f"{metric} {PEER_SHOP} {name}"
            tally.check(f"{where} PEER_AVERAGE", found[metric]["PEER_AVERAGE"]["value"], average)
            tally.check(f"{where} PEER_MEDIAN", found[metric]["PEER_MEDIAN"]["value"], middle)
            tally.check(f"{where} peerCount", found[metric]["PEER_MEDIAN"]["peerCount"], len(group))
    tally.assert_clean(3 * 3 * len(METRICS))


@pytest.mark.parametrize(
    ("kind", "codes", "names"),
    [
        ("JOIN_CHANNEL", JOIN_CHANNELS, JOIN_CHANNEL_METRICS),
        ("CARRIER", CARRIERS, CARRIER_METRICS),
    ],
)
async def test_channel_slices_match_the_reference(
    api: Caller,
    facts: dict[str, ShopFacts],
    kind: str,
    codes: tuple[str, ...],
    names: list[str],
) -> None:
    tally = Tally()
    for shop in ("s01", "s04", "s10"):
        for name, (first, last) in list(PERIODS.items())[::3]:
            body = await api.query(
                CHANNELS_QUERY,
                shop=shop,
                kind=kind,
                names=names,
                period=period_input(first, last),
            )
            assert body.get("errors") is None, body["errors"]
            channels = body["data"]["shop"]["channels"]
            assert [c["code"] for c in channels] == list(codes)
            for channel in channels:
                where: Slice = (kind, channel["code"])
                expected = compute_metrics(facts[shop], first, last, where)
                for result in channel["metrics"]:
                    metric = result["metric"]
                    if is_known_bug(metric, shop, name, channel["code"]):
                        continue
                    label = f"{metric} {shop} {name} {kind}={channel['code']}"
                    tally.check(label, result["value"], expected[metric])
    tally.assert_clean(3 * 2 * len(codes) * len(names))

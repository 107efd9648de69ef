"""Peer figure sets kept in the database: computed by one process for one shop, read by
another process for every other shop of the group and industry, and equal to the figures
computed from the raw facts after loads in several batches."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from resolvers.catalogue import Metric
from resolvers.peer_sets import Member, PeerSet, sets_from_bases
from service.app import create_app
from service.demo import write_demo_data
from service.keys import create_key
from service.load import load_paths
from service.settings import Settings
from tests.resolvers.test_figure_cache import (
    BATCH_LIMITS,
    END,
    METRICS,
    NOTHING_KEPT,
    PERIODS,
    ZONE,
    _batches,
)

PEERS = f"""
query P($shop: ID!, $period: PeriodInput!) {{
  shop(id: $shop) {{
    metrics(names: [{METRICS}], period: $period,
            compare: [PEER_AVERAGE, PEER_MEDIAN, PEER_EXCELLENT, PEER_RANK, INDUSTRY_AVERAGE]) {{
      metric value comparisons {{ kind value change peerCount unavailableReason }}
    }}
  }}
}}
"""


STALE_SET_SQL = """
INSERT INTO peer_figures (
    industry, tier, metric, first_day, last_day, dimension, slice,
    version, shop_ids, tiers, figures
)
VALUES ($1, 0, 'GMV', '2000-01-01', '2000-01-31', '', '', 0, '{}', '{}', '{}')
"""


async def test_sets_kept_by_one_process_serve_another_and_equal_the_raw_facts(
    settings: Settings, database_url: str, db: asyncpg.Pool, tmp_path: Path
) -> None:
    write_demo_data(tmp_path / "demo", shops=8, days=60, seed=6, end=END)
    batches = _batches(tmp_path / "demo", tmp_path / "batches")
    _, secret = await create_key(db, scope="admin", shops=None, name="peers")
    # Nothing kept in the processes themselves: what the second one reads of its peers
    # comes from the sets the first one kept.
    alone = {**BATCH_LIMITS, **NOTHING_KEPT}
    apps = [
        create_app(settings.model_copy(update={**alone, "peer_sets": keep}), database_url=url)
        for keep, url in ((True, database_url), (True, database_url), (False, database_url))
    ]
    headers = {"authorization": f"Bearer {secret}"}
    compared = 0
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
        apps[2].router.lifespan_context(apps[2]),
    ):
        first, second, raw = (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
            for app in apps
        )
        async with first, second, raw:

            async def ask(http: httpx.AsyncClient, shop: str, period: Any) -> httpx.Response:
                body = {"query": PEERS, "variables": {"shop": shop, "period": period}}
                response = await http.post("/graphql", json=body, headers=headers)
                assert "errors" not in response.json(), response.json()
                return response

            for batch in batches:
                assert (await load_paths(db, [batch], zone=ZONE)).committed
                shops = await db.fetch("SELECT shop_id, industry FROM shops ORDER BY shop_id")
                industry = shops[0]["industry"]
                # a set of an older version that no request of this batch writes again
                await db.execute(STALE_SET_SQL, industry)
                same = [row["shop_id"] for row in shops if row["industry"] == industry]
                assert len(same) >= 3
                for period in PERIODS:
                    await ask(first, same[0], period)
                    for shop in same[1:]:
                        windows = apps[1].state.figure_cache.misses
                        got = await ask(second, shop, period)
                        want = await ask(raw, shop, period)
                        assert got.content == want.content, (batch.name, shop)
                        # the shop's own window, once for each of the four families the
                        # metrics read: no peer's facts
                        assert apps[1].state.figure_cache.misses - windows == 4
                        compared += 1
                kept = await db.fetchval(
                    "SELECT count(DISTINCT version) FROM peer_figures WHERE industry = $1",
                    industry,
                )
                assert kept == 1  # the industry's sets of older versions are removed
    assert compared == 3 * 2 * (len(same) - 1)


def test_a_set_leaves_out_the_asking_shop_and_other_tiers() -> None:
    kept = PeerSet(("a", "b", "c", "d"), (2, 2, 3, 2), (Decimal(1), None, Decimal(3), Decimal(4)))
    assert kept.others("a") == [Decimal(3), Decimal(4)]
    assert kept.others("a", tier=2) == [Decimal(4)]
    assert kept.others("z", tier=3) == [Decimal(3)]


def test_sets_from_bases_are_in_shop_order_with_the_group_of_the_tier() -> None:
    bases = {(0, ""): {"gmv": Decimal(5)}, (1, ""): {"gmv": Decimal(7)}, (2, ""): {}}
    members = [Member("s9", 4, 0), Member("s1", 4, 1), Member("s5", 2, 2)]
    sets = sets_from_bases(bases, members, "", (False, True), (Metric.GMV,), tier=4)
    assert sets[(False, Metric.GMV)] == PeerSet(("s1", "s9"), (4, 4), (Decimal(7), Decimal(5)))
    assert sets[(True, Metric.GMV)] == PeerSet(
        ("s1", "s5", "s9"), (4, 2, 4), (Decimal(7), Decimal(0), Decimal(5))
    )

"""Every recipe in docs/segments.md runs as written and selects the customers it says."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from tests.conftest import Caller

DOC = Path(__file__).parents[1] / "docs" / "segments.md"
TEXT = DOC.read_text()
RECIPES = re.findall(r"```graphql\n(mutation .*?)```\n```json\n(.*?)```", TEXT, re.DOTALL)
READ = re.search(r"```graphql\n(query ReadSegment.*?)```", TEXT, re.DOTALL)
EXPORT = re.search(r"```graphql\n(mutation Export.*?)```", TEXT, re.DOTALL)
ZONE = ZoneInfo("Asia/Shanghai")

CATALOG_SQL = """
INSERT INTO shops (shop_id, name, industry, tier) VALUES ('s01', 'Shop', 'apparel', 3);
INSERT INTO users (user_id, crowd)
VALUES ('u1', NULL), ('u2', 'gen_z'), ('u3', NULL), ('u4', NULL), ('u5', NULL);
INSERT INTO creators (creator_id, name) VALUES ('cr029', 'A'), ('cr026', 'B');
INSERT INTO products (product_id, shop_id, name, category, price)
SELECT 's01-p00' || n, 's01', 'P' || n, '连衣裙', 100 FROM generate_series(1, 5) n;
INSERT INTO campaigns (campaign_id, shop_id, channel, name) VALUES ('s01-c001', 's01', 'sms', 'C');
"""

ORDER_SQL = """
INSERT INTO orders (order_id, shop_id, user_id, product_id, quantity, amount, paid_at,
                    carrier, traffic_type, creator_id)
VALUES ($1, 's01', $2, $3, 1, $4, $5, 'live', 'organic', $6)
"""

MEMBER_SQL = """
INSERT INTO members (shop_id, user_id, joined_at, join_channel)
VALUES ('s01', $1, $2, 'live')
"""

FAN_SQL = """
INSERT INTO fans (shop_id, user_id, followed_at) VALUES ('s01', $1, $2)
"""

EVENT_SQL = """
INSERT INTO events (event_id, shop_id, user_id, type, occurred_at)
VALUES ($1, 's01', $2, $3, $4)
"""

# Expected sizes today on the data below, recipe by recipe, in the page's order.
SIZES = [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]


async def _load(db: asyncpg.Pool) -> None:
    """u1: bought p001 via cr029 5 days ago (600 yuan), the only order of the year.
    u2: joined 3 days ago via live, no order, watched a live 2 days ago.
    u3: bought p004 20 days ago and p001 60 days ago via cr026; not a member.
    u4: a fan, bought p002 via cr026 45 days ago. u5: three orders of 400 yuan (p005)
    10, 40 and 100 days ago. u2 also added to cart yesterday and is of crowd gen_z."""
    await db.execute(CATALOG_SQL)
    now = datetime.now(ZONE).replace(hour=12, minute=0, second=0, microsecond=0)
    await db.execute(ORDER_SQL, "o1", "u1", "s01-p001", 600, now - timedelta(days=5), "cr029")
    await db.execute(ORDER_SQL, "o2", "u3", "s01-p004", 50, now - timedelta(days=20), None)
    await db.execute(ORDER_SQL, "o3", "u3", "s01-p001", 80, now - timedelta(days=60), "cr026")
    await db.execute(MEMBER_SQL, "u2", now - timedelta(days=3))
    await db.execute(ORDER_SQL, "o4", "u4", "s01-p002", 90, now - timedelta(days=45), "cr026")
    for number, days in enumerate((10, 40, 100), start=5):
        await db.execute(
            ORDER_SQL, f"o{number}", "u5", "s01-p005", 400, now - timedelta(days=days), None
        )
    await db.execute(FAN_SQL, "u4", now - timedelta(days=200))
    await db.execute(EVENT_SQL, "e1", "u2", "live_watch", now - timedelta(days=2))
    await db.execute(EVENT_SQL, "e2", "u2", "add_to_cart", now - timedelta(days=1))


def test_doc_has_the_recipes() -> None:
    assert len(RECIPES) == len(SIZES) == 11
    assert READ is not None and EXPORT is not None


async def test_recipes_run_as_written(caller: Any, db: asyncpg.Pool) -> None:
    await _load(db)
    me: Caller = await caller("write", ("s01",))
    sizes = []
    ids = []
    for document, variables in RECIPES:
        body = await me.query(document, **json.loads(variables))
        assert "errors" not in body, (document, body["errors"])
        (segment,) = body["data"].values()
        sizes.append(segment["size"])
        ids.append(segment["id"])
    assert sizes == SIZES

    assert READ is not None and EXPORT is not None
    body = await me.query(READ.group(1), shop="s01", segment=ids[0], other=ids[2], asOf=None)
    assert "errors" not in body, body["errors"]
    segment = body["data"]["shop"]["segment"]
    assert segment["size"] == 2
    assert [edge["node"]["id"] for edge in segment["customers"]["edges"]] == ["u1", "u3"]
    assert segment["overlap"] == 1
    exported = await me.query(EXPORT.group(1), segment=ids[0])
    assert "errors" not in exported, exported["errors"]
    assert exported["data"]["exportSegment"]["rows"] == 2


@pytest.mark.parametrize("index", range(len(SIZES)))
def test_recipe_names_its_shop(index: int) -> None:
    assert json.loads(RECIPES[index][1]) == {"shop": "s01"}

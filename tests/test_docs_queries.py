"""Every query in docs/queries.md runs as written, without errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import Caller

DOC = Path(__file__).parents[1] / "docs" / "queries.md"
BLOCK = re.compile(r"```graphql\n(.*?)```\n```json\n(.*?)```", re.DOTALL)
EXAMPLES = BLOCK.findall(DOC.read_text())

INSERT_SHOP_SQL = """
INSERT INTO shops (shop_id, name, industry, tier)
VALUES ('s01', 'Shop', 'apparel', 3)
"""


def test_doc_has_the_screens() -> None:
    assert len(EXAMPLES) == 7


@pytest.mark.parametrize(("document", "variables"), EXAMPLES, ids=range(len(EXAMPLES)))
async def test_doc_query_runs(caller: Any, db: asyncpg.Pool, document: str, variables: str) -> None:
    await db.execute(INSERT_SHOP_SQL)
    me: Caller = await caller("write", ("s01",))
    body = await me.query(document, **json.loads(variables))
    assert "errors" not in body, body["errors"]
    assert body["data"]

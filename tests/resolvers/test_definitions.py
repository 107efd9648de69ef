"""``metricDefinitions`` serves the whole catalogue."""

from __future__ import annotations

from typing import Any

import asyncpg

QUERY = """
{
  metricDefinitions {
    metric group unit higherIsBetter dimensions
    zh: label en: label(lang: EN)
    descriptionZh: description descriptionEn: description(lang: EN)
    groupLabel(lang: EN)
  }
}
"""


async def test_catalogue_is_served_in_order(caller: Any, db: asyncpg.Pool) -> None:
    body = await (await caller()).query(QUERY)
    definitions = body["data"]["metricDefinitions"]
    assert len(definitions) == 51
    assert [d["metric"] for d in definitions[:4]] == [
        "MEMBER_COUNT",
        "NEW_MEMBERS",
        "LEFT_MEMBERS",
        "NET_NEW_MEMBERS",
    ]
    assert definitions[-1]["metric"] == "LOST_USERS"
    assert all(d["descriptionZh"] and d["descriptionEn"] for d in definitions)


async def test_one_definition_in_full(caller: Any, db: asyncpg.Pool) -> None:
    body = await (await caller()).query(QUERY)
    by_metric = {d["metric"]: d for d in body["data"]["metricDefinitions"]}
    refund = by_metric["REFUND_RATE"]
    assert refund["zh"] == "退款率"
    assert refund["unit"] == "RATIO"
    assert refund["higherIsBetter"] is False
    assert refund["group"] == "CONTRIBUTION"
    assert refund["groupLabel"] == "Contribution"
    assert refund["dimensions"] == [
        "CARRIER",
        "TRAFFIC_TYPE",
        "ENTRY",
        "PRODUCT",
        "CATEGORY",
        "CREATOR",
        "GENDER",
        "AGE_BAND",
        "PROVINCE",
        "CROWD",
        "FAN_STATUS",
        "PRICE_BAND",
    ]
    assert by_metric["BENEFIT_ONLINE_DAYS"]["dimensions"] == []
    assert by_metric["BENEFIT_ONLINE_DAYS"]["unit"] == "DAYS"
    assert by_metric["MEMBER_COUNT"]["dimensions"][0] == "JOIN_CHANNEL"

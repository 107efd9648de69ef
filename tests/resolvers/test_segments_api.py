"""Segments as an API: saving them, who may, and what their fields compute (figures worked
out in ``segment_fixture``'s table)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest

from tests.conftest import Caller
from tests.resolvers.segment_fixture import (
    AS_OF,
    EVERYONE,
    FEMALE,
    NOT_FANS,
    ODD_USER,
    P1_BUYERS,
    ZONE,
    at,
    load_segment_data,
)

CREATE = """
mutation C($shop: ID!, $name: String!, $rule: SegmentRuleInput!) {
  createSegment(shopId: $shop, name: $name, rule: $rule) { id name rule createdAt updatedAt }
}
"""

UPDATE = """
mutation U($id: ID!, $name: String, $rule: SegmentRuleInput) {
  updateSegment(id: $id, name: $name, rule: $rule) { id name rule createdAt updatedAt }
}
"""

DELETE = """
mutation D($id: ID!) { deleteSegment(id: $id) }
"""

EXPORT = """
mutation E($id: ID!, $asOf: Date) { exportSegment(id: $id, asOf: $asOf) { url expiresAt rows } }
"""

SEGMENTS = """
query S($shop: ID!) { shop(id: $shop) { segments { id name } } }
"""

SEGMENT = """
query S($shop: ID!, $id: ID!) { shop(id: $shop) { segment(id: $id) { id name } } }
"""

FIELDS = """
query F($id: ID!, $asOf: Date, $other: ID!) {
  shop(id: "s1") {
    segment(id: $id) {
      size(asOf: $asOf)
      overlap(with: $other, asOf: $asOf)
    }
  }
}
"""

CUSTOMERS = """
query C($id: ID!, $asOf: Date, $first: Int, $after: String) {
  shop(id: "s1") {
    segment(id: $id) {
      customers(asOf: $asOf, first: $first, after: $after) {
        totalCount
        edges { cursor node { id isMember memberStatus joinChannel isFan gender ageBand
                              province crowd } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
  }
}
"""

PORTRAIT = """
query P($id: ID!, $dimension: Dimension!, $asOf: Date) {
  shop(id: "s1") { segment(id: $id) { portrait(dimension: $dimension, asOf: $asOf) {
    key label value } } }
}
"""

METRICS = """
query M($id: ID!, $asOf: Date) {
  shop(id: "s1") {
    metrics(names: [GMV], period: {from: "2026-06-01", to: "2026-06-30"}) { value }
    segment(id: $id) {
      metrics(names: [GMV, BUYERS, ORDERS], period: {from: "2026-06-01", to: "2026-06-30"},
              compare: [PREVIOUS_PERIOD, PEER_AVERAGE, TARGET], asOf: $asOf) {
        metric value comparisons { kind value unavailableReason }
      }
    }
  }
}
"""


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def create(me: Caller, rule: dict[str, Any], name: str = "segment", shop: str = "s1") -> str:
    body = await me.query(CREATE, shop=shop, name=name, rule=rule)
    assert "errors" not in body, body["errors"]
    segment_id: str = body["data"]["createSegment"]["id"]
    return segment_id


@pytest.fixture
async def data(shops: asyncpg.Pool) -> asyncpg.Pool:
    await load_segment_data(shops)
    return shops


async def test_a_write_key_creates_updates_and_deletes_a_segment(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    created = await me.query(CREATE, shop="s1", name="  P1 buyers  ", rule=P1_BUYERS)
    assert "errors" not in created, created["errors"]
    segment = created["data"]["createSegment"]
    assert segment["id"].startswith("seg_")
    assert segment["name"] == "P1 buyers"  # trimmed
    assert segment["rule"] == {
        "purchased": {"productIds": ["p1"], "withinDays": 90, "minOrders": 1}
    }
    assert segment["createdAt"] == segment["updatedAt"]
    assert datetime.fromisoformat(segment["createdAt"]).utcoffset() is not None

    renamed = await me.query(UPDATE, id=segment["id"], name="Dress buyers")
    assert renamed["data"]["updateSegment"]["name"] == "Dress buyers"
    assert renamed["data"]["updateSegment"]["rule"] == segment["rule"]
    changed = await me.query(UPDATE, id=segment["id"], rule=NOT_FANS)
    updated = changed["data"]["updateSegment"]
    assert (updated["name"], updated["rule"]) == ("Dress buyers", {"fan": {"isFan": False}})
    assert updated["createdAt"] == segment["createdAt"]
    assert datetime.fromisoformat(updated["updatedAt"]) > datetime.fromisoformat(
        segment["updatedAt"]
    )

    listed = await me.query(SEGMENTS, shop="s1")
    assert listed["data"]["shop"]["segments"] == [{"id": segment["id"], "name": "Dress buyers"}]

    assert (await me.query(DELETE, id=segment["id"]))["data"] == {"deleteSegment": True}
    assert (await me.query(SEGMENTS, shop="s1"))["data"]["shop"]["segments"] == []
    again = await me.query(DELETE, id=segment["id"])
    assert codes(again) == ["NOT_FOUND"]
    assert await data.fetchval("SELECT count(*) FROM segments") == 0


async def test_segments_are_listed_newest_first_and_read_by_id(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1", "s2"))
    first = await create(me, P1_BUYERS, "first")
    second = await create(me, NOT_FANS, "second")
    other_shop = await create(me, NOT_FANS, "of s2", shop="s2")
    listed = await me.query(SEGMENTS, shop="s1")
    assert [s["id"] for s in listed["data"]["shop"]["segments"]] == [second, first]
    one = await me.query(SEGMENT, shop="s1", id=first)
    assert one["data"]["shop"]["segment"] == {"id": first, "name": "first"}
    # A segment of another shop is not found through this shop, even for a key of both.
    missing = await me.query(SEGMENT, shop="s1", id=other_shop)
    assert missing["data"]["shop"]["segment"] is None
    assert codes(missing) == ["NOT_FOUND"]
    assert "no segment" in missing["errors"][0]["message"]


@pytest.mark.parametrize(
    ("name", "rule", "message"),
    [
        ("x", {"purchased": {"productIds": ["nope"]}}, "rule.purchased.productIds[0]: no product"),
        ("x", {"purchased": {"productIds": ["q1"]}}, "rule.purchased.productIds[0]: no product"),
        ("x", {"all": []}, "rule.all: must not be empty"),
        ("  ", NOT_FANS, "name: must not be empty"),
        ("n" * 201, NOT_FANS, "name: at most 200 characters, not 201"),
    ],
)
async def test_invalid_names_and_rules_are_bad_user_input(
    caller: Any, data: asyncpg.Pool, name: str, rule: dict[str, Any], message: str
) -> None:
    me = await caller("write", ("s1",))
    body = await me.query(CREATE, shop="s1", name=name, rule=rule)
    assert body["data"] is None
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"].startswith(message)
    assert await data.fetchval("SELECT count(*) FROM segments") == 0


async def test_an_update_revalidates_the_rule_and_needs_a_change(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, P1_BUYERS, "kept")
    bad = await me.query(UPDATE, id=segment_id, rule={"purchased": {"productIds": ["q1"]}})
    assert codes(bad) == ["BAD_USER_INPUT"]
    assert bad["errors"][0]["message"] == (
        "rule.purchased.productIds[0]: no product 'q1' in shop 's1'"
    )
    nothing = await me.query(UPDATE, id=segment_id)
    assert codes(nothing) == ["BAD_USER_INPUT"]
    assert await data.fetchval("SELECT name FROM segments") == "kept"


async def test_a_read_key_may_not_change_segments(caller: Any, data: asyncpg.Pool) -> None:
    segment_id = await create(await caller("write", ("s1",)), P1_BUYERS)
    reader = await caller("read", ("s1",))
    for document, variables in (
        (CREATE, {"shop": "s1", "name": "x", "rule": NOT_FANS}),
        (UPDATE, {"id": segment_id, "name": "x"}),
        (DELETE, {"id": segment_id}),
        (EXPORT, {"id": segment_id}),
    ):
        body = await reader.query(document, **variables)
        assert codes(body) == ["FORBIDDEN"], document
        assert "read scope" in body["errors"][0]["message"]
    # Reading is allowed.
    listed = await reader.query(SEGMENTS, shop="s1")
    assert [s["id"] for s in listed["data"]["shop"]["segments"]] == [segment_id]


async def test_a_key_of_another_shop_is_forbidden_everywhere(
    caller: Any, data: asyncpg.Pool
) -> None:
    segment_id = await create(await caller("write", ("s1",)), P1_BUYERS)
    stranger = await caller("write", ("s2",))
    for document, variables in (
        (SEGMENTS, {"shop": "s1"}),
        (SEGMENT, {"shop": "s1", "id": segment_id}),
        (FIELDS, {"id": segment_id, "other": segment_id}),
        (CREATE, {"shop": "s1", "name": "x", "rule": NOT_FANS}),
        (UPDATE, {"id": segment_id, "name": "x"}),
        (DELETE, {"id": segment_id}),
        (EXPORT, {"id": segment_id}),
    ):
        body = await stranger.query(document, **variables)
        assert codes(body) == ["FORBIDDEN"], document
    assert await data.fetchval("SELECT name FROM segments") == "segment"
    # Unknown ids are NOT_FOUND, once FORBIDDEN does not apply.
    for document in (UPDATE, DELETE, EXPORT):
        body = await stranger.query(document, id="seg_nope", name="x")
        assert codes(body) == ["NOT_FOUND"], document
    unknown_shop = await (await caller("admin")).query(CREATE, shop="s9", name="x", rule=NOT_FANS)
    assert codes(unknown_shop) == ["NOT_FOUND"]


async def test_size_and_overlap_as_of_a_day(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1", "s2"))
    buyers = await create(me, P1_BUYERS)  # u1, u2
    not_fans = await create(me, NOT_FANS)  # u1, u2, u4
    female = await create(me, FEMALE)  # u1, u3
    everyone = await create(me, EVERYONE)  # u"7,x, u1, u2, u3, u4
    as_of = AS_OF.isoformat()
    expected = {
        (buyers, not_fans): (2, 2),
        (not_fans, female): (3, 1),
        (female, buyers): (2, 1),
        (everyone, not_fans): (5, 3),
    }
    for (segment_id, other), (size, overlap) in expected.items():
        body = await me.query(FIELDS, id=segment_id, asOf=as_of, other=other)
        assert "errors" not in body, body["errors"]
        assert body["data"]["shop"]["segment"] == {"size": size, "overlap": overlap}
    # Today u6 (joined s1 on 2026-07-05) is a customer too, and not a fan.
    today = await me.query(FIELDS, id=everyone, asOf=None, other=not_fans)
    assert today["data"]["shop"]["segment"] == {"size": 6, "overlap": 4}
    # A segment of another shop cannot be overlapped.
    of_s2 = await create(me, NOT_FANS, shop="s2")
    body = await me.query(FIELDS, id=everyone, asOf=as_of, other=of_s2)
    # The field that fails is null alone.
    assert body["data"]["shop"]["segment"] == {"size": 5, "overlap": None}
    assert codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["message"].startswith("with: no segment")


async def test_an_as_of_day_in_the_future_is_bad_user_input(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, NOT_FANS)
    tomorrow = (datetime.now(ZONE) + timedelta(days=1)).date().isoformat()
    # Each field that fails is null alone: FIELDS answers an error for size and overlap.
    for document, variables, failing in (
        (FIELDS, {"other": segment_id}, 2),
        (CUSTOMERS, {}, 1),
        (PORTRAIT, {"dimension": "GENDER"}, 1),
        (METRICS, {}, 1),
        (EXPORT, {}, 1),
    ):
        body = await me.query(document, id=segment_id, asOf=tomorrow, **variables)
        assert codes(body) == ["BAD_USER_INPUT"] * failing, document
        for error in body["errors"]:
            assert error["message"].startswith(f"asOf: {tomorrow} is after today")


async def test_customers_carry_profile_and_status_as_of_the_day(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, EVERYONE)
    body = await me.query(CUSTOMERS, id=segment_id, asOf=AS_OF.isoformat(), first=10)
    assert "errors" not in body, body["errors"]
    customers = body["data"]["shop"]["segment"]["customers"]
    assert customers["totalCount"] == 5
    assert customers["pageInfo"]["hasNextPage"] is False
    assert customers["pageInfo"]["hasPreviousPage"] is False
    nobody = dict.fromkeys(("gender", "ageBand", "province", "crowd"))
    assert [edge["node"] for edge in customers["edges"]] == [
        {"id": ODD_USER, "isMember": False, "memberStatus": None, "joinChannel": None,
         "isFan": True, **nobody, "province": "广东"},
        {"id": "u1", "isMember": True, "memberStatus": "QUALITY", "joinChannel": "live",
         "isFan": False, "gender": "female", "ageBand": "24-30", "province": "浙江",
         "crowd": "gen_z"},
        {"id": "u2", "isMember": False, "memberStatus": None, "joinChannel": None,
         "isFan": False, "gender": "male", "ageBand": "31-40", "province": "上海",
         "crowd": "urban_white_collar"},
        {"id": "u3", "isMember": False, "memberStatus": None, "joinChannel": None,
         "isFan": True, **nobody, "gender": "female", "province": "浙江"},
        {"id": "u4", "isMember": True, "memberStatus": "POTENTIAL", "joinChannel": "creator",
         "isFan": False, **nobody},
    ]  # fmt: skip


async def test_customer_pages_visit_everyone_once_while_customers_arrive(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, EVERYONE)
    as_of = AS_OF.isoformat()
    seen: list[str] = []
    totals: list[int] = []
    after = None
    # New customers (a follow before A) between pages, behind and ahead of the cursor.
    arrivals = iter([["u0", "u15"], ["u12", "u25"], ["u9"]])
    while True:
        body = await me.query(CUSTOMERS, id=segment_id, asOf=as_of, first=2, after=after)
        assert "errors" not in body, body["errors"]
        page = body["data"]["shop"]["segment"]["customers"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        totals.append(page["totalCount"])
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        for user in next(arrivals):
            await data.execute("INSERT INTO users (user_id) VALUES ($1)", user)
            await data.execute(
                "INSERT INTO fans (shop_id, user_id, followed_at) VALUES ('s1', $1, $2)",
                user,
                at("2026-06-01"),
            )
    # Cursors after u1, u2, u3: u0 and u12 arrived behind them, u15, u25 and u9 ahead.
    assert seen == [ODD_USER, "u1", "u15", "u2", "u25", "u3", "u4", "u9"]
    assert totals == [5, 7, 9, 10]


async def test_customer_pages_check_their_arguments(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, EVERYONE)
    for first, after in ((101, None), (-1, None), (2, "bogus")):
        body = await me.query(CUSTOMERS, id=segment_id, asOf=None, first=first, after=after)
        assert codes(body) == ["BAD_USER_INPUT"]
    empty = await me.query(CUSTOMERS, id=segment_id, asOf=AS_OF.isoformat(), first=0)
    page = empty["data"]["shop"]["segment"]["customers"]
    assert (page["totalCount"], page["edges"], page["pageInfo"]["hasNextPage"]) == (5, [], True)


async def test_portrait_counts_customers_by_attribute(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, EVERYONE)
    as_of = AS_OF.isoformat()

    async def portrait(dimension: str) -> list[tuple[str, str, float]]:
        body = await me.query(PORTRAIT, id=segment_id, dimension=dimension, asOf=as_of)
        assert "errors" not in body, body["errors"]
        rows = body["data"]["shop"]["segment"]["portrait"]
        return [(row["key"], row["label"], row["value"]) for row in rows]

    assert await portrait("GENDER") == [
        ("female", "女", 2),
        ("unknown", "未知", 2),
        ("male", "男", 1),
    ]
    assert await portrait("AGE_BAND") == [
        ("unknown", "未知", 3),
        ("24-30", "24-30", 1),
        ("31-40", "31-40", 1),
    ]
    assert await portrait("PROVINCE") == [
        ("浙江", "浙江", 2),
        ("unknown", "未知", 1),
        ("上海", "上海", 1),
        ("广东", "广东", 1),
    ]
    assert await portrait("CROWD") == [
        ("unknown", "未知", 3),
        ("gen_z", "Z世代", 1),
        ("urban_white_collar", "新锐白领", 1),
    ]
    # Members at the end of A only: u1 (live) and u4 (creator); u2 left on 06-15.
    assert await portrait("JOIN_CHANNEL") == [("creator", "达人", 1), ("live", "直播", 1)]
    body = await me.query(PORTRAIT, id=segment_id, dimension="CARRIER", asOf=as_of)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"].startswith("dimension: a portrait is by GENDER")


async def test_segment_metrics_read_only_its_customers_facts(
    caller: Any, data: asyncpg.Pool
) -> None:
    """P1 buyers as of A: u1 and u2. June: o1 (u1, 100) and o3 (u2, 50), not u3's o4 (80);
    the 30 days before June (05-02..05-31): u2's o2 (200)."""
    me = await caller("write", ("s1",))
    segment_id = await create(me, P1_BUYERS)
    body = await me.query(METRICS, id=segment_id, asOf=AS_OF.isoformat())
    assert "errors" not in body, body["errors"]
    assert body["data"]["shop"]["metrics"] == [{"value": 230}]
    not_applicable = [
        {"kind": "PEER_AVERAGE", "value": None, "unavailableReason": "NOT_APPLICABLE"},
        {"kind": "TARGET", "value": None, "unavailableReason": "NOT_APPLICABLE"},
    ]
    assert body["data"]["shop"]["segment"]["metrics"] == [
        {
            "metric": "GMV",
            "value": 150,
            "comparisons": [
                {"kind": "PREVIOUS_PERIOD", "value": 200, "unavailableReason": None},
                *not_applicable,
            ],
        },
        {
            "metric": "BUYERS",
            "value": 2,
            "comparisons": [
                {"kind": "PREVIOUS_PERIOD", "value": 1, "unavailableReason": None},
                *not_applicable,
            ],
        },
        {
            "metric": "ORDERS",
            "value": 2,
            "comparisons": [
                {"kind": "PREVIOUS_PERIOD", "value": 1, "unavailableReason": None},
                *not_applicable,
            ],
        },
    ]


async def test_metrics_of_an_empty_segment_are_zero(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, {"profile": {"crowds": ["urban_senior"]}})
    body = await me.query(METRICS, id=segment_id, asOf=AS_OF.isoformat())
    assert "errors" not in body, body["errors"]
    values = [result["value"] for result in body["data"]["shop"]["segment"]["metrics"]]
    assert values == [0, 0, 0]


SEGMENT_SCREEN = """
query S($id: ID!, $other: ID!) {
  shop(id: "s1") {
    segment(id: $id) {
      size(asOf: "2026-06-30")
      customers(asOf: "2026-06-30", first: 3) { totalCount edges { node { id memberStatus } } }
      portrait(dimension: CROWD, asOf: "2026-06-30") { key value }
      overlap(with: $other, asOf: "2026-06-30")
      metrics(names: [GMV, MEMBER_COUNT], period: {from: "2026-06-01", to: "2026-06-30"},
              asOf: "2026-06-30") { value }
    }
  }
}
"""


async def test_segment_fields_run_a_fixed_number_of_statements(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, EVERYONE)
    other = await create(me, NOT_FANS)

    async def statements() -> int:
        response = await me.post(SEGMENT_SCREEN, id=segment_id, other=other)
        assert "errors" not in response.json(), response.json()
        return int(response.headers["x-sql-statements"])

    await statements()  # a new connection first looks up the types it meets
    few = await statements()
    await data.execute("INSERT INTO users (user_id) SELECT 'n' || n FROM generate_series(1, 200) n")
    await data.execute(
        "INSERT INTO fans (shop_id, user_id, followed_at) "
        "SELECT 's1', 'n' || n, $1 FROM generate_series(1, 200) n",
        at("2026-06-01"),
    )
    many = await statements()
    # key, shop, segment (3); size, customers, portrait (3); overlap: other rule, count (2);
    # metrics: the user ids, then one statement per fact family read, orders and members (3)
    assert few == many == 11


async def test_the_sizes_of_a_shops_segments_are_one_statement(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    query = 'query { shop(id: "s1") { segments { name size(asOf: "2026-06-30") } } }'

    async def sizes() -> tuple[int, dict[str, int]]:
        response = await me.post(query)
        body = response.json()
        assert "errors" not in body, body
        found = {row["name"]: row["size"] for row in body["data"]["shop"]["segments"]}
        return int(response.headers["x-sql-statements"]), found

    await create(me, EVERYONE, name="everyone")
    await sizes()  # a new connection first looks up the types it meets
    one, alone = await sizes()
    await create(me, NOT_FANS, name="not fans")
    await create(me, FEMALE, name="female")
    three, together = await sizes()
    # key, shop, the segments, their sizes
    assert one == three == 4
    assert alone == {"everyone": 5}
    assert together == {"everyone": 5, "not fans": 3, "female": 2}

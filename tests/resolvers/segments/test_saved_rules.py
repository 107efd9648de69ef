"""Saved rules through the API, on ``rule_fixture``'s data as of 2026-03-31: minOrders 0
saved and counted beside other segments, the 200-leaf limit, and saved rules that can no
longer be evaluated (written to the table by hand), which fail their own fields only."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from tests.conftest import Caller
from tests.resolvers.segments.rule_fixture import CUSTOMERS

FANS = {"fan": {"isFan": True}}  # u01, u08
# 100 × (fan and not a member) = 200 leaves: u08 (u01 is a member).
FANS_NOT_MEMBERS_200 = {"any": [{"all": [FANS, {"not": {"member": {"isMember": True}}}]}] * 100}
LEAVES_201 = {"any": [*FANS_NOT_MEMBERS_200["any"], {"profile": {"genders": ["male"]}}]}
TOO_MANY = "rule: at most 200 leaves (rules other than all, any and not), not 201"

CREATE = """
mutation C($name: String!, $rule: SegmentRuleInput!) {
  createSegment(shopId: "s1", name: $name, rule: $rule) { id rule size(asOf: "2026-03-31") }
}
"""

UPDATE = """
mutation U($id: ID!, $rule: SegmentRuleInput) {
  updateSegment(id: $id, rule: $rule) { id size(asOf: "2026-03-31") }
}
"""

SIZES = """
query { shop(id: "s1") { segments { name size(asOf: "2026-03-31") } } }
"""

# Every field of a segment that evaluates its rule.
FIELDS = """
query F($id: ID!, $other: ID!) {
  shop(id: "s1") {
    segment(id: $id) {
      name
      size(asOf: "2026-03-31")
      customers(asOf: "2026-03-31", first: 1) { totalCount }
      metrics(names: [ORDERS], period: {from: "2026-03-01", to: "2026-03-31"},
              asOf: "2026-03-31") { value }
      portrait(dimension: GENDER, asOf: "2026-03-31") { key value }
      overlap(with: $other, asOf: "2026-03-31")
    }
  }
}
"""

OVERLAP = """
query O($id: ID!, $other: ID!) {
  shop(id: "s1") { segment(id: $id) { size(asOf: "2026-03-31") overlap(with: $other) } }
}
"""

EXPORT = """
mutation E($id: ID!) { exportSegment(id: $id, asOf: "2026-03-31") { rows } }
"""

# A row written by hand, older than the segments the tests create.
INSERT_SEGMENT_SQL = """
INSERT INTO segments (segment_id, shop_id, name, rule, created_at, updated_at)
VALUES ($1, 's1', $2, $3::jsonb, '2026-01-01 00:00+08', '2026-01-01 00:00+08')
"""

BROKEN = "seg_broken"
UNEVALUABLE = (
    "segment 'seg_broken': its saved rule can no longer be evaluated ({}); save a new rule "
    "with updateSegment"
)


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def create(me: Caller, name: str, rule: dict[str, Any]) -> dict[str, Any]:
    body = await me.query(CREATE, name=name, rule=rule)
    assert "errors" not in body, body["errors"]
    created: dict[str, Any] = body["data"]["createSegment"]
    return created


async def save_by_hand(db: asyncpg.Pool, rule: object) -> None:
    await db.execute(INSERT_SEGMENT_SQL, BROKEN, "broken", json.dumps(rule))


async def test_min_orders_zero_is_saved_and_counted_with_the_other_segments(
    caller: Any, data: asyncpg.Pool
) -> None:
    """Within 30 days every customer has 0 or more orders; p1 within 7 days (from 03-25):
    u01's o01 only (u04's o04 is one second earlier)."""
    me = await caller("write", ("s1",))
    any_orders = await create(me, "zero or more", {"purchased": {"withinDays": 30, "minOrders": 0}})
    assert any_orders["rule"] == {"purchased": {"withinDays": 30, "minOrders": 0}}
    assert any_orders["size"] == len(CUSTOMERS) == 10
    no_p1 = {"purchased": {"productIds": ["p1"], "withinDays": 7, "minOrders": 0, "maxOrders": 0}}
    assert (await create(me, "no p1 in 7 days", no_p1))["size"] == 9
    await create(me, "fans", FANS)
    body = await me.query(SIZES)
    assert "errors" not in body, body["errors"]
    assert body["data"]["shop"]["segments"] == [
        {"name": "fans", "size": 2},
        {"name": "no p1 in 7 days", "size": 9},
        {"name": "zero or more", "size": 10},
    ]


async def test_a_rule_of_200_leaves_is_saved_and_201_are_refused(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    created = await create(me, "200 leaves", FANS_NOT_MEMBERS_200)
    assert created["size"] == 1  # u08
    refused = await me.query(CREATE, name="201 leaves", rule=LEAVES_201)
    assert refused["data"] is None
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["message"] == TOO_MANY
    assert await data.fetchval("SELECT count(*) FROM segments") == 1


async def test_an_update_to_201_leaves_is_refused_and_keeps_the_rule(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = (await create(me, "fans", FANS))["id"]
    refused = await me.query(UPDATE, id=segment_id, rule=LEAVES_201)
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["message"] == TOO_MANY
    assert json.loads(await data.fetchval("SELECT rule FROM segments")) == FANS
    accepted = await me.query(UPDATE, id=segment_id, rule=FANS_NOT_MEMBERS_200)
    assert accepted["data"]["updateSegment"] == {"id": segment_id, "size": 1}


async def test_a_saved_rule_that_no_longer_passes_fails_only_its_own_fields(
    caller: Any, data: asyncpg.Pool
) -> None:
    """Each field that evaluates the broken rule is null with its own error; the fans
    segment (u01 female, u08 male; their March orders o01, o08a, o08b) answers, its overlap
    with the broken one aside."""
    me = await caller("write", ("s1",))
    await save_by_hand(data, {"purchased": {"withinDays": 30, "minOrders": -1}})
    fans = (await create(me, "fans", FANS))["id"]
    answered = await me.query(FIELDS, id=fans, other=fans)
    assert "errors" not in answered, answered["errors"]
    assert answered["data"]["shop"]["segment"] == {
        "name": "fans",
        "size": 2,
        "customers": {"totalCount": 2},
        "metrics": [{"value": 3}],
        "portrait": [{"key": "female", "value": 1}, {"key": "male", "value": 1}],
        "overlap": 2,
    }
    body = await me.query(FIELDS, id=BROKEN, other=fans)
    assert body["data"]["shop"]["segment"] == {
        "name": "broken",
        "size": None,
        "customers": None,
        "metrics": None,
        "portrait": None,
        "overlap": None,
    }
    message = UNEVALUABLE.format("rule.purchased.minOrders: must not be negative, not -1")
    assert sorted(
        (tuple(e["path"]), e["extensions"]["code"], e["message"]) for e in body["errors"]
    ) == [
        (("shop", "segment", field), "BAD_USER_INPUT", message)
        for field in ("customers", "metrics", "overlap", "portrait", "size")
    ]


async def test_overlap_with_a_segment_that_can_no_longer_be_evaluated_names_with(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    await save_by_hand(data, {"bought": {"withinDays": 30}})
    fans = (await create(me, "fans", FANS))["id"]
    body = await me.query(OVERLAP, id=fans, other=BROKEN)
    assert body["data"]["shop"]["segment"] == {"size": 2, "overlap": None}
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"], error["message"]) == (
        ["shop", "segment", "overlap"],
        "BAD_USER_INPUT",
        "with: " + UNEVALUABLE.format("rule.bought: not a field of this rule"),
    )


NESTED_9 = {"not": {"not": {"not": {"not": {"not": {"not": {"not": {"not": {"not": FANS}}}}}}}}}

ALL_KINDS = "all, any, not, member, purchased, rfm, activity, profile, fan, reached"
INT32 = "must be a 32-bit integer"

BAD_RULES: list[tuple[str, object, str]] = [
    (
        "a count as text",
        {"purchased": {"minOrders": "0"}},
        f"rule.purchased.minOrders: {INT32}, not '0'",
    ),
    (
        "a window past Int",
        {"purchased": {"withinDays": 2**40}},
        f"rule.purchased.withinDays: {INT32}, not 1099511627776",
    ),
    (
        "an unknown kind",
        {"bought": {}},
        "rule.bought: not a field of this rule",
    ),
    (
        "an unknown field",
        {"fan": {"isFan": True, "since": 3}},
        "rule.fan.since: not a field of this rule",
    ),
    (
        "not an object",
        ["fan"],
        "rule: must be an object, not ['fan']",
    ),
    (
        "a null kind",
        {"fan": None},
        f"rule: exactly one rule kind is needed ({ALL_KINDS}), none given",
    ),
    (
        "a missing field",
        {"fan": {}},
        "rule.fan.isFan: missing",
    ),
    (
        "two kinds",
        {"fan": {"isFan": True}, "rfm": {}},
        "rule: exactly one rule kind is needed, got rfm and fan",
    ),
    (
        "an empty list",
        {"all": []},
        "rule.all: must not be empty",
    ),
    (
        "bounds the wrong way",
        {"purchased": {"minAmount": 10, "maxAmount": 5}},
        "rule.purchased.minAmount: 10 is more than maxAmount (5)",
    ),
    (
        "an unknown status",
        {"member": {"statuses": ["VIP"]}},
        "rule.member.statuses[0]: must be one of QUALITY, POTENTIAL, DORMANT, not 'VIP'",
    ),
    (
        "an unknown gender",
        {"profile": {"genders": ["x"]}},
        "rule.profile.genders[0]: unknown gender 'x' (one of female, male, unknown)",
    ),
    (
        "too deep",
        NESTED_9,
        "rule.not.not.not.not.not.not.not.not: rules nest at most 8 deep",
    ),
    (
        "too many leaves",
        LEAVES_201,
        TOO_MANY,
    ),
]


@pytest.mark.parametrize(
    ("stored", "problem"), [case[1:] for case in BAD_RULES], ids=[case[0] for case in BAD_RULES]
)
async def test_each_unevaluable_saved_rule_fails_its_own_size_only(
    caller: Any, data: asyncpg.Pool, stored: object, problem: str
) -> None:
    me = await caller("write", ("s1",))
    await save_by_hand(data, stored)
    await create(me, "fans", FANS)
    body = await me.query(SIZES)
    assert body["data"]["shop"]["segments"] == [
        {"name": "fans", "size": 2},
        {"name": "broken", "size": None},
    ]
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"], error["message"]) == (
        ["shop", "segments", 1, "size"],
        "BAD_USER_INPUT",
        UNEVALUABLE.format(problem),
    )


async def test_a_segment_that_can_no_longer_be_evaluated_is_not_exported_until_updated(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    await save_by_hand(data, {"purchased": {"minOrders": -1}})
    refused = await me.query(EXPORT, id=BROKEN)
    assert refused["data"] is None
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["message"] == UNEVALUABLE.format(
        "rule.purchased.minOrders: must not be negative, not -1"
    )
    assert await data.fetchval("SELECT count(*) FROM segment_exports") == 0
    updated = await me.query(UPDATE, id=BROKEN, rule=FANS)
    assert updated["data"]["updateSegment"] == {"id": BROKEN, "size": 2}
    assert (await me.query(EXPORT, id=BROKEN))["data"] == {"exportSegment": {"rows": 2}}

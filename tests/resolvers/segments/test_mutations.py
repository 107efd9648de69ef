"""Segment mutations answered with ``data: null`` save nothing (SPEC §8): a later mutation
of the same document that fails on a non-null field takes back what the earlier ones
saved; a response that carries a result keeps it. On ``rule_fixture``'s data."""

from __future__ import annotations

from typing import Any

import asyncpg

from resolvers.segments.mutations import TAKE_BACK_UPDATE_SQL
from tests.conftest import Caller

FANS = {"fan": {"isFan": True}}

# A mutation that fails (an empty name) on a non-null field, so that ``data`` is null.
FAILING = 'failed: createSegment(shopId: "s1", name: " ", rule: {fan: {isFan: true}}) { id }'

CREATE = """
mutation C($name: String!, $rule: SegmentRuleInput!) {
  createSegment(shopId: "s1", name: $name, rule: $rule) { id }
}
"""


def document(head: str, *fields: str) -> str:
    """A mutation document of these fields, one a line."""
    lines = "\n  ".join(fields)
    return f"mutation {head}{{\n  {lines}\n}}"


CREATE_THEN_FAIL = document(
    "",
    'kept: createSegment(shopId: "s1", name: "first", rule: {fan: {isFan: true}}) { id }',
    FAILING,
)
FAIL_THEN_CREATE = document(
    "",
    FAILING,
    'later: createSegment(shopId: "s1", name: "later", rule: {fan: {isFan: true}}) { id }',
)
UPDATE_TWICE_THEN_FAIL = document(
    "U($id: ID!) ",
    'renamed: updateSegment(id: $id, name: "renamed") { id }',
    "changed: updateSegment(id: $id, rule: {member: {isMember: true}}) { id }",
    FAILING,
)
DELETE_THEN_FAIL = document("D($id: ID!) ", "deleteSegment(id: $id)", FAILING)

EXPORT = """
mutation E($id: ID!) { exportSegment(id: $id, asOf: "2026-03-31") { rows } }
"""

FUTURE_SIZE = """
mutation { createSegment(shopId: "s1", name: "fans", rule: {fan: {isFan: true}}) {
  id size(asOf: "2099-01-01")
} }
"""

SEGMENTS_SQL = """
SELECT segment_id, shop_id, name, rule::text, created_at, updated_at
FROM segments
ORDER BY segment_id
"""

EXPORTS_SQL = """
SELECT export_id, segment_id, shop_id, rule::text, as_of, rows, expires_at, created_at
FROM segment_exports
ORDER BY export_id
"""


async def rows(db: asyncpg.Pool, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(record.values()) for record in await db.fetch(sql)]


async def create(me: Caller, name: str, rule: dict[str, Any]) -> str:
    body = await me.query(CREATE, name=name, rule=rule)
    assert "errors" not in body, body["errors"]
    segment_id: str = body["data"]["createSegment"]["id"]
    return segment_id


def refused(body: dict[str, Any]) -> tuple[Any, list[tuple[str, str]]]:
    """The data and the (code, message) of each error."""
    errors = [(e["extensions"]["code"], e["message"]) for e in body.get("errors", [])]
    return body["data"], errors


NO_NAME = ("BAD_USER_INPUT", "name: must not be empty")


async def test_a_create_followed_by_a_failing_mutation_is_taken_back(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    assert refused(await me.query(CREATE_THEN_FAIL)) == (None, [NO_NAME])
    assert await rows(data, SEGMENTS_SQL) == []


async def test_a_mutation_after_a_failing_one_saves_nothing(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    assert refused(await me.query(FAIL_THEN_CREATE)) == (None, [NO_NAME])
    assert await rows(data, SEGMENTS_SQL) == []


async def test_an_answered_create_keeps_its_save(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, "fans", FANS)
    assert [row[:3] for row in await rows(data, SEGMENTS_SQL)] == [(segment_id, "s1", "fans")]


async def test_a_failing_nullable_field_keeps_the_save_and_answers_its_id(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    body = await me.query(FUTURE_SIZE)
    segment = body["data"]["createSegment"]
    assert segment["size"] is None
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (
        ["createSegment", "size"],
        "BAD_USER_INPUT",
    )
    assert error["message"].startswith("asOf: 2099-01-01 is after today")
    assert [row[:3] for row in await rows(data, SEGMENTS_SQL)] == [(segment["id"], "s1", "fans")]


async def test_updates_followed_by_a_failing_mutation_restore_the_segment(
    caller: Any, data: asyncpg.Pool
) -> None:
    """Two updates of one segment, taken back in reverse order: name, rule and updatedAt
    as they were."""
    me = await caller("write", ("s1",))
    segment_id = await create(me, "fans", FANS)
    before = await rows(data, SEGMENTS_SQL)
    assert refused(await me.query(UPDATE_TWICE_THEN_FAIL, id=segment_id)) == (None, [NO_NAME])
    assert await rows(data, SEGMENTS_SQL) == before


async def test_a_delete_followed_by_a_failing_mutation_restores_the_segment_and_its_links(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, "fans", FANS)
    exported = await me.query(EXPORT, id=segment_id)
    assert exported["data"] == {"exportSegment": {"rows": 2}}
    segments, exports = await rows(data, SEGMENTS_SQL), await rows(data, EXPORTS_SQL)
    assert len(exports) == 1
    assert refused(await me.query(DELETE_THEN_FAIL, id=segment_id)) == (None, [NO_NAME])
    assert await rows(data, SEGMENTS_SQL) == segments
    assert await rows(data, EXPORTS_SQL) == exports


async def test_an_answered_delete_keeps_its_save(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id = await create(me, "fans", FANS)
    await me.query(EXPORT, id=segment_id)
    body = await me.query("mutation D($id: ID!) { deleteSegment(id: $id) }", id=segment_id)
    assert body == {"data": {"deleteSegment": True}}
    assert await rows(data, SEGMENTS_SQL) == []
    assert await rows(data, EXPORTS_SQL) == []


async def test_a_take_back_leaves_a_segment_changed_since_alone(
    caller: Any, data: asyncpg.Pool
) -> None:
    """An update is put back only while the row is as that update left it: a later save
    by another request wins."""
    me = await caller("write", ("s1",))
    segment_id = await create(me, "fans", FANS)
    [(_, _, name, rule, _, created)] = await rows(data, SEGMENTS_SQL)
    rename = "mutation U($id: ID!, $name: String) { updateSegment(id: $id, name: $name) { id } }"
    await me.query(rename, id=segment_id, name="renamed")
    [(*_, renamed_at)] = await rows(data, SEGMENTS_SQL)
    await me.query(rename, id=segment_id, name="renamed again")
    after = await rows(data, SEGMENTS_SQL)
    await data.execute(TAKE_BACK_UPDATE_SQL, segment_id, name, rule, created, renamed_at)
    assert await rows(data, SEGMENTS_SQL) == after
    assert after[0][2] == "renamed again"

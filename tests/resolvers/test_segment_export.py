"""Audience exports: the link ``exportSegment`` returns, who may download it, and the CSV
it streams (the customers of ``segment_fixture`` as of 2026-06-30)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Caller
from tests.resolvers.segment_fixture import AS_OF, EVERYONE, ODD_USER, at, load_segment_data

CREATE = """
mutation C($rule: SegmentRuleInput!) {
  createSegment(shopId: "s1", name: "audience", rule: $rule) { id size(asOf: "2026-06-30") }
}
"""

EXPORT = """
mutation E($id: ID!, $asOf: Date) { exportSegment(id: $id, asOf: $asOf) { url expiresAt rows } }
"""

DELETE = """
mutation D($id: ID!) { deleteSegment(id: $id) }
"""

# Moves the expiry of the link at URL $2 back by $1 from now.
AGE_LINK_SQL = """
UPDATE segment_exports SET expires_at = now() - $1::interval WHERE $2 LIKE '%/' || export_id
"""

EXPECTED_CSV = (
    "user_id,gender,age_band,province,crowd,member_status,fan_status\r\n"
    '"u""7,x",unknown,unknown,广东,unknown,,fan\r\n'
    "u1,female,24-30,浙江,gen_z,quality,non_fan\r\n"
    "u2,male,31-40,上海,urban_white_collar,,non_fan\r\n"
    "u3,female,unknown,浙江,unknown,,fan\r\n"
    "u4,unknown,unknown,unknown,unknown,potential,non_fan\r\n"
)


@pytest.fixture
async def data(shops: asyncpg.Pool) -> asyncpg.Pool:
    await load_segment_data(shops)
    return shops


async def export(me: Caller, rule: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A new segment of s1 and its export as of A: (segment id, export)."""
    created = await me.query(CREATE, rule=rule)
    assert "errors" not in created, created["errors"]
    segment = created["data"]["createSegment"]
    body = await me.query(EXPORT, id=segment["id"], asOf=AS_OF.isoformat())
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["exportSegment"]
    assert result["rows"] == segment["size"]
    return segment["id"], result


async def download(me: Caller, url: str, secret: str | None = None) -> httpx.Response:
    key = secret if secret is not None else me.secret
    headers = {"authorization": f"Bearer {key}"} if key else {}
    return await me.http.get(url, headers=headers)


async def test_an_export_streams_the_audience_as_csv(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id, exported = await export(me, EVERYONE)
    assert exported["rows"] == 5
    assert exported["url"].startswith("http://test/exports/")
    expires = datetime.fromisoformat(exported["expiresAt"])
    expected_expiry = datetime.now(UTC) + timedelta(seconds=3600)
    assert abs(expires - expected_expiry) < timedelta(seconds=30)

    response = await download(me, exported["url"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{segment_id}-2026-06-30.csv"'
    )
    assert response.content.decode("utf-8") == EXPECTED_CSV
    rows = list(csv.reader(io.StringIO(response.text)))
    assert [row[0] for row in rows[1:]] == [ODD_USER, "u1", "u2", "u3", "u4"]


async def test_the_link_keeps_its_rule_and_day(caller: Any, data: asyncpg.Pool) -> None:
    """Renaming or changing the segment later does not change what the link downloads."""
    me = await caller("write", ("s1",))
    segment_id, exported = await export(me, EVERYONE)
    changed = await me.query(
        "mutation U($id: ID!) { updateSegment(id: $id, rule: {fan: {isFan: true}}) { id } }",
        id=segment_id,
    )
    assert "errors" not in changed, changed["errors"]
    response = await download(me, exported["url"])
    assert response.content.decode("utf-8") == EXPECTED_CSV


async def test_who_may_download_an_export(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    _, exported = await export(me, EVERYONE)
    url = exported["url"]
    reader = await caller("read", ("s1",))
    stranger = await caller("write", ("s2",))

    assert (await download(reader, url)).status_code == 200
    anonymous = await me.http.get(url)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad_key = await download(me, url, secret="not-a-key")
    assert bad_key.status_code == 401
    forbidden = await download(stranger, url)
    assert forbidden.status_code == 403
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = await download(me, "http://test/exports/nope")
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_an_expired_link_is_gone(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    _, exported = await export(me, EVERYONE)
    await data.execute("UPDATE segment_exports SET expires_at = now() - interval '1 second'")
    response = await download(me, exported["url"])
    assert response.status_code == 410
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "expired" in error["message"]


async def test_links_expired_a_day_ago_are_purged_by_the_next_export(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    _, old = await export(me, EVERYONE)
    _, recent = await export(me, EVERYONE)
    await data.execute(AGE_LINK_SQL, timedelta(hours=25), old["url"])
    await data.execute(AGE_LINK_SQL, timedelta(hours=23), recent["url"])
    _, fresh = await export(me, EVERYONE)
    assert (await download(me, old["url"])).status_code == 404
    assert (await download(me, recent["url"])).status_code == 410
    assert (await download(me, fresh["url"])).status_code == 200


async def test_deleting_the_segment_deletes_its_links(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id, exported = await export(me, EVERYONE)
    assert (await me.query(DELETE, id=segment_id))["data"] == {"deleteSegment": True}
    assert await data.fetchval("SELECT count(*) FROM segment_exports") == 0
    assert (await download(me, exported["url"])).status_code == 404


async def test_an_export_row_keeps_the_rule_day_and_size(caller: Any, data: asyncpg.Pool) -> None:
    me = await caller("write", ("s1",))
    segment_id, exported = await export(me, {"fan": {"isFan": True}})
    record = await data.fetchrow("SELECT * FROM segment_exports")
    assert exported["url"].endswith("/exports/" + record["export_id"])
    assert (record["segment_id"], record["shop_id"], record["as_of"], record["rows"]) == (
        segment_id,
        "s1",
        AS_OF,
        2,
    )
    assert record["rule"] == '{"fan": {"isFan": true}}'
    assert datetime.fromisoformat(exported["expiresAt"]) == record["expires_at"]


async def test_a_large_audience_streams_in_order(caller: Any, data: asyncpg.Pool) -> None:
    """3,000 extra fans: several cursor fetches and CSV chunks, still one row each."""
    await data.execute(
        "INSERT INTO users (user_id) SELECT 'x' || lpad(n::text, 5, '0') "
        "FROM generate_series(1, 3000) n"
    )
    await data.execute(
        "INSERT INTO fans (shop_id, user_id, followed_at) "
        "SELECT 's1', 'x' || lpad(n::text, 5, '0'), $1 FROM generate_series(1, 3000) n",
        at("2026-06-01"),
    )
    me = await caller("write", ("s1",))
    _, exported = await export(me, {"fan": {"isFan": True}})
    assert exported["rows"] == 3002
    response = await download(me, exported["url"])
    rows = list(csv.reader(io.StringIO(response.text)))
    assert [row[0] for row in rows[1:]] == [ODD_USER, "u3", *(f"x{n:05d}" for n in range(1, 3001))]
    assert all(row[5:] == ["", "fan"] for row in rows[1:])


# (user id, province, crowd): each starts with a character spreadsheets read as a formula
# (=, +, -, @, tab, carriage return), but for the last user, whose "=" is inside.
FORMULA_LIKE_USERS = [
    ("\tu-tab", "=1+2", "@crowd"),
    ("\ru-cr", "+86", "-1"),
    ("+u-plus", "-北京", "\tgen_z"),
    ("-u-minus", "@家", "\rnight"),
    ('=HYPERLINK("http://x","y")', "\t浙江", "=cmd|' /C calc'!A0"),
    ("@u-at", "\r上海", "+y"),
    ("u-plain", "浙江", "a=b"),
]

# Each such cell gets a single quote in front; then the CSV quoting applies as usual (a cell
# with a carriage return, a comma or a double quote is quoted, its double quotes doubled).
# Rows in byte order of the ids: tab, CR, +, -, =, @, u.
NEUTRALISED_CSV = (
    "user_id,gender,age_band,province,crowd,member_status,fan_status\r\n"
    "'\tu-tab,unknown,unknown,'=1+2,'@crowd,,fan\r\n"
    "\"'\ru-cr\",unknown,unknown,'+86,'-1,,fan\r\n"
    "'+u-plus,unknown,unknown,'-北京,'\tgen_z,,fan\r\n"
    "'-u-minus,unknown,unknown,'@家,\"'\rnight\",,fan\r\n"
    '"\'=HYPERLINK(""http://x"",""y"")",unknown,unknown,\'\t浙江,\'=cmd|\' /C calc\'!A0,,fan\r\n'
    "'@u-at,unknown,unknown,\"'\r上海\",'+y,,fan\r\n"
    "u-plain,unknown,unknown,浙江,a=b,,fan\r\n"
)


async def test_cells_read_as_formulas_are_neutralised(caller: Any, shops: asyncpg.Pool) -> None:
    """OWASP's remedy for CSV injection: a single quote before =, +, -, @, tab or CR."""
    await shops.executemany(
        "INSERT INTO users (user_id, province, crowd) VALUES ($1, $2, $3)", FORMULA_LIKE_USERS
    )
    await shops.executemany(
        "INSERT INTO fans (shop_id, user_id, followed_at) VALUES ('s1', $1, $2)",
        [(user_id, at("2026-06-01")) for user_id, _, _ in FORMULA_LIKE_USERS],
    )
    me = await caller("write", ("s1",))
    _, exported = await export(me, {"fan": {"isFan": True}})
    response = await download(me, exported["url"])
    assert response.status_code == 200, response.text
    assert response.content.decode("utf-8") == NEUTRALISED_CSV
    rows = list(csv.reader(io.StringIO(response.text, newline="")))
    assert [tuple(row[:1] + row[3:5]) for row in rows[1:-1]] == [
        tuple(f"'{cell}" for cell in user) for user in FORMULA_LIKE_USERS[:-1]
    ]


# An export, then a mutation failing on a non-null field (an empty name): data is null.
EXPORT_THEN_FAIL = """
mutation E($id: ID!) {
  exportSegment(id: $id, asOf: "2026-06-30") { url rows }
  failed: createSegment(shopId: "s1", name: " ", rule: {fan: {isFan: true}}) { id }
}
"""


async def test_an_export_in_a_response_without_data_is_taken_back(
    caller: Any, data: asyncpg.Pool
) -> None:
    me = await caller("write", ("s1",))
    created = await me.query(CREATE, rule=EVERYONE)
    segment_id = created["data"]["createSegment"]["id"]
    body = await me.query(EXPORT_THEN_FAIL, id=segment_id)
    assert body["data"] is None
    errors = [(e["extensions"]["code"], e["message"]) for e in body["errors"]]
    assert errors == [("BAD_USER_INPUT", "name: must not be empty")]
    assert await data.fetchval("SELECT count(*) FROM segment_exports") == 0
    answered = await me.query(EXPORT, id=segment_id, asOf=AS_OF.isoformat())
    assert answered["data"]["exportSegment"]["rows"] == 5
    assert await data.fetchval("SELECT count(*) FROM segment_exports") == 1

"""``Shop.members``: who is listed, the fields, filters, orderings and keyset pages.

Expected ids and values are read off the table in ``member_fixture``; every timestamp
there is relative to the moment the fixture was inserted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest

from resolvers.pagination import encode_cursor
from tests.conftest import Caller
from tests.resolvers.member_fixture import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    ERIN,
    FRANK,
    GINA,
    HANK,
    IVAN,
    JACK,
    KIM,
    QUOTED,
    SHOP,
    add_member,
    add_order,
    days,
    fixture_now,
    insert_members_fixture,
)

MEMBERS = """
query M($shop: ID!, $filter: MemberFilter, $orderBy: MemberOrder, $first: Int, $after: String) {
  shop(id: $shop) {
    members(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
    }
  }
}
"""

FIELDS = """
query M($shop: ID!, $filter: MemberFilter) {
  shop(id: $shop) {
    members(filter: $filter, first: 100) {
      edges {
        node {
          id joinedAt joinChannel leftAt status isFan gender ageBand province crowd
          orderCount totalAmount lastOrderAt
        }
      }
    }
  }
}
"""

WITH_ORDERS = """
query M($shop: ID!) {
  shop(id: $shop) {
    members(filter: {includeFormer: true}, first: 100) {
      edges { node { id orders(first: 2) { totalCount edges { node { id } } } } }
    }
  }
}
"""

MEMBER = """
query M($shop: ID!, $id: ID!) {
  shop(id: $shop) {
    id
    member(id: $id) {
      id joinedAt joinChannel leftAt status isFan orderCount totalAmount lastOrderAt
    }
  }
}
"""

JOINED_DESC = [QUOTED, ERIN, DAVE, KIM, ALICE, BOB, CAROL, IVAN]

ORDERINGS = {
    "JOINED_AT_DESC": JOINED_DESC,
    # u-bob and u-carol joined at the same instant: ties go by user id, ascending.
    "JOINED_AT_ASC": [IVAN, BOB, CAROL, ALICE, KIM, DAVE, ERIN, QUOTED],
    # u-dave and u-kim have no orders: last in both directions, by user id.
    "LAST_ORDER_AT_DESC": [QUOTED, ALICE, BOB, IVAN, CAROL, ERIN, DAVE, KIM],
    "LAST_ORDER_AT_ASC": [ERIN, CAROL, IVAN, BOB, ALICE, QUOTED, DAVE, KIM],
    # 200.00, 150.50, 80.00 (u-carol, u-erin by id), 10.00, 5.00, then no orders.
    "TOTAL_AMOUNT_DESC": [BOB, ALICE, CAROL, ERIN, QUOTED, IVAN, DAVE, KIM],
    "TOTAL_AMOUNT_ASC": [IVAN, QUOTED, CAROL, ERIN, ALICE, BOB, DAVE, KIM],
}


@pytest.fixture
async def now(shops: asyncpg.Pool) -> datetime:
    """The fixture's instant, with the members dataset inserted at it."""
    moment = fixture_now()
    await insert_members_fixture(shops, moment)
    return moment


async def page(me: Caller, **variables: Any) -> dict[str, Any]:
    body = await me.query(MEMBERS, shop=SHOP, **variables)
    assert body.get("errors") is None, body["errors"]
    members: dict[str, Any] = body["data"]["shop"]["members"]
    return members


def ids(members: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in members["edges"]]


async def listed(me: Caller, **variables: Any) -> list[str]:
    """Every id of one page of up to 100 members."""
    return ids(await page(me, first=100, **variables))


async def error_of(me: Caller, query: str = MEMBERS, **variables: Any) -> tuple[str, str]:
    body = await me.query(query, **{"shop": SHOP, **variables})
    assert body["data"]["shop"] is None
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


async def test_members_are_current_members_newest_join_first(caller: Any, now: datetime) -> None:
    members = await page(await caller())
    # u-frank left, u-jack joins in 5 days, u-hank never joined, u-gina is a member of s2.
    assert ids(members) == JOINED_DESC
    assert members["totalCount"] == 8
    assert members["pageInfo"]["hasNextPage"] is False
    assert members["pageInfo"]["hasPreviousPage"] is False
    assert members["pageInfo"]["startCursor"] == members["edges"][0]["cursor"]
    assert members["pageInfo"]["endCursor"] == members["edges"][-1]["cursor"]


async def test_include_former_adds_former_members(caller: Any, now: datetime) -> None:
    members = await page(await caller(), filter={"includeFormer": True})
    assert ids(members) == [QUOTED, ERIN, DAVE, KIM, FRANK, ALICE, BOB, CAROL, IVAN]
    assert members["totalCount"] == 9


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


async def fields_by_id(me: Caller, **variables: Any) -> dict[str, dict[str, Any]]:
    body = await me.query(FIELDS, shop=SHOP, **variables)
    assert body.get("errors") is None, body["errors"]
    nodes = [edge["node"] for edge in body["data"]["shop"]["members"]["edges"]]
    for node in nodes:
        for name in ("joinedAt", "leftAt", "lastOrderAt"):
            node[name] = when(node[name])
    return {node.pop("id"): node for node in nodes}


async def test_member_fields_read_the_stint_the_profile_and_the_orders_before_now(
    caller: Any, now: datetime
) -> None:
    members = await fields_by_id(await caller(), filter={"includeFormer": True})
    # o-a9 is paid after now and o-s2 at s2: neither counts; the 0.00 order o-a3 does.
    assert members[ALICE] == {
        "joinedAt": days(now, 400),
        "joinChannel": "live",
        "leftAt": None,
        "status": "QUALITY",
        "isFan": True,
        "gender": "female",
        "ageBand": "24-30",
        "province": "浙江",
        "crowd": "gen_z",
        "orderCount": 3,
        "totalAmount": 150.5,
        "lastOrderAt": days(now, 10),
    }
    # Missing attributes are null; following s2 does not make a fan of s1.
    assert members[QUOTED] == {
        "joinedAt": days(now, 20),
        "joinChannel": "shop_page",
        "leftAt": None,
        "status": "QUALITY",
        "isFan": False,
        "gender": None,
        "ageBand": None,
        "province": None,
        "crowd": None,
        "orderCount": 1,
        "totalAmount": 10.0,
        "lastOrderAt": days(now, 2),
    }
    # Without orders: 0, 0 and null.
    assert members[KIM]["orderCount"] == 0
    assert members[KIM]["totalAmount"] == 0
    assert members[KIM]["lastOrderAt"] is None
    # A former member: the ended stint, no status, orders still counted.
    assert members[FRANK] == {
        "joinedAt": days(now, 200),
        "joinChannel": "order_page",
        "leftAt": days(now, 50),
        "status": None,
        "isFan": False,
        "gender": "male",
        "ageBand": "41-50",
        "province": "四川",
        "crowd": "urban_senior",
        "orderCount": 1,
        "totalAmount": 30.0,
        "lastOrderAt": days(now, 100),
    }
    # Unfollowed 100 days ago: not a fan now.
    assert members[BOB]["isFan"] is False


async def test_a_rejoined_member_shows_the_stint_in_force(caller: Any, now: datetime) -> None:
    erin = (await fields_by_id(await caller()))[ERIN]
    assert (erin["joinedAt"], erin["joinChannel"], erin["leftAt"]) == (
        days(now, 30),
        "creator",
        None,
    )
    # The order of the first stint still counts; the benefit claim 5 days ago makes her
    # potential (the order is 450 days old).
    assert (erin["orderCount"], erin["totalAmount"], erin["status"]) == (1, 80.0, "POTENTIAL")


async def test_status_windows_are_the_365_and_90_days_ending_now(
    caller: Any, now: datetime
) -> None:
    members = await fields_by_id(await caller())
    assert {user: members[user]["status"] for user in (BOB, CAROL, DAVE, IVAN, KIM)} == {
        BOB: "QUALITY",  # order 365 days less a minute ago
        CAROL: "POTENTIAL",  # order 366 days ago; shop visit 90 days less a minute ago
        DAVE: "DORMANT",  # shop visit 91 days ago; an impression is no activity
        IVAN: "DORMANT",  # order 365 days and a minute ago; live watch 90 days and a minute
        KIM: "DORMANT",  # nothing at s1 (a visit at s2)
    }


@pytest.mark.parametrize(("ordering", "expected"), list(ORDERINGS.items()))
async def test_each_ordering_sorts_with_no_orders_last_and_ties_by_user_id(
    caller: Any, now: datetime, ordering: str, expected: list[str]
) -> None:
    assert await listed(await caller(), orderBy=ordering) == expected


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("ordering", list(ORDERINGS))
async def test_pages_of_any_size_walk_the_same_order(
    caller: Any, now: datetime, ordering: str, size: int
) -> None:
    me = await caller()
    walked: list[str] = []
    after = None
    while True:
        members = await page(me, orderBy=ordering, first=size, after=after)
        assert members["totalCount"] == 8
        assert members["pageInfo"]["hasPreviousPage"] is (after is not None)
        walked += ids(members)
        if not members["pageInfo"]["hasNextPage"]:
            break
        after = members["pageInfo"]["endCursor"]
    assert walked == ORDERINGS[ordering]


@pytest.mark.parametrize(
    ("ordering", "newcomers_seen"), [("JOINED_AT_DESC", False), ("JOINED_AT_ASC", True)]
)
async def test_pages_visit_each_member_once_while_members_and_orders_arrive(
    caller: Any, now: datetime, db: asyncpg.Pool, ordering: str, newcomers_seen: bool
) -> None:
    me = await caller()
    # Between the first pages a member joins (the newest of all) and a member buys.
    arrivals = [("u-new1", ALICE), ("u-new2", QUOTED)]
    walked: list[str] = []
    after = None
    while True:
        members = await page(me, orderBy=ordering, first=3, after=after)
        walked += ids(members)
        if not members["pageInfo"]["hasNextPage"]:
            break
        after = members["pageInfo"]["endCursor"]
        if arrivals:
            newcomer, buyer = arrivals.pop(0)
            await add_member(db, newcomer, fixture_now() - timedelta(seconds=1))
            await add_order(db, f"o-{newcomer}", buyer, fixture_now() - timedelta(seconds=1), "1")
    newcomers = ["u-new1", "u-new2"] if newcomers_seen else []
    assert walked == ORDERINGS[ordering] + newcomers
    assert members["totalCount"] == 10


async def test_first_zero_gives_only_the_count(caller: Any, now: datetime) -> None:
    members = await page(await caller(), first=0)
    assert members["edges"] == []
    assert members["totalCount"] == 8
    assert members["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    ("member_filter", "expected"),
    [
        ({"statuses": ["QUALITY"]}, [QUOTED, ALICE, BOB]),
        ({"statuses": ["POTENTIAL"]}, [ERIN, CAROL]),
        ({"statuses": ["DORMANT", "POTENTIAL"]}, [ERIN, DAVE, KIM, CAROL, IVAN]),
        # A former member has no status, so a status filter never lists one.
        (
            {"statuses": ["QUALITY", "DORMANT"], "includeFormer": True},
            [QUOTED, DAVE, KIM, ALICE, BOB, IVAN],
        ),
        ({"joinChannels": ["live"]}, [DAVE, ALICE]),
        ({"joinChannels": ["other", "shop_page"]}, [QUOTED, KIM]),
        # u-erin's first stint came from a campaign: only the latest stint counts.
        ({"joinChannels": ["campaign"]}, [IVAN]),
        ({"joinChannels": ["order_page"]}, []),
        ({"joinChannels": ["order_page"], "includeFormer": True}, [FRANK]),
        ({"isFan": True}, [ALICE, CAROL]),
        ({"isFan": False}, [QUOTED, ERIN, DAVE, KIM, BOB, IVAN]),
        ({"statuses": ["QUALITY"], "isFan": False}, [QUOTED, BOB]),
        ({"includeFormer": False}, JOINED_DESC),
        ({}, JOINED_DESC),
    ],
)
async def test_filters_narrow_the_list(
    caller: Any, now: datetime, member_filter: dict[str, Any], expected: list[str]
) -> None:
    members = await page(await caller(), filter=member_filter, first=100)
    assert ids(members) == expected
    assert members["totalCount"] == len(expected)


def business_day(moment: datetime) -> str:
    """The calendar day of an instant in Asia/Shanghai (+08, no daylight saving)."""
    return (moment + timedelta(hours=8)).date().isoformat()


def day_after(day: str, count: int = 1) -> str:
    return (datetime.fromisoformat(day) + timedelta(days=count)).date().isoformat()


async def test_join_days_are_inclusive_days_of_the_business_zone(
    caller: Any, now: datetime
) -> None:
    me = await caller()
    erin_day, quoted_day = business_day(days(now, 30)), business_day(days(now, 20))
    span = {"joinedFrom": erin_day, "joinedTo": quoted_day}
    assert await listed(me, filter=span) == [QUOTED, ERIN]
    assert await listed(me, filter={"joinedFrom": day_after(erin_day)}) == [QUOTED]
    assert await listed(me, filter={"joinedTo": erin_day}) == JOINED_DESC[1:]
    assert await listed(me, filter={"joinedTo": day_after(erin_day, -1)}) == JOINED_DESC[2:]
    one_day = {"joinedFrom": quoted_day, "joinedTo": quoted_day}
    assert await listed(me, filter=one_day) == [QUOTED]
    # u-frank's stint began 200 days ago; only listed as a former member.
    frank_day = business_day(days(now, 200))
    frank_only = {"joinedFrom": frank_day, "joinedTo": frank_day}
    assert await listed(me, filter=frank_only) == []
    assert await listed(me, filter=frank_only | {"includeFormer": True}) == [FRANK]


@pytest.mark.parametrize(
    ("member_filter", "message"),
    [
        (
            {"joinChannels": ["live", "tv"]},
            "filter.joinChannels[1]: 'tv' is not a join channel (live, short_video, "
            "product_card, shop_page, order_page, creator, campaign, other)",
        ),
        (
            {"joinChannels": ["Live"]},
            "filter.joinChannels[0]: 'Live' is not a join channel (live, short_video, "
            "product_card, shop_page, order_page, creator, campaign, other)",
        ),
        (
            {"joinedFrom": "2026-03-05", "joinedTo": "2026-03-04"},
            "filter.joinedFrom: 2026-03-05 is after filter.joinedTo 2026-03-04",
        ),
        ({"statuses": []}, "filter.statuses: name at least one status, or leave it out"),
        ({"joinChannels": []}, "filter.joinChannels: name at least one code, or leave it out"),
    ],
)
async def test_bad_filters_are_bad_user_input_naming_the_field(
    caller: Any, now: datetime, member_filter: dict[str, Any], message: str
) -> None:
    assert await error_of(await caller(), filter=member_filter) == ("BAD_USER_INPUT", message)


async def test_quoted_ids_are_matched_literally(
    caller: Any, now: datetime, db: asyncpg.Pool
) -> None:
    me = await caller()
    first = await page(me, first=1)
    assert ids(first) == [QUOTED]
    # The cursor of that id resumes right after it.
    rest = await page(me, first=100, after=first["pageInfo"]["endCursor"])
    assert ids(rest) == JOINED_DESC[1:]
    assert await db.fetchval("SELECT count(*) FROM members WHERE shop_id = 's1'") == 11


@pytest.mark.parametrize("size", [101, -1])
async def test_a_page_size_outside_the_cap_is_bad_user_input(
    caller: Any, now: datetime, size: int
) -> None:
    code, message = await error_of(await caller(), first=size)
    assert (code, message) == ("BAD_USER_INPUT", f"first must be between 0 and 100, not {size}")


async def test_a_malformed_cursor_is_bad_user_input(caller: Any, now: datetime) -> None:
    me = await caller()
    tampered = [
        "not-a-cursor",
        encode_cursor("shop", ["s1"]),
        encode_cursor("member:JOINED_AT_DESC", ["yesterday", ALICE]),
        encode_cursor("member:JOINED_AT_DESC", [None, ALICE]),
        encode_cursor("member:JOINED_AT_DESC", ["2026-03-01T00:00:00", ALICE]),
        encode_cursor("member:JOINED_AT_DESC", [now.isoformat()]),
        encode_cursor("member:TOTAL_AMOUNT_DESC", ["NaN", ALICE]),
        encode_cursor("member:TOTAL_AMOUNT_DESC", ["ten", ALICE]),
        encode_cursor("member:TOTAL_AMOUNT_DESC", [10, ALICE]),
    ]
    for cursor in tampered:
        orderings = {"orderBy": "TOTAL_AMOUNT_DESC"} if "TOTAL" in cursor else {}
        assert await error_of(me, after=cursor, **orderings) == (
            "BAD_USER_INPUT",
            "after: not a cursor of this list",
        ), cursor


@pytest.mark.parametrize(
    ("made_by", "used_with"),
    [
        ("JOINED_AT_DESC", "JOINED_AT_ASC"),
        ("JOINED_AT_DESC", "TOTAL_AMOUNT_DESC"),
        ("LAST_ORDER_AT_ASC", "LAST_ORDER_AT_DESC"),
        ("TOTAL_AMOUNT_ASC", "JOINED_AT_ASC"),
    ],
)
async def test_a_cursor_of_another_ordering_is_bad_user_input(
    caller: Any, now: datetime, made_by: str, used_with: str
) -> None:
    me = await caller()
    cursor = (await page(me, orderBy=made_by, first=2))["pageInfo"]["endCursor"]
    assert await error_of(me, orderBy=used_with, after=cursor) == (
        "BAD_USER_INPUT",
        "after: not a cursor of this list",
    )


async def test_a_read_key_of_another_shop_is_forbidden(caller: Any, now: datetime) -> None:
    other = await caller("read", ("s2",))
    assert await error_of(other) == ("FORBIDDEN", "id: this API key may not read shop 's1'")
    own = await caller("read", ("s1",))
    assert (await page(own))["totalCount"] == 8


async def test_statements_do_not_grow_with_members(
    caller: Any, now: datetime, db: asyncpg.Pool
) -> None:
    me: Caller = await caller("read", (SHOP,))

    async def statements() -> int:
        response = await me.post(FIELDS, shop=SHOP, filter={"includeFormer": True})
        assert "errors" not in response.json(), response.json()
        return int(response.headers["x-sql-statements"])

    await statements()  # a new connection first looks up the types it meets
    few = await statements()
    for n in range(30):
        await add_member(db, f"u-more{n:02}", days(now, 3))
        await add_order(db, f"o-more{n:02}", f"u-more{n:02}", days(now, 1), "9.90")
    many = await statements()
    # key lookup, shop, the page, the count
    assert few == many == 4


async def test_the_orders_of_a_page_of_members_are_one_statement(
    caller: Any, now: datetime, db: asyncpg.Pool
) -> None:
    me: Caller = await caller("read", (SHOP,))

    async def statements() -> tuple[int, dict[str, int]]:
        response = await me.post(WITH_ORDERS, shop=SHOP)
        body = response.json()
        assert "errors" not in body, body
        edges = body["data"]["shop"]["members"]["edges"]
        totals = {edge["node"]["id"]: edge["node"]["orders"]["totalCount"] for edge in edges}
        assert all(
            len(e["node"]["orders"]["edges"]) == min(2, totals[e["node"]["id"]]) for e in edges
        )
        return int(response.headers["x-sql-statements"]), totals

    await statements()  # a new connection first looks up the types it meets
    few, before = await statements()
    for n in range(30):
        await add_member(db, f"u-more{n:02}", days(now, 3))
        for k in range(n % 4):
            await add_order(db, f"o-more{n:02}-{k}", f"u-more{n:02}", days(now, 1 + k), "9.90")
    many, after = await statements()
    # key lookup, shop, the page, the count, every member's orders
    assert few == many == 5
    assert after == before | {f"u-more{n:02}": n % 4 for n in range(30)}


async def member(me: Caller, user_id: str) -> dict[str, Any]:
    body = await me.query(MEMBER, shop=SHOP, id=user_id)
    assert body.get("errors") is None, body["errors"]
    node: dict[str, Any] = body["data"]["shop"]["member"]
    for name in ("joinedAt", "leftAt", "lastOrderAt"):
        node[name] = when(node[name])
    return node


async def test_member_by_id_shows_a_rejoined_member_on_the_stint_in_force(
    caller: Any, now: datetime
) -> None:
    assert await member(await caller(), ERIN) == {
        "id": ERIN,
        "joinedAt": days(now, 30),
        "joinChannel": "creator",
        "leftAt": None,
        "status": "POTENTIAL",
        "isFan": False,
        "orderCount": 1,
        "totalAmount": 80.0,
        "lastOrderAt": days(now, 450),
    }


async def test_member_by_id_finds_a_former_member_without_status(
    caller: Any, now: datetime
) -> None:
    frank = await member(await caller(), FRANK)
    assert (frank["leftAt"], frank["status"], frank["orderCount"]) == (days(now, 50), None, 1)


async def test_member_by_id_matches_quotes_and_sql_literally(caller: Any, now: datetime) -> None:
    quoted = await member(await caller(), QUOTED)
    assert (quoted["id"], quoted["joinChannel"], quoted["status"]) == (
        QUOTED,
        "shop_page",
        "QUALITY",
    )


@pytest.mark.parametrize(
    "user_id",
    [
        GINA,  # a member of s2 only
        HANK,  # bought at s1, never joined
        JACK,  # joins 5 days from now
        "u-%",
        "U-ALICE",
        "u-alice ",
        "' OR '1'='1",
        "nobody",
    ],
)
async def test_member_by_id_is_null_and_not_found_without_a_stint(
    caller: Any, now: datetime, user_id: str
) -> None:
    body = await (await caller()).query(MEMBER, shop=SHOP, id=user_id)
    assert body["data"] == {"shop": {"id": SHOP, "member": None}}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["message"] == f"id: {user_id!r} was never a member of shop 's1'"
    assert error["path"] == ["shop", "member"]

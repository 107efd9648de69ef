"""Every rejection rule, reported as ``file:line: column: reason``.

Each case loads one small file on top of the base dataset in fixtures/load/base:
shops S1, S2; users U1–U3; creator C1; products P1 (S1), P2 (S2); benefits B1 (S1),
B2 (S2); campaigns K1 (S1), K2 (S2); member stints of U1 at S1 [01-01, 02-01) and
[02-10, open); fan stint of U1 at S1 from 2025-12-01, open; orders O1–O3; events E1–E4.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from service.load import load_paths
from tests.service.load_base import BASE

SHANGHAI = ZoneInfo("Asia/Shanghai")

ORDERS = (
    "order_id,shop_id,user_id,product_id,quantity,amount,paid_at,carrier,traffic_type,"
    "entry,creator_id,benefit_id,refund_amount,refunded_at"
)
EVENTS = "event_id,shop_id,user_id,type,occurred_at,product_id,carrier,entry,benefit_id"
MEMBERS = "shop_id,user_id,joined_at,join_channel,left_at"
FANS = "shop_id,user_id,followed_at,unfollowed_at"
GOOD_ORDER = "O9,S1,U1,P1,1,10.00,2026-03-05 10:00,live,organic,,,,,"


@pytest.fixture
async def base(db: asyncpg.Pool) -> asyncpg.Pool:
    """The database holding the base dataset."""
    report = await load_paths(db, [BASE], zone=SHANGHAI)
    assert report.committed and not report.rejects
    return db


async def rejects_of(
    pool: asyncpg.Pool,
    folder: Path,
    name: str,
    lines: list[str],
    allowed_shops: frozenset[str] | None = None,
) -> list[str]:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = await load_paths(pool, [path], zone=SHANGHAI, allowed_shops=allowed_shops)
    assert not report.committed or not report.rejects
    return [str(reject) for reject in report.rejects]


CELL_CASES = [
    # Header (line 1).
    (
        "orders.csv",
        [ORDERS + ",coupon", GOOD_ORDER + ",x"],
        ["orders.csv:1: coupon: unknown column"],
    ),
    (
        "users.csv",
        ["gender,province", "female,浙江"],
        ["users.csv:1: user_id: missing required column"],
    ),
    (
        "shops.csv",
        ["shop_id,name,industry,tier,name", "S9,a,b,1,c"],
        ["shops.csv:1: name: duplicate column"],
    ),
    # Required cells and cell formats.
    (
        "products.csv",
        ["product_id,shop_id,name,category,price", "P9,S1,,tops,1"],
        ["products.csv:2: name: required value missing"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,1.234,2026-03-05,live,organic,,,,,"],
        ["orders.csv:2: amount: more than 2 decimals"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,-1,2026-03-05,live,organic,,,,,"],
        ["orders.csv:2: amount: negative amount"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,abc,2026-03-05,live,organic,,,,,"],
        ["orders.csv:2: amount: not a decimal amount"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,1e3,2026-03-05,live,organic,,,,,"],
        ["orders.csv:2: amount: not a decimal amount"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,0,10,2026-03-05,live,organic,,,,,"],
        ["orders.csv:2: quantity: not a positive integer"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10,2026/03/05,live,organic,,,,,"],
        ["orders.csv:2: paid_at: not an ISO 8601 date or timestamp"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10,2026-03-05,tv,organic,,,,,"],
        ["orders.csv:2: carrier: not one of: live, short_video, product_card"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10,2026-03-05,live,free,,,,,"],
        ["orders.csv:2: traffic_type: not one of: organic, paid"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10,2026-03-05,product_card,paid,home,,,,"],
        ["orders.csv:2: entry: not one of: search, shop_page, feed, showcase, cart, other"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9, S1,U1,P1,x,10,,live,organic,,,,,"],
        [
            "orders.csv:2: shop_id: has a leading or trailing space",
            "orders.csv:2: quantity: not a positive integer",
            "orders.csv:2: paid_at: required value missing",
        ],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10.00,2026-03-05,live,organic,,,,"],
        ["orders.csv:2: -: expected 14 cells, found 13"],
    ),
    (
        "shops.csv",
        ["shop_id,name,industry,tier", "S9,Nine,apparel,8"],
        ["shops.csv:2: tier: not an integer from 1 to 7"],
    ),
    (
        "users.csv",
        ["user_id,gender,age_band,crowd", "U9,f,25,boss"],
        [
            "users.csv:2: gender: not one of: female, male, unknown",
            "users.csv:2: age_band: not one of: 18-23, 24-30, 31-40, 41-50, 50+, unknown",
            "users.csv:2: crowd: not one of: gen_z, urban_white_collar, refined_mom, "
            "senior_middle_class, urban_blue_collar, small_town_youth, urban_senior, "
            "small_town_senior, unknown",
        ],
    ),
    (
        "members.csv",
        [MEMBERS, "S1,U3,2026-01-01,tv,"],
        [
            "members.csv:2: join_channel: not one of: live, short_video, product_card, "
            "shop_page, order_page, creator, campaign, other"
        ],
    ),
    (
        "benefits.csv",
        ["benefit_id,shop_id,kind,name,online_from", "B9,S1,cashback,x,2026-01-01"],
        [
            "benefits.csv:2: kind: not one of: new_member_gift, member_coupon, member_discount, "
            "member_gift_with_purchase, points_exchange, priority_purchase, member_price"
        ],
    ),
    (
        "campaigns.csv",
        ["campaign_id,shop_id,channel,name", "K9,S1,email,x"],
        ["campaigns.csv:2: channel: not one of: sms, super_sms, private_message, push"],
    ),
    (
        "events.csv",
        [EVENTS, "E9,S1,U1,click,2026-03-05,,,,"],
        [
            "events.csv:2: type: not one of: shop_visit, live_watch, video_watch, "
            "product_impression, product_click, add_to_cart, benefit_claim, points_interaction"
        ],
    ),
    (
        "creators.csv",
        ["creator_id,name", "C\x019,x"],
        ["creators.csv:2: creator_id: contains a control or non-printable character"],
    ),
    # Row rules.
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10.00,2026-03-05,live,organic,,,,10.01,2026-03-06"],
        ["orders.csv:2: refund_amount: greater than amount"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10.00,2026-03-05 10:00,live,organic,,,,1,2026-03-05 09:59"],
        ["orders.csv:2: refunded_at: before paid_at"],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P1,1,10.00,2026-03-05,live,organic,search,,,,"],
        ["orders.csv:2: entry: only allowed on product_card orders"],
    ),
    (
        "members.csv",
        [MEMBERS, "S1,U3,2026-02-01,live,2026-01-31"],
        ["members.csv:2: left_at: before joined_at"],
    ),
    (
        "fans.csv",
        [FANS, "S1,U3,2026-02-01,2026-01-31"],
        ["fans.csv:2: unfollowed_at: before followed_at"],
    ),
    (
        "benefits.csv",
        [
            "benefit_id,shop_id,kind,name,online_from,online_to",
            "B9,S1,member_coupon,x,2026-02-01,2026-01-01",
        ],
        ["benefits.csv:2: online_to: before online_from"],
    ),
    (
        "events.csv",
        [EVENTS, "E9,S1,U1,product_click,2026-03-05,,,,"],
        [
            "events.csv:2: product_id: required for product_click events",
            "events.csv:2: carrier: required for product_click events",
        ],
    ),
    (
        "events.csv",
        [EVENTS, "E9,S1,U1,product_impression,2026-03-05,P1,product_card,,"],
        ["events.csv:2: entry: required when carrier is product_card"],
    ),
    (
        "events.csv",
        [EVENTS, "E9,S1,U1,benefit_claim,2026-03-05,,,,"],
        ["events.csv:2: benefit_id: required for benefit_claim events"],
    ),
    (
        "events.csv",
        [EVENTS, "E9,S1,U1,shop_visit,2026-03-05,,live,feed,"],
        ["events.csv:2: entry: only allowed when carrier is product_card"],
    ),
]


@pytest.mark.parametrize(("name", "lines", "expected"), CELL_CASES)
async def test_cell_and_row_rules(
    base: asyncpg.Pool, tmp_path: Path, name: str, lines: list[str], expected: list[str]
) -> None:
    assert await rejects_of(base, tmp_path, name, lines) == expected


REFERENCE_CASES = [
    (
        "products.csv",
        ["product_id,shop_id,name,category,price", "P9,S9,x,c,1"],
        ["products.csv:2: shop_id: unknown shop"],
    ),
    ("members.csv", [MEMBERS, "S1,U9,2026-01-01,live,"], ["members.csv:2: user_id: unknown user"]),
    ("fans.csv", [FANS, "S9,U3,2026-01-01,"], ["fans.csv:2: shop_id: unknown shop"]),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P9,1,10,2026-03-05,live,organic,,C9,B9,,"],
        [
            "orders.csv:2: product_id: unknown product",
            "orders.csv:2: creator_id: unknown creator",
            "orders.csv:2: benefit_id: unknown benefit",
        ],
    ),
    (
        "orders.csv",
        [ORDERS, "O9,S1,U1,P2,1,10,2026-03-05,live,organic,,,B2,,"],
        [
            "orders.csv:2: product_id: product of another shop",
            "orders.csv:2: benefit_id: benefit of another shop",
        ],
    ),
    (
        "events.csv",
        [
            EVENTS,
            "E9,S1,U9,product_click,2026-03-05,P2,live,,",
            "E10,S1,U1,benefit_claim,2026-03-05,,,,B2",
        ],
        [
            "events.csv:2: user_id: unknown user",
            "events.csv:2: product_id: product of another shop",
            "events.csv:3: benefit_id: benefit of another shop",
        ],
    ),
    (
        "reach.csv",
        ["campaign_id,user_id,sent_at", "K9,U1,2026-03-01", "K1,U9,2026-03-01"],
        [
            "reach.csv:2: campaign_id: unknown campaign",
            "reach.csv:3: user_id: unknown user",
        ],
    ),
    # Ids are global: a row never takes over another shop's id.
    (
        "orders.csv",
        [ORDERS, "O1,S2,U1,P2,1,10,2026-03-05,live,organic,,,,,"],
        ["orders.csv:2: order_id: already exists for another shop"],
    ),
    (
        "products.csv",
        ["product_id,shop_id,name,category,price", "P1,S2,x,c,1"],
        ["products.csv:2: product_id: already exists for another shop"],
    ),
    (
        "benefits.csv",
        ["benefit_id,shop_id,kind,name,online_from", "B1,S2,member_coupon,x,2026-01-01"],
        ["benefits.csv:2: benefit_id: already exists for another shop"],
    ),
    (
        "campaigns.csv",
        ["campaign_id,shop_id,channel,name", "K1,S2,sms,x"],
        ["campaigns.csv:2: campaign_id: already exists for another shop"],
    ),
    (
        "events.csv",
        [EVENTS, "E1,S2,U1,shop_visit,2026-03-05,,,,"],
        ["events.csv:2: event_id: already exists for another shop"],
    ),
    # The same id twice in one file: the later row names the first.
    (
        "orders.csv",
        [ORDERS, GOOD_ORDER, "O8,S1,U1,P1,1,10.00,2026-03-05,live,organic,,,,,", GOOD_ORDER],
        ["orders.csv:4: order_id: duplicate of line 2"],
    ),
    (
        "users.csv",
        ["user_id", "U9", "U9", "U9"],
        ["users.csv:3: user_id: duplicate of line 2", "users.csv:4: user_id: duplicate of line 2"],
    ),
    (
        "members.csv",
        [MEMBERS, "S1,U3,2026-01-01,live,", "S1,U3,2026-01-01 00:00:00+08:00,shop_page,"],
        ["members.csv:3: -: duplicate of line 2"],
    ),
    (
        "reach.csv",
        ["campaign_id,user_id,sent_at", "K1,U3,2026-03-01", "K1,U3,2026-03-01 00:00"],
        ["reach.csv:3: -: duplicate of line 2"],
    ),
]


@pytest.mark.parametrize(("name", "lines", "expected"), REFERENCE_CASES)
async def test_reference_and_identity_rules(
    base: asyncpg.Pool, tmp_path: Path, name: str, lines: list[str], expected: list[str]
) -> None:
    assert await rejects_of(base, tmp_path, name, lines) == expected


STINT_CASES = [
    # Within the file: the later stint names the earlier one.
    (
        "members.csv",
        [
            MEMBERS,
            "S1,U3,2026-01-01,live,2026-02-01",
            "S1,U3,2026-01-31,live,",
            "S2,U3,2026-01-15,live,",
        ],
        ["members.csv:3: -: overlaps the stint at line 2"],
    ),
    (
        "fans.csv",
        [FANS, "S2,U3,2026-01-01,", "S2,U3,2026-03-01,2026-04-01"],
        ["fans.csv:3: -: overlaps the stint at line 2"],
    ),
    # Against the database: U1's stored stints at S1 are [01-01, 02-01) and [02-10, open).
    (
        "members.csv",
        [MEMBERS, "S1,U1,2026-01-20,live,"],
        ["members.csv:2: -: overlaps the stored stint joined at 2026-01-01 00:00:00"],
    ),
    (
        "members.csv",
        [MEMBERS, "S1,U1,2026-03-01,live,"],
        ["members.csv:2: -: overlaps the stored stint joined at 2026-02-10 00:00:00"],
    ),
    (
        "fans.csv",
        [FANS, "S1,U1,2026-01-01,"],
        ["fans.csv:2: -: overlaps the stored stint followed at 2025-12-01 00:00:00"],
    ),
    # Touching stints do not overlap: a stint covers [start, end).
    ("members.csv", [MEMBERS, "S1,U1,2026-02-01,live,2026-02-10"], []),
    # A stint with a stored key is that stint, updated: closing the open one makes room.
    (
        "members.csv",
        [MEMBERS, "S1,U1,2026-02-10,shop_page,2026-03-01", "S1,U1,2026-03-05,live,"],
        [],
    ),
]


@pytest.mark.parametrize(("name", "lines", "expected"), STINT_CASES)
async def test_stints_never_overlap(
    base: asyncpg.Pool, tmp_path: Path, name: str, lines: list[str], expected: list[str]
) -> None:
    assert await rejects_of(base, tmp_path, name, lines) == expected


SHOP_SCOPE_CASES = [
    (
        "shops.csv",
        ["shop_id,name,industry,tier", "S1,One,apparel,3", "S2,Two,beauty,2"],
        ["shops.csv:3: shop_id: not among the shops this load may write"],
    ),
    (
        "orders.csv",
        [ORDERS, GOOD_ORDER, "O8,S2,U1,P2,1,10.00,2026-03-05,live,organic,,,,,"],
        ["orders.csv:3: shop_id: not among the shops this load may write"],
    ),
    (
        "reach.csv",
        ["campaign_id,user_id,sent_at", "K1,U3,2026-03-01", "K2,U3,2026-03-01"],
        ["reach.csv:3: campaign_id: campaign of a shop this load may not write"],
    ),
    # Users and creators are shared by every shop: new ones may be added, stored ones kept.
    ("users.csv", ["user_id", "U9", "U3"], []),
    (
        "users.csv",
        ["user_id,gender", "U3,female"],
        [
            "users.csv:2: user_id: stored with other values; "
            "only an admin key may change a platform-wide user"
        ],
    ),
    (
        "creators.csv",
        ["creator_id,name", "C1,Renamed"],
        [
            "creators.csv:2: creator_id: stored with other values; "
            "only an admin key may change a platform-wide creator"
        ],
    ),
]


@pytest.mark.parametrize(("name", "lines", "expected"), SHOP_SCOPE_CASES)
async def test_rows_of_other_shops_are_rejected_when_shops_are_limited(
    base: asyncpg.Pool, tmp_path: Path, name: str, lines: list[str], expected: list[str]
) -> None:
    assert await rejects_of(base, tmp_path, name, lines, frozenset({"S1"})) == expected


async def test_lines_are_physical_lines(base: asyncpg.Pool, tmp_path: Path) -> None:
    """A quoted cell spanning lines and a blank line both move the numbering on."""
    lines = [
        "product_id,shop_id,name,category,price",
        'P8,S1,"Tee',
        'two lines",tops,1',
        "",
        "P9,S1,Cup,home,-2",
    ]
    assert await rejects_of(base, tmp_path, "products.csv", lines) == [
        "products.csv:5: price: negative amount"
    ]


async def test_bytes_that_are_not_utf8_name_their_line(base: asyncpg.Pool, tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_bytes(b"user_id,province\nU8,x\nU9,\xe6\xb5\n")
    report = await load_paths(base, [path], zone=SHANGHAI)
    assert [str(reject) for reject in report.rejects] == ["users.csv:3: -: not valid UTF-8"]


async def test_malformed_csv_names_its_line(base: asyncpg.Pool, tmp_path: Path) -> None:
    lines = ["shop_id,name,industry,tier", 'S9,"Nine"x,apparel,1', "S8,Eight,apparel,1"]
    assert await rejects_of(base, tmp_path, "shops.csv", lines) == [
        "shops.csv:2: -: malformed CSV: ',' expected after '\"'"
    ]


async def test_an_empty_file_has_no_header(base: asyncpg.Pool, tmp_path: Path) -> None:
    assert await rejects_of(base, tmp_path, "shops.csv", []) == ["shops.csv:1: -: no header row"]


async def test_a_bad_header_rejects_every_row_of_the_file(
    base: asyncpg.Pool, tmp_path: Path
) -> None:
    path = tmp_path / "users.csv"
    path.write_text("user_id,shoe_size\nU8,42\nU9,43\n", encoding="utf-8")
    report = await load_paths(base, [path], zone=SHANGHAI, skip_bad_rows=True)
    assert [str(reject) for reject in report.rejects] == ["users.csv:1: shoe_size: unknown column"]
    assert report.rejects[0].row == ("user_id", "shoe_size")
    (result,) = report.files
    assert (result.read, result.inserted, result.rejected) == (2, 0, 2)


async def test_every_bad_row_is_listed(base: asyncpg.Pool, tmp_path: Path) -> None:
    lines = [ORDERS] + [
        f"O{n},S1,U1,P1,1,1.001,2026-03-05,live,organic,,,,," for n in range(10, 15)
    ]
    rejects = await rejects_of(base, tmp_path, "orders.csv", lines)
    assert rejects == [f"orders.csv:{line}: amount: more than 2 decimals" for line in range(2, 7)]

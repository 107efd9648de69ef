"""``POST /load``: the interchange files over HTTP, with the caller's key deciding the shops.

The uploads are the base dataset in fixtures/load/base: shops S1, S2; users U1–U3; creator
C1; products P1 (S1), P2 (S2); two benefits, two campaigns, three member stints, two fan
stints, orders O1–O3, events E1–E4 and three reach rows, split between S1 and S2.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from service.app import create_app
from service.keys import create_key
from service.load import load_paths
from service.settings import Settings
from tests.conftest import Caller
from tests.service.load_base import BAD_ORDERS, BASE, BASE_COUNTS, TABLES

ORDERS_HEADER = (
    "order_id,shop_id,user_id,product_id,quantity,amount,paid_at,carrier,traffic_type,"
    "entry,creator_id,benefit_id,refund_amount,refunded_at\n"
)


def base_files(**replaced: str) -> dict[str, str]:
    """Every base file's text; ``orders="..."`` stands for ``orders.csv`` and so on."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(BASE.iterdir())}
    files.update({f"{name}.csv": text for name, text in replaced.items()})
    return files


async def upload(
    me: Caller, files: dict[str, str], *, query: str = "", **options: Any
) -> httpx.Response:
    """Post ``files`` as multipart parts named, and with file names, after each file."""
    headers = {"authorization": f"Bearer {me.secret}"} if me.secret else {}
    parts = [(name, (name, text.encode(), "text/csv")) for name, text in files.items()]
    return await me.http.post("/load" + query, files=parts, headers=headers, **options)


async def row_counts(pool: asyncpg.Pool) -> dict[str, int]:
    return {table: await pool.fetchval(f"SELECT count(*) FROM {table}") for table in TABLES}


def entries(folder: Path) -> list[Path]:
    return list(folder.iterdir())


def messages(body: dict[str, Any]) -> list[str]:
    return [error["message"] for error in body.get("errors", [])]


@pytest.fixture
async def stored_shops(db: asyncpg.Pool) -> asyncpg.Pool:
    """The database holding the base shops S1 and S2 only, so keys may name them."""
    report = await load_paths(db, [BASE / "shops.csv"], zone=ZoneInfo("Asia/Shanghai"))
    assert report.committed and not report.rejects
    return db


@pytest.fixture
async def writer(stored_shops: asyncpg.Pool, caller: Any) -> Caller:
    """A write key for both base shops."""
    me: Caller = await caller("write", ("S1", "S2"))
    return me


@pytest.fixture
async def loaded(writer: Caller, stored_shops: asyncpg.Pool) -> asyncpg.Pool:
    """The database holding the whole base dataset, loaded over HTTP."""
    response = await upload(writer, base_files())
    assert response.status_code == 200, response.text
    return stored_shops


async def test_a_write_key_loads_every_file_in_one_request(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    response = await upload(writer, base_files())
    assert response.status_code == 200
    body = response.json()
    assert (body["committed"], body["rejected"], body["rejectsTotal"]) == (True, 0, 0)
    assert "errors" not in body
    counts = [
        (f["file"], f["rows"], f["inserted"], f["updated"], f["unchanged"], f["rejected"])
        for f in body["files"]
    ]
    # shops.csv names the two shops already stored, unchanged; every other row is new.
    assert counts == [
        ("shops.csv", 2, 0, 0, 2, 0),
        *((f"{table}.csv", n, n, 0, 0, 0) for table, n in BASE_COUNTS.items() if table != "shops"),
    ]
    assert await row_counts(stored_shops) == BASE_COUNTS


async def test_loading_the_same_files_again_changes_nothing(
    writer: Caller, loaded: asyncpg.Pool
) -> None:
    response = await upload(writer, base_files())
    assert response.status_code == 200
    counts = [
        (f["file"], f["inserted"], f["updated"], f["unchanged"]) for f in response.json()["files"]
    ]
    assert counts == [(f"{table}.csv", 0, 0, n) for table, n in BASE_COUNTS.items()]
    assert await row_counts(loaded) == BASE_COUNTS


async def test_a_bad_row_loads_nothing_from_any_file(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    orders = (BASE / "orders.csv").read_text(encoding="utf-8") + BAD_ORDERS
    response = await upload(writer, base_files(orders=orders))
    assert response.status_code == 422
    body = response.json()
    assert (body["committed"], body["rejected"], body["rejectsTotal"]) == (False, 2, 2)
    assert body["errors"] == [
        {
            "message": "orders.csv:5: amount: negative amount",
            "extensions": {
                "code": "BAD_USER_INPUT",
                "file": "orders.csv",
                "line": 5,
                "column": "amount",
                "reason": "negative amount",
            },
        },
        {
            "message": "orders.csv:6: user_id: unknown user",
            "extensions": {
                "code": "BAD_USER_INPUT",
                "file": "orders.csv",
                "line": 6,
                "column": "user_id",
                "reason": "unknown user",
            },
        },
    ]
    # The shops were there before; nothing of the upload stayed.
    assert await row_counts(stored_shops) == {table: 0 for table in TABLES} | {"shops": 2}


async def test_skip_bad_rows_loads_the_good_rows_and_lists_the_bad(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    orders = (BASE / "orders.csv").read_text(encoding="utf-8") + BAD_ORDERS
    response = await upload(writer, base_files(orders=orders), query="?skipBadRows=true")
    assert response.status_code == 200
    body = response.json()
    assert (body["committed"], body["rejected"], body["rejectsTotal"]) == (True, 2, 2)
    assert messages(body) == [
        "orders.csv:5: amount: negative amount",
        "orders.csv:6: user_id: unknown user",
    ]
    (orders_result,) = [f for f in body["files"] if f["file"] == "orders.csv"]
    assert (orders_result["rows"], orders_result["inserted"], orders_result["rejected"]) == (
        5,
        3,
        2,
    )
    assert await row_counts(stored_shops) == BASE_COUNTS


async def test_skip_bad_rows_must_be_true_or_false(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    response = await upload(writer, base_files(), query="?skipBadRows=yes")
    assert response.status_code == 400
    assert messages(response.json()) == ["skipBadRows must be true or false, not 'yes'"]
    assert await row_counts(stored_shops) == {table: 0 for table in TABLES} | {"shops": 2}


async def test_rows_of_a_shop_outside_the_key_are_rejected(
    loaded: asyncpg.Pool, caller: Any
) -> None:
    me: Caller = await caller("write", ("S1",))
    orders = (
        ORDERS_HEADER
        + "O8,S1,U1,P1,1,10.00,2026-03-05,live,organic,,,,,\n"
        + "O9,S2,U1,P2,1,10.00,2026-03-05,live,organic,,,,,\n"
    )
    response = await upload(me, {"orders.csv": orders})
    assert response.status_code == 422
    assert messages(response.json()) == [
        "orders.csv:3: shop_id: not among the shops this load may write"
    ]
    assert await loaded.fetchval("SELECT count(*) FROM orders") == 3


async def test_a_read_key_may_not_load(stored_shops: asyncpg.Pool, caller: Any) -> None:
    response = await upload(await caller("read", ("S1",)), base_files())
    assert response.status_code == 403
    assert response.json() == {
        "errors": [
            {
                "message": "this API key may only read; loading needs a write or admin key",
                "extensions": {"code": "FORBIDDEN"},
            }
        ]
    }
    assert await stored_shops.fetchval("SELECT count(*) FROM users") == 0


async def test_no_key_is_unauthenticated(client: httpx.AsyncClient, db: asyncpg.Pool) -> None:
    response = await upload(Caller(client, None), base_files())
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    response = await upload(Caller(client, "mlk_nope"), base_files())
    assert response.status_code == 401
    assert messages(response.json()) == ["unknown or revoked API key"]


async def test_an_unknown_part_is_refused_by_name(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    response = await upload(writer, {"users.csv": "user_id\nU1\n", "notes.csv": "x\n"})
    assert response.status_code == 400
    (message,) = messages(response.json())
    assert message.startswith(
        "part 'notes.csv' (file 'notes.csv') is not an interchange file; expected one of "
        "shops.csv, users.csv"
    )
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert await stored_shops.fetchval("SELECT count(*) FROM users") == 0


async def test_a_part_is_named_by_its_form_name_or_else_its_file_name(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    headers = {"authorization": f"Bearer {writer.secret}"}
    parts = [
        ("users.csv", ("export-2026-03.csv", b"user_id\nU1\n", "text/csv")),
        ("file", ("C:\\exports\\creators.csv", b"creator_id,name\nC1,One\n", "text/csv")),
    ]
    response = await writer.http.post("/load", files=parts, headers=headers)
    assert response.status_code == 200, response.text
    assert [f["file"] for f in response.json()["files"]] == ["users.csv", "creators.csv"]


async def test_a_file_sent_twice_is_refused(writer: Caller, stored_shops: asyncpg.Pool) -> None:
    headers = {"authorization": f"Bearer {writer.secret}"}
    parts = [("file", ("users.csv", b"user_id\nU1\n")), ("file", ("users.csv", b"user_id\nU2\n"))]
    response = await writer.http.post("/load", files=parts, headers=headers)
    assert response.status_code == 400
    assert messages(response.json()) == ["users.csv is sent twice; send each file once"]


async def test_a_body_that_is_not_multipart_is_refused(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    headers = {"authorization": f"Bearer {writer.secret}", "content-type": "text/csv"}
    response = await writer.http.post("/load", content=b"user_id\nU1\n", headers=headers)
    assert response.status_code == 415
    assert messages(response.json()) == ["expected a multipart/form-data body, one part per file"]


async def test_a_truncated_body_loads_nothing(writer: Caller, stored_shops: asyncpg.Pool) -> None:
    headers = {
        "authorization": f"Bearer {writer.secret}",
        "content-type": "multipart/form-data; boundary=XyZ",
    }
    body = (
        b"--XyZ\r\n"
        b'content-disposition: form-data; name="users.csv"; filename="users.csv"\r\n\r\n'
        b"user_id\nU1\nU2"
    )
    response = await writer.http.post("/load", content=body, headers=headers)
    assert response.status_code == 400
    assert messages(response.json()) == ["the multipart body ends before its closing boundary"]
    assert await stored_shops.fetchval("SELECT count(*) FROM users") == 0


async def test_an_empty_upload_is_refused(writer: Caller, stored_shops: asyncpg.Pool) -> None:
    headers = {
        "authorization": f"Bearer {writer.secret}",
        "content-type": "multipart/form-data; boundary=XyZ",
    }
    response = await writer.http.post("/load", content=b"--XyZ--\r\n", headers=headers)
    assert response.status_code == 400
    assert messages(response.json())[0].startswith("no files in the upload")


@pytest.fixture
async def small_app_http(
    settings: Settings, database_url: str, stored_shops: asyncpg.Pool
) -> AsyncIterator[Caller]:
    """An app taking uploads of at most 2,048 bytes, and a write key for it."""
    app = create_app(
        settings.model_copy(update={"max_load_bytes": 2048}), database_url=database_url
    )
    _, secret = await create_key(stored_shops, scope="write", shops=("S1",), name="")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield Caller(http, secret)


async def test_an_upload_over_the_cap_is_refused(
    small_app_http: Caller, stored_shops: asyncpg.Pool
) -> None:
    users = "user_id\n" + "".join(f"U{n}\n" for n in range(1000))
    response = await upload(small_app_http, {"users.csv": users})
    assert response.status_code == 413
    assert response.json()["errors"] == [
        {
            "message": "upload over 2048 bytes (the max_load_bytes setting)",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]
    # Under the cap, the same app loads; the GraphQL body cap does not apply to /load.
    response = await upload(small_app_http, {"users.csv": "user_id\nU1\n"})
    assert response.status_code == 200
    assert await stored_shops.fetchval("SELECT count(*) FROM users") == 1


async def test_the_cap_holds_without_a_declared_length(
    small_app_http: Caller, stored_shops: asyncpg.Pool
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"--XyZ\r\n"
        yield b'content-disposition: form-data; name="users.csv"; filename="users.csv"\r\n\r\n'
        yield b"user_id\n"
        for n in range(1000):
            yield f"U{n}\n".encode()
        yield b"\r\n--XyZ--\r\n"

    headers = {
        "authorization": f"Bearer {small_app_http.secret}",
        "content-type": "multipart/form-data; boundary=XyZ",
    }
    response = await small_app_http.http.post("/load", content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert await stored_shops.fetchval("SELECT count(*) FROM users") == 0


async def test_the_rate_limit_applies(
    settings: Settings, database_url: str, stored_shops: asyncpg.Pool
) -> None:
    tight = settings.model_copy(update={"rate_limit_per_second": 0.001, "rate_limit_burst": 1})
    app = create_app(tight, database_url=database_url)
    _, secret = await create_key(stored_shops, scope="write", shops=("S1",), name="")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            me = Caller(http, secret)
            first = await upload(me, {"users.csv": "user_id\nU1\n"})
            second = await upload(me, {"users.csv": "user_id\nU2\n"})
    assert (first.status_code, second.status_code) == (200, 429)
    assert second.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}


async def test_the_uploaded_files_are_deleted_afterwards(
    writer: Caller, stored_shops: asyncpg.Pool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert (await upload(writer, base_files())).status_code == 200
    assert (await upload(writer, {"notes.csv": "x\n"})).status_code == 400
    assert entries(tmp_path) == []


async def test_the_listed_rejects_are_capped_with_their_total(
    writer: Caller, stored_shops: asyncpg.Pool
) -> None:
    users = "user_id,gender\n" + "".join(f"U{n},other\n" for n in range(1200))
    response = await upload(writer, {"users.csv": users})
    assert response.status_code == 422
    body = response.json()
    assert (body["rejected"], body["rejectsTotal"], len(body["errors"])) == (1200, 1200, 1000)
    assert (
        body["errors"][-1]["message"] == "users.csv:1001: gender: not one of: female, male, unknown"
    )


# Users and creators are shared by every shop: a write key may add them, not change them.
USERS = "user_id,gender,age_band,province,crowd\n"
PLATFORM_CASES = [
    # The stored row again, and a new user: both fine.
    ("users.csv", USERS + "U1,female,24-30,浙江,gen_z\nU7,male,,,\n", []),
    (
        "users.csv",
        USERS + "U1,male,24-30,浙江,gen_z\n",
        [
            "users.csv:2: user_id: stored with other values; "
            "only an admin key may change a platform-wide user"
        ],
    ),
    ("creators.csv", "creator_id,name\nC1,Creator One\nC2,Creator Two\n", []),
    (
        "creators.csv",
        "creator_id,name\nC1,Someone Else\n",
        [
            "creators.csv:2: creator_id: stored with other values; "
            "only an admin key may change a platform-wide creator"
        ],
    ),
    # A write key may update its own shops but neither another one nor a new one, nor
    # move its shop to another peer group.
    ("shops.csv", "shop_id,name,industry,tier\nS1,Shop One Renamed,apparel,3\n", []),
    (
        "shops.csv",
        "shop_id,name,industry,tier\nS1,Shop One,apparel,4\n",
        [
            "shops.csv:2: shop_id: stored with other values; "
            "only an admin key may change a shop's industry or tier"
        ],
    ),
    (
        "shops.csv",
        "shop_id,name,industry,tier\nS1,Shop One,beauty,3\n",
        [
            "shops.csv:2: shop_id: stored with other values; "
            "only an admin key may change a shop's industry or tier"
        ],
    ),
    (
        "shops.csv",
        "shop_id,name,industry,tier\nS2,Mine Now,beauty,2\nS9,New,apparel,1\n",
        [
            "shops.csv:2: shop_id: not among the shops this load may write",
            "shops.csv:3: shop_id: not among the shops this load may write",
        ],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), PLATFORM_CASES)
async def test_what_a_write_key_may_do_to_shared_rows(
    loaded: asyncpg.Pool, caller: Any, name: str, text: str, expected: list[str]
) -> None:
    response = await upload(await caller("write", ("S1",)), {name: text})
    assert messages(response.json()) == expected
    assert response.status_code == (422 if expected else 200)


async def test_an_admin_key_may_change_shared_rows_and_add_shops(
    loaded: asyncpg.Pool, caller: Any
) -> None:
    files = {
        "shops.csv": "shop_id,name,industry,tier\nS1,Shop One,beauty,5\nS9,New,apparel,1\n",
        "users.csv": USERS + "U1,male,24-30,浙江,gen_z\n",
        "creators.csv": "creator_id,name\nC1,Someone Else\n",
    }
    response = await upload(await caller("admin"), files)
    assert response.status_code == 200
    changed = [(f["file"], f["inserted"], f["updated"]) for f in response.json()["files"]]
    assert changed == [("shops.csv", 1, 1), ("users.csv", 0, 1), ("creators.csv", 0, 1)]
    assert await loaded.fetchval("SELECT gender FROM users WHERE user_id = 'U1'") == "male"


async def test_ids_with_quotes_and_commas_round_trip(writer: Caller, loaded: asyncpg.Pool) -> None:
    odd = "U\"1, 2'; DROP TABLE users; --"
    quoted = '"' + odd.replace('"', '""') + '"'
    files = {
        "users.csv": f"user_id\n{quoted}\n",
        "orders.csv": ORDERS_HEADER + f"O9,S1,{quoted},P1,1,10.00,2026-03-05,live,organic,,,,,\n",
    }
    first = await upload(writer, files)
    assert first.status_code == 200, first.text
    assert await loaded.fetchval("SELECT user_id FROM orders WHERE order_id = 'O9'") == odd
    again = await upload(writer, files)
    assert [f["unchanged"] for f in again.json()["files"]] == [1, 1]

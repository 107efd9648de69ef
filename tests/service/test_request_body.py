"""Request bodies the service cannot take are refused at the door with 400 BAD_USER_INPUT."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from service.request_body import BodyError, parse_graphql_body


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"null", "request body must be a JSON object, not null"),
        (b"1", "request body must be a JSON object, not int"),
        (b"[]", "request body must be a JSON object, not list"),
        (b'{"query": "\xff"}', "request body is not valid UTF-8 (byte 11)"),
        (b'{"query": ', "request body is not JSON: Expecting value at line 1"),
        (b'{"query": 5}', "query: must be a string or null, not int"),
        (b'{"query": "{ a }", "variables": []}', "variables: must be an object or null, not list"),
        (b'{"query": "a\\u0000b"}', "query: holds a NUL character at position 1"),
        (
            b'{"variables": {"x": ["\\ud800"]}}',
            "variables.x[0]: holds a lone surrogate at position 0",
        ),
        (b'{"variables": {"a\\u0000": 1}}', "variables: a key holds a NUL character at position 1"),
        (
            b'{"variables": {"x": ' + b"[" * 2000 + b"]" * 2000 + b"}}",
            "request body: nested deeper than 64 levels",
        ),
        (
            b'{"variables": {"x": ' + b"[" * 70 + b"]" * 70 + b"}}",
            "variables.x: nested deeper than 64 levels",
        ),
    ],
)
def test_unreadable_bodies_say_what_is_wrong(raw: bytes, message: str) -> None:
    with pytest.raises(BodyError) as caught:
        parse_graphql_body(raw)
    assert str(caught.value).startswith(message)


def test_variables_hold_at_most_5000_values() -> None:
    # The variables object, the list and 4,998 strings: 5,000 values, taken; one more is not.
    parse_graphql_body(json.dumps({"variables": {"x": ["a"] * 4998}}).encode())
    with pytest.raises(BodyError) as caught:
        parse_graphql_body(json.dumps({"variables": {"x": ["a"] * 4999}}).encode())
    assert str(caught.value) == "variables: 5001 values in all; at most 5000 are taken"


def test_a_good_body_is_taken_apart() -> None:
    body = parse_graphql_body(
        b'{"query": "{ x }", "variables": {"a": [1, "b"]}, "operationName": "Q", '
        b'"extensions": {"e": true}}'
    )
    assert (body.query, body.variables, body.operation_name, body.extensions) == (
        "{ x }",
        {"a": [1, "b"]},
        "Q",
        {"e": True},
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"null", "request body must be a JSON object, not null"),
        (b"1", "request body must be a JSON object, not int"),
        (b'{"query": "\xff"}', "request body is not valid UTF-8 (byte 11)"),
        (
            b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 2000 + b"]" * 2000 + b"}}",
            "request body: nested deeper than 64 levels",
        ),
    ],
)
async def test_unreadable_bodies_answer_400_over_http(
    caller: Any, shops: asyncpg.Pool, raw: bytes, message: str
) -> None:
    api = await caller("read", ("s1",))
    response = await api.http.post(
        "/graphql",
        content=raw,
        headers={"authorization": f"Bearer {api.secret}", "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}],
    }


@pytest.mark.parametrize(
    ("document", "variables", "message"),
    [
        (
            "query($id: ID!) { shop(id: $id) { id } }",
            {"id": "s\u00001"},
            "variables.id: holds a NUL character at position 1",
        ),
        (
            'mutation($n: String!) { createSegment(shopId: "s1", name: $n, '
            "rule: {fan: {isFan: true}}) { id } }",
            {"n": "fans\ud800"},
            "variables.n: holds a lone surrogate at position 4",
        ),
    ],
)
async def test_nul_and_lone_surrogates_in_variables_are_refused(
    caller: Any, shops: asyncpg.Pool, document: str, variables: dict[str, str], message: str
) -> None:
    api = await caller("admin")
    # json.dumps writes a lone surrogate as its \\ud800 escape, as a client's JSON would.
    response = await api.http.post(
        "/graphql",
        content=json.dumps({"query": document, "variables": variables}),
        headers={"authorization": f"Bearer {api.secret}", "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"message": message, "extensions": {"code": "BAD_USER_INPUT"}}
    ]
    assert await shops.fetchval("SELECT count(*) FROM segments") == 0


async def test_a_body_that_is_not_json_content_is_refused(caller: Any, shops: asyncpg.Pool) -> None:
    api = await caller("read", ("s1",))
    response = await api.http.post(
        "/graphql",
        content=b"query=1",
        headers={
            "authorization": f"Bearer {api.secret}",
            "content-type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}

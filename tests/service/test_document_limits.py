"""Documents are measured (fragments once each) and costed before anything runs."""

from __future__ import annotations

from typing import Any

import asyncpg
from graphql import get_introspection_query, parse

from resolvers.cost import FieldCost, field_cost
from service.document_size import Measurer, string_problem


def _cost(name: str, args: Any) -> FieldCost:
    return field_cost(name, args, max_page_size=100, max_period_days=366)


def _measure(document: str, variables: dict[str, Any] | None = None) -> Any:
    parsed = parse(document)
    measurer = Measurer(parsed, variables, _cost)
    return measurer.operation(parsed.definitions[0])  # type: ignore[arg-type]


def _bomb(levels: int) -> str:
    spreads = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    return f"query {{ ...F0 }} {spreads} fragment F{levels} on Query {{ __typename }}"


def test_fragments_are_counted_each_time_they_are_spread() -> None:
    # F0 spreads F1 twice, F1 spreads F2 twice, …: 2^40 __typename fields.
    size = _measure(_bomb(40))
    assert (size.fields, size.depth, size.aliases) == (2**40, 0, 0)


def test_depth_aliases_and_fields_of_a_plain_document() -> None:
    size = _measure(
        '{ a: shop(id: "s1") { id b: name orders: segments { id } } c: shops { totalCount } }'
    )
    # Levels: shop > segments > id is 3 deep (depth 2); fields: shop, id, name, segments,
    # id, shops, totalCount = 7; aliases a, b, orders, c = 4.
    assert (size.depth, size.fields, size.aliases) == (2, 7, 4)


def test_cost_of_metrics_with_time_and_peer_comparisons() -> None:
    # One window of 30 days + 4 base days = 34; readings: the period, the previous period
    # and 20 for the peer group = 22; 22 * 34 = 748. Two results of one value each: 2.
    # shop itself: 1.
    size = _measure(
        '{ shop(id: "s1") { metrics(names: [GMV, BUYERS], period: {lastDays: 30}, '
        "compare: [PREVIOUS_PERIOD, PEER_AVERAGE, PEER_MEDIAN]) { value } } }"
    )
    assert size.cost == 1 + 748 + 2


def test_cost_of_a_daily_series_counts_every_bucket() -> None:
    # 366 days read + 366 windows * 4 base days = 1,830; 366 points of one value: 366.
    size = _measure('{ shop(id: "s1") { series(metric: GMV, period: {lastDays: 400}) { value } } }')
    assert size.cost == 1 + 1830 + 366
    assert size.heaviest == (1830, "series")


def test_cost_reads_arguments_from_variables_and_multiplies_pages() -> None:
    # shops(first: 50): 1 + 50 * (node's metrics: 7 days + 4 = 11, industry average adds
    # 50 readings: 51 * 11 = 561, plus one value) = 1 + 50 * 562.
    size = _measure(
        "query($p: PeriodInput!, $k: [ComparisonKind!]) { shops(first: 50) { edges { node { "
        "metrics(names: [GMV], period: $p, compare: $k) { value } } } } }",
        {"p": {"preset": "LAST_7_DAYS"}, "k": ["INDUSTRY_AVERAGE"]},
    )
    # edges and node are one field each per shop.
    assert size.cost == 1 + 50 * (1 + 1 + 561 + 1)


def test_string_literals_with_nul_or_lone_surrogates_are_found() -> None:
    assert string_problem(parse('{ shop(id: "a\\u0000") { id } }')) == (
        "a string at line 1 holds a NUL character at position 1"
    )
    assert string_problem(parse('{ shop(id: "ok") { id } }')) is None


async def test_a_fragment_bomb_is_refused_before_validation(
    caller: Any, shops: asyncpg.Pool
) -> None:
    api = await caller("read", ("s1",))
    body = await api.query(_bomb(60))
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"].startswith("the document expands to 1000000000000000 fields")


async def test_parsing_stops_at_the_token_cap(caller: Any, shops: asyncpg.Pool) -> None:
    api = await caller("read", ("s1",))
    document = "{ " + " ".join("__typename" for _ in range(6000)) + " }"
    body = await api.query(document)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Document contains more than 5000 tokens" in error["message"]


async def test_graphiql_introspection_fits_and_deeper_introspection_is_refused(
    caller: Any, shops: asyncpg.Pool
) -> None:
    api = await caller("read", ("s1",))
    # GraphiQL asks types seven ofType levels deep: __schema > types > fields > args > type
    # > 7 x ofType > kind is 12 deep, the limit.
    body = await api.query(get_introspection_query(type_depth=7))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    deeper = await api.query(get_introspection_query(type_depth=8))
    assert deeper["data"] is None
    assert deeper["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert deeper["errors"][0]["message"] == "the document nests fields 13 deep; the limit is 12"


async def test_aliases_spread_through_fragments_count_each_time(
    caller: Any, shops: asyncpg.Pool
) -> None:
    api = await caller("read", ("s1",))
    # 4 aliases in F, spread 8 times: 32 aliases, over the limit of 30.
    spreads = " ".join(f's{i}: shop(id: "s1") {{ ...F }}' for i in range(8))
    body = await api.query(f"{{ {spreads} }} fragment F on Shop {{ a: id b: id c: id }}")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"].startswith("the document uses 32 aliases")


async def test_a_costly_document_is_refused_with_what_to_ask_instead(
    caller: Any, shops: asyncpg.Pool
) -> None:
    api = await caller("read", ("s1",))
    series = " ".join(
        f"a{i}: series(metric: ACTIVE_MEMBER_RATE, period: {{lastDays: 366}}) {{ value }}"
        for i in range(7)
    )
    body = await api.query(f'{{ shop(id: "s1") {{ {series} }} }}')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # 1 + 7 * (1,830 + 366) = 15,373, over 15,000.
    assert error["message"].startswith(
        "the document would cost about 15373 units, over the budget of 15000 (its costliest "
        "field, series, costs 1830): ask for shorter periods, weekly or monthly series"
    )
    six = series.rsplit(" a6:", 1)[0]
    allowed = await api.query(f'{{ shop(id: "s1") {{ {six} }} }}')
    assert "errors" not in allowed
    assert len(allowed["data"]["shop"]["a5"]) == 366


async def test_several_operations_need_an_operation_name(caller: Any, shops: asyncpg.Pool) -> None:
    api = await caller("read", ("s1",))
    document = "query A { shops { totalCount } } query B { metricDefinitions { metric } }"
    body = await api.query(document)
    assert body == {
        "data": None,
        "errors": [
            {
                "message": "the document holds 2 operations: name the one to run in operationName",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }
    named = await api.http.post(
        "/graphql",
        json={"query": document, "operationName": "A"},
        headers={"authorization": f"Bearer {api.secret}"},
    )
    assert named.json() == {"data": {"shops": {"totalCount": 1}}}
    unknown = await api.http.post(
        "/graphql",
        json={"query": document, "operationName": "C"},
        headers={"authorization": f"Bearer {api.secret}"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [
        {"message": 'Unknown operation named "C".', "extensions": {"code": "BAD_USER_INPUT"}}
    ]


async def test_identical_fields_are_merged_as_graphql_allows(
    caller: Any, shops: asyncpg.Pool
) -> None:
    api = await caller("read", ("s1",))
    body = await api.query('{ shop(id: "s1") { id id name } shop(id: "s1") { id } }')
    assert body == {"data": {"shop": {"id": "s1", "name": "Shop One"}}}


async def test_a_syntax_error_carries_a_code(caller: Any, shops: asyncpg.Pool) -> None:
    api = await caller("read", ("s1",))
    body = await api.query('{ shop(id: "s1") { id ')
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Syntax Error: Expected Name, found <EOF>.",
            "locations": [{"line": 1, "column": 23}],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


async def test_nul_in_a_string_literal_is_bad_user_input(caller: Any, shops: asyncpg.Pool) -> None:
    api = await caller("admin")
    body = await api.query('{ shop(id: "s\\u00001") { id } }')
    assert body["errors"] == [
        {
            "message": "the document: a string at line 1 holds a NUL character at position 1",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]

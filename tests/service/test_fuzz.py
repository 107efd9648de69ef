"""Generated documents and segment rules over HTTP: whatever a client sends, the answer is
never a 5xx or an INTERNAL error, every error carries a code, and the body has "data" or
"errors" (SPEC §8).

Documents come from ``hypothesis-graphql`` over the committed ``schema.graphql``: valid
queries and mutations, and documents with one violation of the schema; each is posted with
an admin key and a read key of s1. Segment rules, of valid shapes and others, go through
``createSegment`` as variables, with an admin key and a write key of s1. The data is that of
``segment_fixture`` with three saved segments, so that resolvers run their SQL.

What the strategies are steered towards, so that most answers come from real work rather
than a NOT_FOUND or a refused literal (each time nine in ten, the rest left free):

- IDs: ids of the data, s1 half the time; else any text or number.
- Dates: a few days of 2026 and the edges of years 1 and 9999; else any real date (years
  1–9999) or text that is no date.
- `period` arguments: replaced by a well-formed one (0–400 days from such a day, a lastDays
  or a preset); else left as generated.
- Strings: any text (NUL included) or cursors of every list, shaped as the lists make them,
  with instants at the edges of years 1 and 9999 in far offsets and numbers of any size.
- Segment rule leaves: small counts, known codes, short lists; else 32-bit extremes, empty
  or long lists, and shapes that are no rule (unknown keys, several kinds, nesting past the
  limit, past 200 leaves, lone surrogates).

Generated documents are also mangled as clients get them wrong: cut short, spliced with
text, several operations with or without operationName, fragments spread 2^N times; and
bodies that are no request (any JSON, any bytes).

Examples: ``DOCUMENTS`` + ``INVALID_DOCUMENTS`` + ``MANGLED`` + ``RULES`` (300) in the normal
suite, derandomized; ``MEMBERLENS_FUZZ_EXAMPLES=N`` runs N examples in each of the tests.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import asyncpg
import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes
from starlette.applications import Starlette

from resolvers.pagination import encode_cursor
from service.app import create_app
from service.settings import Settings
from tests.resolvers.segment_fixture import ODD_USER, load_segment_data

SDL: Final = (Path(__file__).parents[2] / "schema.graphql").read_text(encoding="utf-8")
SCHEMA: Final = graphql.build_schema(SDL)

DOCUMENTS, INVALID_DOCUMENTS, MANGLED, RULES = 130, 40, 40, 90


def examples(default: int) -> int:
    """The examples of one test: ``MEMBERLENS_FUZZ_EXAMPLES`` when set."""
    return int(os.environ.get("MEMBERLENS_FUZZ_EXAMPLES", default))


def fuzz_settings(default: int) -> settings:
    # The fixtures (app, keys, data) are made once per test, not per example, on purpose:
    # every example is an independent request, and the data they may add (segments,
    # targets) changes no invariant checked here.
    return settings(
        max_examples=examples(default),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


SEGMENTS: Final = [
    ("seg-a", "s1", "fans", {"fan": {"isFan": True}}),
    ("seg-b", "s1", "p1 buyers", {"purchased": {"productIds": ["p1"], "withinDays": 90}}),
    ("seg-c", "s2", "not fans", {"not": {"fan": {"isFan": True}}}),
]
IDS: Final = [
    "s1",
    "s2",
    "s3",
    "u1",
    "u2",
    "u4",
    ODD_USER,
    "p1",
    "q1",
    "o1",
    "seg-a",
    "seg-b",
    "seg-c",
]
DAYS: Final = [
    "2026-03-01",
    "2026-03-31",
    "2026-06-01",
    "2026-06-30",
    "2026-07-01",
    "0001-01-01",
    "0001-01-02",
    "0001-12-31",
    "9999-12-30",
    "9999-12-31",
]


def mostly(common: st.SearchStrategy[Any], *rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``common`` nine times in ten: a document holds several values, and one rare value is
    enough to refuse it before it runs."""
    others = st.one_of(*rare)
    return st.integers(0, 9).flatmap(lambda pick: others if pick == 0 else common)


# s1 half the time: the shop with the data, which both keys may read.
id_values = mostly(
    st.one_of(st.just("s1"), st.sampled_from(IDS)),
    st.text(max_size=20),
    st.integers(-(2**31), 2**31 - 1).map(str),
)
date_values = mostly(st.sampled_from(DAYS), st.dates().map(date.isoformat), st.text())
# Cursors of every list, holding keys of any type.
MEMBER_ORDERS: Final = SCHEMA.type_map["MemberOrder"]
assert isinstance(MEMBER_ORDERS, graphql.GraphQLEnumType)
CURSOR_KINDS: Final = ["shop", "customer", "order", *(f"member:{o}" for o in MEMBER_ORDERS.values)]
OFFSETS: Final = [UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=23, minutes=59))]
instants = st.datetimes(timezones=st.sampled_from([*OFFSETS, ZoneInfo("Asia/Shanghai")])).map(
    datetime.isoformat
)
amounts = st.decimals(allow_nan=True).map(str)
cursor_keys = st.one_of(instants, amounts, st.sampled_from(IDS), st.none(), st.integers())
cursors = st.one_of(
    st.builds(encode_cursor, st.sampled_from(CURSOR_KINDS), st.lists(cursor_keys, max_size=3)),
    # shaped as the lists make them, so that the keys get read
    st.builds(lambda key, id_: encode_cursor("order", [key, id_]), instants, id_values),
    st.builds(
        lambda order, key, id_: encode_cursor(f"member:{order}", [key, id_]),
        st.sampled_from(list(MEMBER_ORDERS.values)),
        instants | amounts | st.none(),
        id_values,
    ),
    st.builds(
        lambda kind, id_: encode_cursor(kind, [id_]), st.sampled_from(CURSOR_KINDS), id_values
    ),
)
CUSTOM_SCALARS: Final = {
    "String": st.one_of(st.text(), cursors).map(nodes.String),
    "ID": id_values.map(nodes.String),
    "Date": date_values.map(nodes.String),
    "DateTime": st.datetimes().map(lambda moment: nodes.String(moment.isoformat())),
}


# A generated period is rarely well formed (from with lastDays, from after to, years apart),
# and one refused period fails its whole field.
PRESETS: Final = SCHEMA.type_map["PeriodPreset"]
assert isinstance(PRESETS, graphql.GraphQLEnumType)


def period_node(**fields: graphql.ValueNode) -> graphql.ObjectValueNode:
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v)
            for k, v in fields.items()
        ]
    )


def span_node(first: date, days: int) -> graphql.ObjectValueNode:
    last = date.fromordinal(min(first.toordinal() + days, date.max.toordinal()))
    return period_node(**{"from": nodes.String(first), "to": nodes.String(last)})


period_nodes = st.one_of(
    st.builds(
        span_node,
        mostly(st.sampled_from(DAYS).map(date.fromisoformat), st.dates()),
        mostly(st.integers(0, 40), st.integers(0, 400)),
    ),
    mostly(st.integers(1, 400), st.integers(-(2**31), 2**31 - 1)).map(
        lambda days: period_node(lastDays=nodes.Int(days))
    ),
    st.sampled_from(list(PRESETS.values)).map(lambda name: period_node(preset=nodes.Enum(name))),
)


class Periods(graphql.Visitor):
    """Counts the `period` arguments of a document, or replaces each by the next of
    ``values`` (None: left as generated)."""

    def __init__(self, values: list[graphql.ValueNode | None] | None = None) -> None:
        super().__init__()
        self.values = iter(values or [])
        self.count = 0

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> graphql.ArgumentNode | None:
        if node.name.value != "period":
            return None
        self.count += 1
        value = next(self.values, None)
        return None if value is None else graphql.ArgumentNode(name=node.name, value=value)


def with_periods(document: graphql.DocumentNode) -> st.SearchStrategy[str]:
    counter = Periods()
    graphql.visit(document, counter)
    values = st.lists(
        mostly(period_nodes, st.none()), min_size=counter.count, max_size=counter.count
    )
    return values.map(lambda chosen: graphql.print_ast(graphql.visit(document, Periods(chosen))))


documents = from_schema(
    SCHEMA, custom_scalars=CUSTOM_SCALARS, print_ast=lambda document: document
).flatmap(with_periods)


@pytest.fixture
async def app(settings: Settings, database_url: str) -> AsyncIterator[Starlette]:
    """The application, with a rate limit no run of examples reaches (not what is tested)."""
    relaxed = settings.model_copy(
        update={"rate_limit_per_second": 1_000_000.0, "rate_limit_burst": 1_000_000}
    )
    application = create_app(relaxed, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


class Poster:
    """Posts one body with several keys: the JSON is written here, so that strings the JSON
    encoder of the client would refuse (lone surrogates) still go out, escaped."""

    def __init__(self, http: httpx.AsyncClient, secrets: dict[str, str]) -> None:
        self.http = http
        self.secrets = secrets

    async def answers(self, payload: dict[str, Any], *keys: str) -> list[httpx.Response]:
        return await self.raw_answers(json.dumps(payload).encode(), *keys)

    async def raw_answers(self, content: bytes, *keys: str) -> list[httpx.Response]:
        return [
            await self.http.post(
                "/graphql",
                content=content,
                headers={
                    "authorization": f"Bearer {self.secrets[key]}",
                    "content-type": "application/json",
                },
            )
            for key in keys
        ]


@pytest.fixture
async def poster(caller: Any, shops: asyncpg.Pool) -> Poster:
    """Keys (admin; read and write keys of s1) over the segment dataset and saved segments."""
    await load_segment_data(shops)
    await shops.executemany(
        "INSERT INTO segments (segment_id, shop_id, name, rule) VALUES ($1, $2, $3, $4::jsonb)",
        [(key, shop, name, json.dumps(rule)) for key, shop, name, rule in SEGMENTS],
    )
    keys = {"admin": await caller("admin")}
    keys["read"] = await caller("read", ("s1",))
    keys["write"] = await caller("write", ("s1",))
    return Poster(keys["admin"].http, {name: key.secret for name, key in keys.items()})


def check(response: httpx.Response, payload: dict[str, Any] | bytes) -> None:
    """The invariants of every answer (each on its own line: Hypothesis tells them apart)."""
    sent = payload[:2000] if isinstance(payload, bytes) else json.dumps(payload)[:2000]
    assert response.status_code < 500, (response.status_code, response.text[:500], sent)
    body = response.json()
    assert isinstance(body, dict) and ("data" in body or "errors" in body), (body, sent)
    errors = body.get("errors") or []
    uncoded = [error for error in errors if not (error.get("extensions") or {}).get("code")]
    assert not uncoded, (uncoded, sent)
    internal = [error for error in errors if error["extensions"]["code"] == "INTERNAL"]
    assert not internal, (internal, sent)


@given(document=documents)
@fuzz_settings(DOCUMENTS)
async def test_generated_documents_answer_with_codes(poster: Poster, document: str) -> None:
    payload = {"query": document}
    for response in await poster.answers(payload, "admin", "read"):
        check(response, payload)


@given(document=from_schema(SCHEMA, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE))
@fuzz_settings(INVALID_DOCUMENTS)
async def test_documents_breaking_the_schema_answer_with_codes(
    poster: Poster, document: str
) -> None:
    payload = {"query": document}
    for response in await poster.answers(payload, "admin", "read"):
        check(response, payload)


# Segment rules as JSON variables: leaves shaped as their input types, combined by
# all/any/not (valid shapes), and anything else (several kinds in a node, unknown keys,
# wrong types, empty lists, numbers past 32 bits, lone surrogates, deep nesting).
LONE_SURROGATES = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
WORDS: Final = [*IDS, "live", "short_video", "dress", "female", "24-30", "浙江", "gen_z", "unknown"]
texts = mostly(st.sampled_from([*WORDS, "shop_visit", "creator", "QUALITY"]), st.text())
any_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        texts,
        LONE_SURROGATES,
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


def shaped(type_: graphql.GraphQLInputType) -> st.SearchStrategy[Any]:
    """A JSON value of an input type: mostly plausible (small counts, known codes, short
    lists), at times anything the type allows (32-bit extremes, long or empty lists)."""
    inner = graphql.get_nullable_type(type_)
    strategy: st.SearchStrategy[Any]
    if isinstance(inner, graphql.GraphQLList):
        item = shaped(inner.of_type)
        strategy = mostly(st.lists(item, min_size=1, max_size=4), st.lists(item, max_size=50))
    elif isinstance(inner, graphql.GraphQLEnumType):
        strategy = st.sampled_from(list(inner.values))
    elif isinstance(inner, graphql.GraphQLInputObjectType):
        fields = {name: shaped(field.type) for name, field in inner.fields.items()}
        required = {
            name for name, field in inner.fields.items() if graphql.is_required_input_field(field)
        }
        strategy = st.fixed_dictionaries(
            {name: fields[name] for name in required},
            optional={name: value for name, value in fields.items() if name not in required},
        )
    elif inner.name == "Int":
        strategy = mostly(st.integers(0, 400), st.integers(-(2**31), 2**31 - 1))
    elif inner.name == "Float":
        strategy = mostly(st.floats(0, 10_000), st.floats(allow_nan=False, allow_infinity=False))
    elif inner.name == "Boolean":
        strategy = st.booleans()
    elif inner.name == "Date":
        strategy = date_values
    else:
        strategy = texts
    return strategy if isinstance(type_, graphql.GraphQLNonNull) else mostly(strategy, st.none())


RULE_INPUT: Final = SCHEMA.type_map["SegmentRuleInput"]
assert isinstance(RULE_INPUT, graphql.GraphQLInputObjectType)
COMBINERS: Final = ("all", "any", "not")
leaves = st.one_of(
    *(
        shaped(field.type).map(lambda value, kind=kind: {kind: value})
        for kind, field in RULE_INPUT.fields.items()
        if kind not in COMBINERS
    )
)
valid_rules = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=5).map(lambda rules: {"all": rules}),
        st.lists(children, max_size=5).map(lambda rules: {"any": rules}),
        children.map(lambda rule: {"not": rule}),
    ),
    max_leaves=30,
)
other_rules = st.one_of(
    any_json,
    st.dictionaries(st.sampled_from(list(RULE_INPUT.fields)), valid_rules | any_json, max_size=3),
    valid_rules.map(lambda rule: {"all": [rule] * 300}),  # past the 200 leaves
    st.integers(9, 40).map(lambda depth: _nested({"fan": {"isFan": True}}, depth)),
)


def _nested(rule: dict[str, Any], depth: int) -> dict[str, Any]:
    for _ in range(depth):
        rule = {"not": rule}
    return rule


CREATE_SEGMENT: Final = """
mutation Fuzz($shop: ID!, $name: String!, $rule: SegmentRuleInput!, $asOf: Date) {
  createSegment(shopId: $shop, name: $name, rule: $rule) {
    id rule size(asOf: $asOf)
    customers(asOf: $asOf, first: 5) { totalCount edges { node { id memberStatus } } }
    portrait(dimension: PROVINCE, asOf: $asOf) { key value }
    metrics(names: [GMV, BUYERS], period: {from: "2026-06-01", to: "2026-06-30"},
            compare: [PREVIOUS_PERIOD], asOf: $asOf) { value }
    overlap(with: "seg-a", asOf: $asOf)
  }
}
"""


@given(
    rule=mostly(valid_rules, other_rules),
    shop=mostly(st.just("s1"), st.sampled_from(["s2", "s3", "nope"])),
    name=mostly(st.just("fuzz"), texts),
    as_of=st.none() | date_values,
)
@fuzz_settings(RULES)
async def test_generated_segment_rules_answer_with_codes(
    poster: Poster, rule: Any, shop: str, name: Any, as_of: str | None
) -> None:
    payload = {
        "query": CREATE_SEGMENT,
        "variables": {"shop": shop, "name": name, "rule": rule, "asOf": as_of},
    }
    for response in await poster.answers(payload, "admin", "write"):
        check(response, payload)


def named(document: str, name: str) -> str:
    """The document's operation (the first) given a name."""
    if document.startswith("{"):
        return f"query {name} {document}"
    return document.replace("mutation", f"mutation {name}", 1)


def fragment_chain(document: str, depth: int) -> str:
    """The document's selection as fragment F0, each F(i) spreading F(i-1) twice."""
    kind, _, selection = document.partition("{")
    root = "Mutation" if kind.strip().startswith("mutation") else "Query"
    fragments = [f"fragment F0 on {root} {{{selection}"]
    fragments += [f"fragment F{i} on {root} {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, depth)]
    return f"{kind.strip() or 'query'} {{ ...F{depth - 1} }}\n" + "\n".join(fragments)


@st.composite
def mangled_requests(draw: st.DrawFn) -> bytes:
    """A request body as a careless or hostile client sends it."""
    document: str = draw(documents)
    how = draw(st.sampled_from(["cut", "splice", "several", "named", "fragments", "body"]))
    operation_name = None
    if how == "cut":
        document = document[: draw(st.integers(1, len(document)))]
    elif how == "splice":
        at = draw(st.integers(0, len(document)))
        document = document[:at] + draw(st.text(max_size=6)) + document[at:]
    elif how == "several":
        document = f"{document}\n{draw(documents)}"
    elif how == "named":
        document = f"{named(document, 'A')}\n{named(draw(documents), 'B')}"
        operation_name = draw(st.sampled_from([None, "A", "B", "C"]))
    elif how == "fragments":
        document = fragment_chain(document, draw(st.integers(1, 40)))
    else:
        body: bytes = draw(
            st.one_of(st.binary(max_size=64), any_json.map(json.dumps).map(str.encode))
        )
        return body
    return json.dumps({"query": document, "operationName": operation_name}).encode()


@given(content=mangled_requests())
@fuzz_settings(MANGLED)
async def test_mangled_requests_answer_with_codes(poster: Poster, content: bytes) -> None:
    for response in await poster.raw_answers(content, "admin", "read"):
        check(response, content)

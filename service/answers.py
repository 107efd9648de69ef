"""Whole answers kept under the data and setup versions they were computed at.

A query document whose every field is a pure function of the facts, the setup (KPI
targets), the caller's key, its arguments and today's date gives the same answer for the
same body, key and day until either version moves. Such answers, when they hold no error,
are kept by the body they answer (the request body's bytes, the shops the caller's key
reaches, and today)
and served again without parsing, checking or running the document: one statement reads
the versions, the caller's key was read by the authentication. The versions are bumped
by triggers in the transaction of every change (migrations 0004, 0005 and 0008), so a
kept answer is never served after a change committed; the reasoning is the kept readings'
(docs/engine.md, *Never stale*).

Fields that may be kept: the shop's own fields, its metrics, series, breakdowns and
channels, the shops list and the metric definitions. Not kept: anything with a member's
status (decided at the moment asked), segments (their default as-of day, their exports'
links), mutations, and every field not named here, so a field added later is not kept
until it is added.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from datetime import date
from typing import Final

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from graphql.language import Visitor, visit

from service.document_guard import Lru
from service.request_body import THREAD_ABOVE_BYTES, BodyError, parse_graphql_body

# Every field name a kept answer may hold. A name counts for every type that has it; the
# types reached only through fields left out (members, segments) need not be listed.
KEEPABLE_FIELDS: Final = frozenset(
    {
        "__typename",
        # Query
        "shop",
        "shops",
        "metricDefinitions",
        # ShopConnection, ShopEdge, PageInfo
        "edges",
        "node",
        "cursor",
        "pageInfo",
        "totalCount",
        "hasNextPage",
        "hasPreviousPage",
        "startCursor",
        "endCursor",
        # Shop
        "id",
        "name",
        "industry",
        "tier",
        "metrics",
        "series",
        "breakdown",
        "channels",
        # Channel
        "kind",
        "code",
        "label",
        # MetricResult, Comparison
        "metric",
        "value",
        "unit",
        "definition",
        "comparisons",
        "change",
        "changeRatio",
        "peerCount",
        "unavailableReason",
        "completion",
        # SeriesPoint, BreakdownRow
        "start",
        "end",
        "anomaly",
        "key",
        # MetricDefinition
        "group",
        "higherIsBetter",
        "dimensions",
        "description",
        "groupLabel",
    }
)
# How many documents' verdicts are remembered (by the document's digest).
VERDICTS: Final = 1024

AnswerKey = tuple[str, date, bytes]


class _Fields(Visitor):
    """Whether every field of a document may be kept."""

    def __init__(self) -> None:
        super().__init__()
        self.keepable = True

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
        if node.operation is not OperationType.QUERY:
            self.keepable = False

    def enter_field(self, node: FieldNode, *_: object) -> None:
        if node.name.value not in KEEPABLE_FIELDS:
            self.keepable = False


def keepable_document(query: str, max_tokens: int) -> bool:
    """Whether the answer of ``query`` may be kept: queries only, of the fields above. A
    document that does not parse is not (the view answers its error)."""
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return False
    fields = _Fields()
    visit(document, fields)
    return fields.keepable


class KeptAnswers:
    """One process's answers, at most ``limit`` bytes of them, for the newest versions
    seen; least recently used first out."""

    def __init__(self, limit: int, *, max_tokens: int) -> None:
        self.limit = limit
        self.max_tokens = max_tokens
        self.versions = (0, 0)
        self._answers: OrderedDict[AnswerKey, bytes] = OrderedDict()
        self.held = 0  # bytes
        self._verdicts: Lru[bytes, bool] = Lru(VERDICTS)
        self.hits = 0

    def key_for(self, body: bytes, shops: frozenset[str] | None, today: date) -> AnswerKey | None:
        """The key an answer to ``body`` is kept under, or None when it may not be kept.
        What a query answers depends on its caller only through the shops its key reaches
        (``shops``; None: every shop), so keys reaching the same shops share answers."""
        if self.limit <= 0:
            return None
        query = self._query(body)
        if query is None or not self._keepable(query):
            return None
        digest = hashlib.sha256(body).digest()
        listed = json.dumps(sorted(shops)) if shops is not None else "*"
        return (hashlib.sha256(listed.encode()).hexdigest(), today, digest)

    @staticmethod
    def _query(body: bytes) -> str | None:
        """The body's document, or None (too long to take apart on the event loop, not a
        request the view would run, or no document: the view answers those)."""
        if len(body) > THREAD_ABOVE_BYTES:
            return None
        try:
            return parse_graphql_body(body).query
        except BodyError:
            return None

    def _keepable(self, query: str) -> bool:
        """Whether answers of ``query`` may be kept: judged once per document, whatever
        its variables (a dashboard sends one document for every shop and period)."""
        digest = hashlib.sha256(query.encode()).digest()
        verdict = self._verdicts.find(digest)
        if verdict is None:
            verdict = self._verdicts.put(digest, keepable_document(query, self.max_tokens))
        return verdict

    def _at(self, versions: tuple[int, int]) -> bool:
        """Whether answers at ``versions`` may be kept and served (older ones may not)."""
        if versions > self.versions and all(
            new >= old for new, old in zip(versions, self.versions, strict=True)
        ):
            self.versions = versions
            self._answers.clear()
            self.held = 0
        return versions == self.versions

    def get(self, versions: tuple[int, int], key: AnswerKey) -> bytes | None:
        answer = self._answers.get(key) if self._at(versions) else None
        if answer is not None:
            self._answers.move_to_end(key)
            self.hits += 1
        return answer

    def put(self, versions: tuple[int, int], key: AnswerKey, answer: bytes) -> None:
        if not self._at(versions) or len(answer) > self.limit:
            return
        old = self._answers.pop(key, None)
        self.held += len(answer) - (len(old) if old is not None else 0)
        self._answers[key] = answer
        while self.held > self.limit:
            _, dropped = self._answers.popitem(last=False)
            self.held -= len(dropped)

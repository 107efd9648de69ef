"""Every document is parsed under a token cap, measured and costed before it is validated
or run; parsing and validating large documents happen off the event loop."""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from functools import partial
from typing import Any, Final, TypeVar

from graphql import DocumentNode, FieldNode, GraphQLError, OperationDefinitionNode, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from resolvers.cost import FieldCost, field_cost
from service.document_size import Measurer, Size, string_problem
from service.settings import Settings

# Documents longer than this are parsed and validated in a worker thread: the GIL is
# handed back every few milliseconds, so the event loop keeps answering meanwhile.
THREAD_ABOVE_CHARS: Final = 8 * 1024
CACHE_ENTRIES: Final = 256

K = TypeVar("K")
V = TypeVar("V")


class Lru(OrderedDict[K, V]):
    """A small least-recently-used cache."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: K, value: V) -> V:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
        return value

    def find(self, key: K) -> V | None:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value


def too_complex(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


class DocumentGuard:
    """The limits of one deployment, with the parse and validation caches they share."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.parsed: Lru[str, DocumentNode] = Lru(CACHE_ENTRIES)
        self.validated: Lru[str, list[GraphQLError]] = Lru(CACHE_ENTRIES)
        # Answers of introspection-only operations: the schema's, the same for everyone.
        self.introspected: Lru[tuple[str, str | None, str], Any] = Lru(CACHE_ENTRIES)

    def extension(self) -> SchemaExtension:
        """The schema extension applying these limits to one operation."""
        return GuardExtension(self)

    async def parse(self, query: str) -> DocumentNode:
        """The parsed document; ``GraphQLSyntaxError`` past the token cap or on bad syntax."""
        document = self.parsed.find(query)
        if document is None:
            run = partial(parse, query, max_tokens=self.settings.max_tokens)
            document = await _off_loop(run, len(query))
            self.parsed.put(query, document)
        return document

    async def validate(
        self, query: str, run: Callable[[], list[GraphQLError]]
    ) -> list[GraphQLError]:
        """The validation errors of ``query``, from the cache or from ``run``."""
        errors = self.validated.find(query)
        if errors is None:
            errors = self.validated.put(query, await _off_loop(run, len(query)))
        return errors

    def refusal(self, document: DocumentNode, size: Size, whole: Size) -> GraphQLError | None:
        """Why the document may not run, or None: ``size`` is the chosen operation's,
        ``whole`` every operation's together (what validation walks)."""
        limits = self.settings
        if whole.depth > limits.max_depth:
            return too_complex(
                f"the document nests fields {whole.depth} deep; the limit is {limits.max_depth}"
            )
        if whole.aliases > limits.max_aliases:
            return too_complex(
                f"the document uses {whole.aliases} aliases (fragments counted each time "
                f"they are spread); the limit is {limits.max_aliases}"
            )
        if whole.fields > limits.max_fields:
            return too_complex(
                f"the document expands to {whole.fields} fields (fragments counted each time "
                f"they are spread); the limit is {limits.max_fields}"
            )
        if size.cost > limits.max_cost:
            own, name = size.heaviest
            return too_complex(
                f"the document would cost about {size.cost} units, over the budget of "
                f"{limits.max_cost} (its costliest field, {name}, costs {own}): ask for "
                "shorter periods, weekly or monthly series, fewer peer comparisons, "
                "smaller pages or fewer aliased fields, or split it into several requests"
            )
        problem = string_problem(document)
        return bad_input(f"the document: {problem}") if problem is not None else None


async def _off_loop(run: Callable[[], V], chars: int) -> V:
    if chars > THREAD_ABOVE_CHARS:
        return await asyncio.to_thread(run)
    return run()


def chosen_operation(
    document: DocumentNode, name: str | None
) -> OperationDefinitionNode | GraphQLError:
    """The operation to run, or why none can be chosen."""
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    if name is None:
        if len(operations) > 1:
            return bad_input(
                f"the document holds {len(operations)} operations: "
                "name the one to run in operationName"
            )
        return operations[0] if operations else bad_input("the document holds no operation")
    for operation in operations:
        if operation.name is not None and operation.name.value == name:
            return operation
    return bad_input(f"operationName: the document holds no operation named {name!r}")


def _introspection_key(context: ExecutionContext) -> tuple[str, str | None, str] | None:
    """The cache key of an operation asking nothing but introspection, else None."""
    document = context.graphql_document
    if document is None or not context.query:
        return None
    chosen = chosen_operation(document, context._provided_operation_name)
    if isinstance(chosen, GraphQLError):
        return None
    selections = chosen.selection_set.selections
    if not all(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in selections):
        return None
    variables = json.dumps(context.variables or {}, sort_keys=True)
    return context.query, context._provided_operation_name, variables


class GuardExtension(SchemaExtension):
    """Parses under the token cap, refuses documents over the limits, then validates."""

    def __init__(self, guard: DocumentGuard) -> None:
        self.guard = guard

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            context.graphql_document = await self.guard.parse(context.query)
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        key = _introspection_key(context)
        if key is not None and context.result is None:
            context.result = self.guard.introspected.find(key)
        yield
        result = context.result
        if key is not None and result is not None and not result.errors:
            self.guard.introspected.put(key, result)

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            context.pre_execution_errors = await self._errors(document)
        yield

    async def _errors(self, document: DocumentNode) -> list[GraphQLError]:
        context = self.execution_context
        # ``operation_name`` falls back to the first operation's name; the name the client
        # gave (or None) is what decides whether the choice is ambiguous.
        chosen = chosen_operation(document, context._provided_operation_name)
        if isinstance(chosen, GraphQLError):
            return [chosen]
        settings = self.guard.settings

        def cost_of(name: str, args: Mapping[str, object]) -> FieldCost:
            return field_cost(
                name,
                args,
                max_page_size=settings.max_page_size,
                max_period_days=settings.max_period_days,
            )

        measurer = Measurer(document, context.variables, cost_of)
        whole = Size()
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                whole += measurer.operation(definition)
        refusal = self.guard.refusal(document, measurer.operation(chosen), whole)
        if refusal is not None:
            return [refusal]
        schema = context.schema._schema
        rules = context.validation_rules
        return await self.guard.validate(
            context.query or "", partial(validate_document, schema, document, rules)
        )

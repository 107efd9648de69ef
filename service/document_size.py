"""The size of a GraphQL document, measured in time linear in its text.

Each fragment is measured once and its measure reused wherever it is spread, so a
document whose fragments double each other is measured in microseconds however many
paths it expands to; the counts it gives are those of the expanded document (saturated
at ``CAP``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    Visitor,
    value_from_ast_untyped,
    visit,
)

from resolvers.cost import FieldCost
from service.request_body import text_problem

CAP: Final = 10**15  # counts saturate here: beyond every limit, and cheap to add

# (field name, argument values) -> its cost
CostOf = Callable[[str, Mapping[str, object]], FieldCost]


def _cap(value: int) -> int:
    return min(value, CAP)


@dataclass(frozen=True)
class Size:
    """A selection's expanded size: nesting levels, aliases, fields, estimated cost, and its
    costliest field (own cost and name)."""

    levels: int = 0
    aliases: int = 0
    fields: int = 0
    cost: int = 0
    heaviest: tuple[int, str] = (0, "")

    def __add__(self, other: Size) -> Size:
        return Size(
            levels=max(self.levels, other.levels),
            aliases=_cap(self.aliases + other.aliases),
            fields=_cap(self.fields + other.fields),
            cost=_cap(self.cost + other.cost),
            heaviest=max(self.heaviest, other.heaviest),
        )

    @property
    def depth(self) -> int:
        """Nesting below the root fields: ``{ shop { id } }`` is 1 deep."""
        return max(self.levels - 1, 0)


class Measurer:
    """Measures the operations of one document with one request's variables."""

    def __init__(
        self, document: DocumentNode, variables: Mapping[str, Any] | None, cost_of: CostOf
    ) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.variables = dict(variables or {})
        self.cost_of = cost_of
        self.memo: dict[str, Size] = {}
        self.open: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> Size:
        """The expanded size of ``operation``."""
        return self.selection_set(operation.selection_set)

    def selection_set(self, node: SelectionSetNode | None) -> Size:
        total = Size()
        for selection in node.selections if node is not None else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value)
        return total

    def spread(self, name: str) -> Size:
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return Size()  # unknown or cyclic: validation reports it
        self.open.add(name)
        size = self.selection_set(fragment.selection_set)
        self.open.discard(name)
        self.memo[name] = size
        return size

    def field(self, node: FieldNode) -> Size:
        args = {
            argument.name.value: value_from_ast_untyped(argument.value, self.variables)
            for argument in node.arguments or ()
        }
        cost = self.cost_of(node.name.value, args)
        child = self.selection_set(node.selection_set)
        return Size(
            levels=child.levels + 1,
            aliases=_cap(child.aliases + (node.alias is not None)),
            fields=_cap(child.fields + 1),
            cost=_cap(cost.own + cost.fan_out * child.cost),
            heaviest=max((cost.own, node.name.value), child.heaviest),
        )


def string_problem(document: DocumentNode) -> str | None:
    """Why a string literal of the document cannot be taken (NUL, lone surrogate), or None."""
    problems: list[str] = []

    class Strings(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: object) -> object:
            problem = text_problem(node.value)
            if problem is not None:
                line = node.loc.source.get_location(node.loc.start).line if node.loc else 0
                problems.append(f"a string at line {line} {problem}")
                return Visitor.BREAK
            return None

    visit(document, Strings())
    return problems[0] if problems else None

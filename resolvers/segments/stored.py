"""Saved rules read back: the stored JSON form goes through the checks of a save (ids
aside) before it is compiled, so that a rule that no longer passes them (saved under
older checks, or written to the table by hand) fails the fields of its own segment only.

The JSON form is turned back into a ``SegmentRuleInput`` by the inputs' own type hints
(camelCase keys, the GraphQL types' values), then read by ``rule_form`` as on a save.
"""

from __future__ import annotations

import dataclasses
import math
import types
from enum import Enum
from typing import Any, Final, Union, get_args, get_origin, get_type_hints

from resolvers.errors import BadUserInput
from resolvers.segments.rules import rule_form
from schema.segment_rule import SegmentRuleInput

# GraphQL's Int: a saved number outside it would not have passed the schema.
INT_RANGE: Final = range(-(2**31), 2**31)


class UnreadableRule(Exception):
    """The saved JSON form does not make a ``SegmentRuleInput``; the message names where."""


def _camel(python_name: str) -> str:
    head, *rest = python_name.rstrip("_").split("_")
    return head + "".join(word.capitalize() for word in rest)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _scalar(value: object, hint: Any, path: str) -> object:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise UnreadableRule(f"{path}: must be true or false, not {_shown(value)}")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool) and value in INT_RANGE:
            return value
        raise UnreadableRule(f"{path}: must be a 32-bit integer, not {_shown(value)}")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        raise UnreadableRule(f"{path}: must be a finite number, not {_shown(value)}")
    if isinstance(hint, type) and issubclass(hint, Enum):
        names = [member.value for member in hint]
        if isinstance(value, str) and value in names:
            return hint(value)
        raise UnreadableRule(f"{path}: must be one of {', '.join(names)}, not {_shown(value)}")
    # str, and strawberry.ID (a NewType of str)
    if isinstance(value, str):
        return value
    raise UnreadableRule(f"{path}: must be a string, not {_shown(value)}")


def _value(value: object, hint: Any, path: str, depth: int, max_depth: int) -> object:
    if get_origin(hint) in (Union, types.UnionType):
        if value is None:
            return None
        [hint] = [arg for arg in get_args(hint) if arg is not type(None)]
    if value is None:
        raise UnreadableRule(f"{path}: must not be null")
    if get_origin(hint) is list:
        if not isinstance(value, list):
            raise UnreadableRule(f"{path}: must be a list, not {_shown(value)}")
        [item] = get_args(hint)
        return [
            _value(element, item, f"{path}[{index}]", depth, max_depth)
            for index, element in enumerate(value)
        ]
    if dataclasses.is_dataclass(hint):
        assert isinstance(hint, type)
        return _input(value, hint, path, depth, max_depth)
    return _scalar(value, hint, path)


def _input(value: object, cls: type, path: str, depth: int, max_depth: int) -> object:
    if cls is SegmentRuleInput:
        depth += 1
        # The same words as a save; stopping here also keeps the recursion bounded.
        if depth > max_depth:
            raise UnreadableRule(f"{path}: rules nest at most {max_depth} deep")
    if not isinstance(value, dict):
        raise UnreadableRule(f"{path}: must be an object, not {_shown(value)}")
    hints = get_type_hints(cls)
    fields = {_camel(name): name for name in hints}
    for key in value:
        if key not in fields:
            raise UnreadableRule(f"{path}.{key}: not a field of this rule")
    required = {
        field.name
        for field in dataclasses.fields(cls)
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    }
    arguments: dict[str, object] = {}
    for key, name in fields.items():
        if key in value:
            arguments[name] = _value(value[key], hints[name], f"{path}.{key}", depth, max_depth)
        elif name in required:
            raise UnreadableRule(f"{path}.{key}: missing")
    return cls(**arguments)


def saved_rule_form(stored: object, *, max_depth: int) -> dict[str, Any]:
    """The JSON form to compile of a rule as stored, once it passes the checks of a save
    (its ids aside: they do not change what can be evaluated). Raises ``UnreadableRule``
    naming the first problem, e.g. ``rule.purchased.minOrders: must not be negative``."""
    rule = _input(stored, SegmentRuleInput, "rule", 0, max_depth)
    assert isinstance(rule, SegmentRuleInput)
    try:
        form, _ = rule_form(rule, max_depth=max_depth)
    except BadUserInput as error:
        raise UnreadableRule(str(error)) from None
    return form


def unevaluable(segment_id: str, problem: str, *, argument: str | None = None) -> BadUserInput:
    """The error of a field that needs a saved rule which no longer passes the checks."""
    where = f"{argument}: " if argument is not None else ""
    return BadUserInput(
        f"{where}segment {segment_id!r}: its saved rule can no longer be evaluated "
        f"({problem}); save a new rule with updateSegment"
    )

"""A GraphQL request body taken apart at the door: UTF-8 JSON, one object, clean strings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

# Deepest nesting of the JSON body (variables included); far beyond any segment rule.
MAX_JSON_DEPTH: Final = 64
# Values the variables may hold in all (every string, number, list and object counts):
# coercing them runs on the event loop, about 10 µs each.
MAX_VARIABLE_VALUES: Final = 5000
# Bodies larger than this are decoded and checked in a worker thread, not on the event loop.
THREAD_ABOVE_BYTES: Final = 64 * 1024
# Code points no stored text may hold: NUL, which PostgreSQL text refuses, and lone
# surrogates, which are no characters at all.
FORBIDDEN_CHARACTERS: Final = re.compile("[\x00\ud800-\udfff]")


class BodyError(Exception):
    """A body the service cannot take: HTTP 400 with ``BAD_USER_INPUT``."""


@dataclass(frozen=True)
class GraphQLBody:
    """The parts of a GraphQL POST body."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be taken (a NUL or a lone surrogate), or None."""
    found = FORBIDDEN_CHARACTERS.search(text)
    if found is None:
        return None
    what = "a NUL character" if found.group() == "\x00" else "a lone surrogate"
    return f"holds {what} at position {found.start()}"


def _check_value(value: object, where: str, depth: int = 1) -> int:
    """Walk a decoded JSON member, refusing deep nesting and unusable strings; the number
    of values it holds, itself included. ``where`` names the member for messages."""
    if depth > MAX_JSON_DEPTH:
        raise BodyError(f"{where.split('[')[0]}: nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise BodyError(f"{where}: {problem}")
    count = 1
    if isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key)
            if problem is not None:
                raise BodyError(f"{where}: a key {problem}")
            inner = f"{where}.{key}" if depth < 2 else where
            count += _check_value(item, inner, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            count += _check_value(item, f"{where}[{index}]", depth + 1)
    return count


def _member(data: dict[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if value is not None and not isinstance(value, kind):
        wanted = "a string" if kind is str else "an object"
        raise BodyError(f"{name}: must be {wanted} or null, not {type(value).__name__}")
    return value


def parse_graphql_body(raw: bytes) -> GraphQLBody:
    """The body as a ``GraphQLBody``; ``BodyError`` saying what is wrong otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(f"request body is not valid UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyError(f"request body is not JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise BodyError(f"request body: nested deeper than {MAX_JSON_DEPTH} levels") from None
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__
        raise BodyError(f"request body must be a JSON object, not {kind}")
    variables = _member(data, "variables", dict)
    for name, value in data.items():
        if name != "variables":
            _check_value(value, name)
    held = _check_value(variables, "variables")
    if held > MAX_VARIABLE_VALUES:
        raise BodyError(f"variables: {held} values in all; at most {MAX_VARIABLE_VALUES} are taken")
    return GraphQLBody(
        query=_member(data, "query", str),
        variables=variables,
        operation_name=_member(data, "operationName", str),
        extensions=_member(data, "extensions", dict),
    )

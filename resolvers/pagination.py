"""Opaque keyset cursors and page-size checks shared by every connection."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from resolvers.errors import BadUserInput
from schema.pagination import Connection, Edge, PageInfo

Node = TypeVar("Node")


def encode_cursor(kind: str, key: Sequence[object]) -> str:
    """An opaque cursor for the row whose sort key is ``key``."""
    raw = json.dumps([kind, *key], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, kind: str, argument: str = "after") -> list[object]:
    """The sort key inside a cursor made by ``encode_cursor`` for the same kind of list."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, list) or not value or value[0] != kind:
        raise BadUserInput(f"{argument}: not a cursor of this list")
    return value[1:]


def decode_id_cursor(cursor: str, *, kind: str, argument: str = "after") -> str:
    """The id inside a cursor of a list ordered by id alone (``encode_cursor(kind, [id])``)."""
    key = decode_cursor(cursor, kind=kind, argument=argument)
    if len(key) != 1 or not isinstance(key[0], str):
        raise BadUserInput(f"{argument}: not a cursor of this list")
    return key[0]


def check_first(
    first: int | None, *, max_page_size: int, argument: str = "first", default: int = 20
) -> int:
    """``first`` (``default`` when null), once it is within 0..max_page_size."""
    if first is None:
        return default
    if not 0 <= first <= max_page_size:
        raise BadUserInput(f"{argument} must be between 0 and {max_page_size}, not {first}")
    return first


def build_connection(
    rows: Sequence[Node],
    *,
    first: int,
    total: int,
    has_previous: bool,
    cursor_of: Callable[[Node], str],
) -> Connection[Node]:
    """A connection from up to ``first + 1`` rows; the extra row only signals a next page."""
    page = list(rows[:first])
    edges = [Edge(node=node, cursor=cursor_of(node)) for node in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )

"""Work that several fields of one request share, kept in the request's context."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from schema.context import Info

T = TypeVar("T")


def shared(info: Info, key: Hashable, make: Callable[[], T]) -> T:
    """The request's object under ``key``, made by ``make`` for the first field asking."""
    store: dict[Hashable, Any] = info.context.shared
    if key not in store:
        store[key] = make()
    found: T = store[key]
    return found

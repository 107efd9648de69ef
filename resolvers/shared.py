"""Work that several fields of one request share, kept in the request's context."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from schema.context import Info

T = TypeVar("T")


def shared(info: Info, key: Hashable, make: Callable[[], T]) -> T:
    """The request's object under ``key``, made by ``make`` for the first field asking."""
    store = info.context.shared
    if key not in store:
        store[key] = make()
    # Each key is made by one call site, so the object under it is of that site's type.
    return cast(T, store[key])

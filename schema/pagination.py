"""Relay connection shapes."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

Node = TypeVar("Node")


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One node of a page with its opaque cursor.")
class Edge(Generic[Node]):
    node: Node
    cursor: str


@strawberry.type(description="A page of a list, with the size of the whole list.")
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo
    total_count: int

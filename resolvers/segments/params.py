"""The placeholders of one statement, shared by every part composed into it."""

from __future__ import annotations

import re

# Placeholder types are written in code; this keeps a stray value out of the SQL text.
_PG_TYPE = re.compile(r"[a-z]+(\[\])?")


class Params:
    """Collects the values of one statement's placeholders."""

    def __init__(self) -> None:
        self.values: list[object] = []

    def add(self, value: object, pg_type: str) -> str:
        """Append ``value``; return its typed placeholder, e.g. ``$3::text[]``."""
        if _PG_TYPE.fullmatch(pg_type) is None:
            raise ValueError(f"not a placeholder type: {pg_type!r}")
        self.values.append(value)
        return f"${len(self.values)}::{pg_type}"

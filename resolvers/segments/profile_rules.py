"""The ``profile`` leaf: conditions on the user's attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from resolvers.segments.sets import Part, Scope, Shape
from vocabulary import UNKNOWN

# JSON key → column of ``users u``.
PROFILE_COLUMNS: Final = {
    "genders": "u.gender",
    "ageBands": "u.age_band",
    "provinces": "u.province",
    "crowds": "u.crowd",
}


def profile_part(rule: Mapping[str, Any], scope: Scope) -> Part:
    """Customers whose attributes are in every given list; a missing attribute (null, or
    the literal ``unknown``) matches ``unknown``."""
    conditions = []
    for key, column in PROFILE_COLUMNS.items():
        if key in rule:
            values = list(rule[key])
            condition = f"{column} = any({scope.params.add(values, 'text[]')})"
            if UNKNOWN in values:
                condition = f"({condition} OR {column} IS NULL)"
            conditions.append(condition)
    return Part(Shape.WHERE, " AND ".join(conditions) or "TRUE")

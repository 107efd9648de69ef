"""Earlier migrations as modules, for a later one that changes or restores their SQL."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

VERSIONS = Path(__file__).parent / "migrations" / "versions"


def earlier_revision(filename: str) -> ModuleType:
    """The migration module in ``filename`` (a file of the versions folder)."""
    path = VERSIONS / filename
    spec = importlib.util.spec_from_file_location(f"revision_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def replacing(sql: str) -> str:
    """``sql`` creating a function, as a statement replacing it."""
    assert sql.lstrip().startswith("CREATE FUNCTION")
    return sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def edited(sql: str, *edits: tuple[str, str]) -> str:
    """``sql`` with each (old, new) text of ``edits`` changed; each old text occurs once."""
    for old, new in edits:
        assert sql.count(old) == 1, old
        sql = sql.replace(old, new)
    return sql

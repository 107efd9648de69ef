"""Finding the interchange files named by the caller and putting them in dependency order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

# Each file may refer only to files before it.
FILE_ORDER: Final = (
    "shops.csv",
    "users.csv",
    "creators.csv",
    "products.csv",
    "benefits.csv",
    "campaigns.csv",
    "members.csv",
    "fans.csv",
    "orders.csv",
    "events.csv",
    "reach.csv",
)


class LoadPathError(ValueError):
    """A path argument that cannot be loaded: missing, or not an interchange file."""


def discover_files(paths: Sequence[Path]) -> list[Path]:
    """The files to load, in dependency order; folders are searched (not recursively).

    Files of the same name keep the order they were given in; a file named twice is
    loaded once.
    """
    if not paths:
        raise LoadPathError("no files or folders given")
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = [path / name for name in FILE_ORDER if (path / name).is_file()]
            if not inside:
                expected = ", ".join(FILE_ORDER)
                raise LoadPathError(f"{path}: folder holds none of {expected}")
            found.extend(inside)
        elif path.is_file():
            if path.name not in FILE_ORDER:
                expected = ", ".join(FILE_ORDER)
                raise LoadPathError(f"{path}: not an interchange file (expected one of {expected})")
            found.append(path)
        else:
            raise LoadPathError(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    rank = {name: index for index, name in enumerate(FILE_ORDER)}
    # sorted() is stable, so same-named files stay in argument order.
    return sorted(unique.values(), key=lambda path: rank[path.name])

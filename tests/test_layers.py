"""The packages import one way (README, Layout): service, then schema and resolvers, then the
metric engine, with the catalogue and the vocabulary below them all.

Read from the source files (ast), so that an import the tests never run still counts. An
import under ``if TYPE_CHECKING:`` is for the type checker only and does not run; every
other one does, a function's included.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vocabulary", "service", "schema", "resolvers")
ENGINE = "resolvers.engine"
CATALOGUE = "resolvers.catalogue"


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str  # the product module it loads: a submodule where it names one
    runtime: bool  # False: under ``if TYPE_CHECKING:``
    at_import: bool  # run when the module is imported (not in a function)

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.module}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {
    _module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if "migrations" not in path.parts
}


def _is_type_checking(test: ast.expr) -> bool:
    return ast.unparse(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _product(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def _imports_of(path: Path) -> Iterator[Import]:
    def walk(node: ast.AST, runtime: bool, at_import: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _product(alias.name):
                    yield Import(path, node.lineno, alias.name, runtime, at_import)
        elif isinstance(node, ast.ImportFrom) and node.module and _product(node.module):
            for alias in node.names:
                named = f"{node.module}.{alias.name}"
                module = named if named in MODULES else node.module
                yield Import(path, node.lineno, module, runtime, at_import)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from walk(child, False, at_import)
            for child in node.orelse:
                yield from walk(child, runtime, at_import)
        else:
            inside = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for child in ast.iter_child_nodes(node):
                yield from walk(child, runtime, at_import and not inside)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), True, True)


IMPORTS: dict[str, list[Import]] = {name: list(_imports_of(path)) for name, path in MODULES.items()}


def _within(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def _offences(importers: tuple[str, ...], allowed: tuple[str, ...], *, runtime_only: bool) -> str:
    """Every import of a module of ``importers`` that leaves ``allowed``, a line each."""
    found = [
        str(imported)
        for name, imports in IMPORTS.items()
        if _within(name, *importers)
        for imported in imports
        if not _within(imported.module, *allowed) and (imported.runtime or not runtime_only)
    ]
    return "\n".join(found)


def test_the_engine_imports_only_itself_the_catalogue_and_the_vocabulary() -> None:
    offences = _offences((ENGINE,), (ENGINE, CATALOGUE, "vocabulary"), runtime_only=False)
    assert not offences, f"the engine reaches out of its room:\n{offences}"


def test_the_catalogue_and_the_vocabulary_import_nothing_above_them() -> None:
    offences = _offences((CATALOGUE,), (CATALOGUE, "vocabulary"), runtime_only=False)
    offences += _offences(("vocabulary",), (), runtime_only=False)
    assert not offences, f"plain data imports the product:\n{offences}"


def test_schema_and_resolvers_do_not_import_service_at_runtime() -> None:
    offences = "\n".join(
        str(imported)
        for name, imports in IMPORTS.items()
        if _within(name, "schema", "resolvers")
        for imported in imports
        if imported.runtime and _within(imported.module, "service")
    )
    assert not offences, f"an import runs back to service:\n{offences}"


def test_the_engine_is_imported_through_its_interface() -> None:
    offences = "\n".join(
        str(imported)
        for name, imports in IMPORTS.items()
        if not _within(name, ENGINE)
        for imported in imports
        if imported.module.startswith(f"{ENGINE}.")
    )
    assert not offences, f"import these from {ENGINE}:\n{offences}"


def _layer(module: str) -> str:
    for room in (ENGINE, CATALOGUE):
        if _within(module, room):
            return room
    return module.split(".")[0]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(edges[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return groups


def test_no_import_cycle_runs_between_packages() -> None:
    """A module's own package may import it back (``__init__`` re-exports); no cycle of
    imports run at import time may pass through two packages (the engine and the catalogue
    counting as packages of their own), so no package's import depends on another's order.
    """
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, imports in IMPORTS.items():
        parts = name.split(".")
        edges[name].update(".".join(parts[:end]) for end in range(1, len(parts)))
        for imported in imports:
            if imported.runtime and imported.at_import and imported.module in MODULES:
                target = imported.module.split(".")
                edges[name].update(".".join(target[:end]) for end in range(1, len(target) + 1))
    crossing = [group for group in _cycles(edges) if len({_layer(m) for m in group}) > 1]
    assert not crossing, f"import cycles between packages: {crossing}"


def test_importing_the_engine_loads_neither_schema_nor_service() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, resolvers.engine; print(*sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    packages = {module.split(".")[0] for module in loaded}.intersection(PACKAGES)
    assert packages == {"resolvers", "vocabulary"}

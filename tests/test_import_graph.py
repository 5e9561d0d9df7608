"""The import graph of ``insights`` and ``bot``: no circles, no arrows back up.

grimp reads every import statement of both packages: at module level, inside functions and
under ``TYPE_CHECKING`` alike (each is an arrow a reader must follow), with relative imports
and ``from package import submodule`` resolved to the module they name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest

PACKAGES = ("insights", "bot")


def build(*packages: str) -> grimp.ImportGraph:
    return grimp.build_graph(*packages, cache_dir=None)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return build(*PACKAGES)


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """One shortest circle through each import that closes one, starting at its importer."""
    found: dict[frozenset[str], list[str]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                found.setdefault(frozenset(back), [importer, *back])
    return list(found.values())


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def arrows(graph: grimp.ImportGraph, source: str, target: str) -> list[tuple[str, str, str]]:
    """Each import by a module of package ``source`` of a module of ``target``: importer,
    imported and where (``importer:line: statement``)."""
    found = []
    for importer in sorted(m for m in graph.modules if inside(m, source)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if inside(imported, target):
                details = graph.get_import_details(importer=importer, imported=imported)
                found += [
                    (importer, imported, f"{importer}:{d['line_number']}: {d['line_contents']}")
                    for d in details
                ]
    return found


def named(found: list[list[str]]) -> str:
    return "\n".join(" -> ".join(circle) for circle in found)


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    found = circles(graph)
    assert not found, f"import circles (break each, e.g. by moving what both need):\n{named(found)}"


def test_the_library_never_imports_the_edge(graph: grimp.ImportGraph) -> None:
    assert [where for _, _, where in arrows(graph, "insights", "bot")] == []


def test_migrations_import_no_application_code(graph: grimp.ImportGraph) -> None:
    """A migration means the same forever: its frozen code imports neither package."""
    live = [
        where
        for package in PACKAGES
        for _, imported, where in arrows(graph, "insights.store.migrations", package)
        if not inside(imported, "insights.store.migrations")
    ]
    assert live == []


def test_a_circle_through_a_function_level_import_is_found_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def late() -> None:\n    from circled import b\n")
    (package / "b.py").write_text("from . import a\n")
    (package / "c.py").write_text("import circled.b\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert circles(build("circled")) == [["circled.a", "circled.b", "circled.a"]]
    finally:
        sys.modules.pop("circled", None)

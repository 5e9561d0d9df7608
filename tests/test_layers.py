"""What the library and the edge may say about each other's business: the edge (``bot/``)
writes no SQL on the tables the store declares; the library's functions for them do."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

from insights import Store

# Edge modules that still import library modules rather than names, left as they were while
# other parts of issue 18 change them; remove each from here when it is converted.
_MODULE_IMPORTS_LEFT = {
    "bot/entrypoints/cli.py",
    "bot/imports/child.py",
    "bot/imports/uploads.py",
}

ROOT = Path(__file__).resolve().parent.parent
_NAMED_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+([A-Za-z_]\w*)")


def store_tables() -> set[str]:
    store = Store.open(":memory:")
    try:
        rows = store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(name) for (name,) in rows}
    finally:
        store.close()


def strings(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module (f-strings' literal parts too), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_the_edge_writes_no_sql_on_the_stores_tables() -> None:
    tables = store_tables()
    assert {"surveys", "thread_context", "slack_events"} <= tables  # the check sees them
    found = [
        f"{path.relative_to(ROOT)}:{line}: {table}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for line, text in strings(path)
        for table in _NAMED_TABLE.findall(text)
        if table in tables or table.startswith("responses_")
    ]
    assert found == [], "SQL on the store's tables belongs in a library function"


def test_the_library_names_no_slack_action_ids() -> None:
    """Which action a button triggers is the edge's routing: the library's blocks carry
    none, the edge adds its buttons (``bot.views.answers``)."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "insights").rglob("*.py"))
        for line, text in strings(path)
        if text in {"action_id", "block_id"}
    ]
    assert found == []


def is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def bound_modules(path: Path) -> list[tuple[int, str, str]]:
    """Each module an import statement of ``path`` binds to a name: line, name, module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                found.append((node.lineno, bound, alias.name if alias.asname else bound))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if is_module(f"{node.module}.{alias.name}"):
                    module = f"{node.module}.{alias.name}"
                    found.append((node.lineno, alias.asname or alias.name, module))
    return found


def edge_modules() -> list[tuple[str, list[tuple[int, str, str]]]]:
    return [
        (str(path.relative_to(ROOT)), bound_modules(path))
        for path in sorted((ROOT / "bot").rglob("*.py"))
    ]


def test_the_edge_imports_names_from_the_library_never_its_modules() -> None:
    """One style, ``from insights.x import name``: a reader sees where each name is from."""
    found = [
        f"{path}:{line}: {module}"
        for path, bound in edge_modules()
        if path not in _MODULE_IMPORTS_LEFT
        for line, _, module in bound
        if module == "insights" or module.startswith("insights.")
    ]
    assert found == []
    converted = [
        path
        for path, bound in edge_modules()
        if path in _MODULE_IMPORTS_LEFT and not any(m.startswith("insights") for *_, m in bound)
    ]
    assert converted == [], "converted: take these out of _MODULE_IMPORTS_LEFT"


def test_a_name_means_one_module_across_the_edge() -> None:
    meanings: dict[str, set[str]] = {}
    for _, bound in edge_modules():
        for _, name, module in bound:
            meanings.setdefault(name, set()).add(module)
    assert {name: modules for name, modules in meanings.items() if len(modules) > 1} == {}

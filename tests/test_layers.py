"""What the library and the edge may say about each other's business: the edge (``bot/``)
writes no SQL on the tables the store declares; the library's functions for them do."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from insights import Store

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
    none, the edge adds its buttons (``bot.blocks``)."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "insights").rglob("*.py"))
        for line, text in strings(path)
        if text in {"action_id", "block_id"}
    ]
    assert found == []

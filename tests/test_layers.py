"""What the library and the edge may say about each other's business: the edge (``bot/``)
writes no SQL on the tables the store declares; the library's functions for them do."""

from __future__ import annotations

import ast
import importlib.util
import re
import types
from pathlib import Path

from insights import Store

# What the edge may import from the library: each package's public face (its __init__) and
# the three modules every stage shares. Charts have their own face: they load matplotlib,
# which only a chart should pay for.
FACES = {
    "insights",
    "insights.ingest",
    "insights.store",
    "insights.answers",
    "insights.answers.charts",
    "insights.digests",
    "insights.pulse",
    "insights.errors",
    "insights.safe_text",
    "insights.blocks",
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


# How people reach the bot is each edge's to say: a slash command in Slack, a command and
# its flags at a terminal. The library's texts name neither (its docstrings may).
_EDGE_WORDS = re.compile(r"/empathy\b|`empathy [a-z]|(?<![\w-])--[a-z][a-z-]+")
# The one exception: the interpreter reads text pasted with its command ("/empathy gap").
_READS_INPUT = {("insights/answers/query.py", "/empathy")}


def texts(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are not docstrings, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


def test_the_library_names_no_edges_commands_or_flags() -> None:
    found = [
        f"{name}:{line}: {text!r}"
        for path in sorted((ROOT / "insights").rglob("*.py"))
        for name in [str(path.relative_to(ROOT))]
        for line, text in texts(path)
        if _EDGE_WORDS.search(text) and (name, text) not in _READS_INPUT
    ]
    assert found == [], "raise data (an error's fields) and let each edge word the hint"


def test_the_edge_words_check_sees_a_command_and_a_flag(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""`/empathy gap` in a docstring is fine."""\nA = "try `/empathy gap`"\nB = "--codebook"\n'
    )
    assert [text for _, text in texts(module) if _EDGE_WORDS.search(text)] == [
        "try `/empathy gap`",
        "--codebook",
    ]


def is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def binds_module(package: str, name: str) -> bool:
    """Whether ``from package import name`` binds a module (a face may export a function
    named as one of its modules: ``insights.answers.render``; the name wins)."""
    if not is_module(f"{package}.{name}"):
        return False
    return isinstance(getattr(importlib.import_module(package), name, None), types.ModuleType)


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
                if binds_module(node.module, alias.name):
                    module = f"{node.module}.{alias.name}"
                    found.append((node.lineno, alias.asname or alias.name, module))
    return found


def edge_modules() -> list[tuple[str, list[tuple[int, str, str]]]]:
    return [
        (str(path.relative_to(ROOT)), bound_modules(path))
        for path in sorted((ROOT / "bot").rglob("*.py"))
    ]


def library_imports(path: Path) -> list[tuple[int, str]]:
    """Each library module a ``from … import`` of ``path`` reads from, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.module)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and not node.level
        and (node.module == "insights" or node.module.startswith("insights."))
    ]


def edge_files() -> list[tuple[str, Path]]:
    return [(str(path.relative_to(ROOT)), path) for path in sorted((ROOT / "bot").rglob("*.py"))]


def test_the_edge_imports_names_from_the_library_never_its_modules() -> None:
    """One style, ``from insights.x import name``: a reader sees where each name is from."""
    found = [
        f"{path}:{line}: {module}"
        for path, bound in edge_modules()
        for line, _, module in bound
        if module == "insights" or module.startswith("insights.")
    ]
    assert found == []


def test_the_edge_imports_only_the_librarys_faces() -> None:
    """A package's inner modules can change without the edge noticing: the edge reads the
    library only through :data:`FACES`."""
    found = [
        f"{name}:{line}: {module}"
        for name, path in edge_files()
        for line, module in library_imports(path)
        if module not in FACES
    ]
    assert found == []


def test_every_face_is_a_package_or_a_shared_module() -> None:
    """The faces exist and say what they are (a docstring), and each package of the library
    is one (so a new package cannot be reached only through its inner modules)."""
    for face in FACES:
        spec = importlib.util.find_spec(face)
        assert spec is not None and spec.origin is not None, face
        assert ast.get_docstring(ast.parse(Path(spec.origin).read_text(encoding="utf-8"))), face
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "insights").rglob("__init__.py")
    }
    inner = {"insights.ingest.exports", "insights.ingest.suggest", "insights.ingest.demo"}
    inner |= {p for p in packages if p.startswith("insights.store.migrations")}
    assert packages - inner <= FACES, "a new package needs a face (and an entry in FACES)"


def test_a_name_means_one_module_across_the_edge() -> None:
    meanings: dict[str, set[str]] = {}
    for _, bound in edge_modules():
        for _, name, module in bound:
            meanings.setdefault(name, set()).add(module)
    assert {name: modules for name, modules in meanings.items() if len(modules) > 1} == {}

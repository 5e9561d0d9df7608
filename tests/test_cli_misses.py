"""`empathy misses`, and `empathy ask` routing an action to the command that does it (or
saying which to use) instead of answering it as a gap question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from insights import Store, record_miss
from insights.answers.catalog import load_catalog
from insights.store import audit

Run = Callable[..., Result]


@pytest.fixture
def demo(run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo in the CLI's database (imported by "ana"), with misses in two workspaces."""
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "ana")
    assert run("demo").exit_code == 0
    store = Store.open(db_path)
    try:
        for _ in range(2):
            record_miss(store, "local", "gap for the \x1b[31mred team", "not understood")
        record_miss(store, "local", "what fraction think we track it", "fallback")
        record_miss(store, "TOTHER", "another workspace's question", "not understood")
    finally:
        store.close()
    return db_path


def test_misses_lists_this_workspaces_most_frequent_first(run: Run, demo: Path) -> None:
    result = run("misses")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Questions I could not answer")
    assert out.index("red team") < out.index("what fraction think we track it")
    assert "2 times · not understood" in out
    assert "\x1b" not in out and "\\x1b" in out  # a control character is shown, not obeyed
    assert "another workspace" not in out
    assert "another workspace's question" in run("misses", "--team", "TOTHER").output
    assert "what fraction" not in run("misses", "--limit", "1").output


def test_ask_misses_and_audit_run_those_commands(run: Run, demo: Path) -> None:
    assert run("ask", "misses").output == run("misses").output
    assert run("ask", "audit").output == run("audit").output
    assert "cli:ana" in run("ask", "audit").output


def test_ask_forget_asks_first_as_forget_wave_does(run: Run, demo: Path) -> None:
    kept = run("ask", "forget", "wave", "2021-pilot", input="n\n")
    assert "Forget wave '2021-pilot'" in kept.output and "Nothing was deleted" in kept.output
    assert "%" not in kept.output  # not the gap of that wave
    gone = run("ask", "forget wave 2021-pilot", input="y\n")
    assert gone.exit_code == 0
    store = Store.open(demo)
    try:
        assert [w.label for w in load_catalog(store, "local").waves] == ["2022"]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("subscribe weekly monday 09:00", "/empathy subscribe"),
        ("subscriptions", "empathy digests log"),
        ("import", "empathy import FILE --codebook"),
    ],
)
def test_ask_names_the_command_for_what_only_slack_does(
    run: Run, demo: Path, text: str, command: str
) -> None:
    result = run("ask", text)
    assert result.exit_code == 2
    assert command in result.output
    assert "%" not in result.output

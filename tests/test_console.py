"""``empathy console`` answers through the same Bolt app and listeners as Slack."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from bot.entrypoints.console import run_console
from bot.settings import Settings
from insights import Store
from insights.ingest.demo_loader import load_demo


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    path = tmp_path_factory.mktemp("console") / "empathy.db"
    store = Store.open(path)
    load_demo(store, "local", actor="cli:test")
    store.close()
    return Settings(database_path=path, _env_file=None)  # type: ignore[call-arg]


def console(settings: Settings, lines: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run_console(settings, io.StringIO(lines), out)
    return code, out.getvalue()


def test_eof_on_an_empty_input_exits_cleanly(settings: Settings) -> None:
    code, out = console(settings, "")
    assert code == 0
    assert "/empathy gap by role" in out  # the banner tells a newcomer what to type


def test_a_slash_command_is_answered(settings: Settings) -> None:
    code, out = console(settings, "/empathy gap\n")
    assert code == 0
    assert "91%" in out and "36%" in out


def test_mentions_and_follow_ups_share_the_conversation(settings: Settings) -> None:
    code, out = console(
        settings, "@empathy what's the gap for in-house?\nand by region?\nquit\n/empathy gap\n"
    )
    assert code == 0
    assert "72%" in out
    assert "North America" in out  # "and by region?" kept the in-house filter …
    assert out.count("role = In-house") == 2
    assert "91%" not in out  # … and nothing after `quit` ran


def test_it_goes_through_the_slack_listeners(settings: Settings) -> None:
    """The mention path stores the thread context, as it does for Slack."""
    console(settings, "@empathy gap role=consultant\n")
    with sqlite3.connect(settings.database_path) as db:
        queries = [row[0] for row in db.execute("SELECT query FROM thread_context")]
    assert any("consultant" in query.lower() for query in queries)


def test_errors_are_printed_as_friendly_text(settings: Settings) -> None:
    code, out = console(settings, "/empathy gap role=martian\n\n/empathy help\n")
    assert code == 0
    assert "martian" in out
    assert "Traceback" not in out
    assert "what you can ask" in out.lower()


def test_a_missing_database_file_is_created_not_a_crash(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "new.db", _env_file=None)  # type: ignore[call-arg]
    code, out = console(settings, "/empathy gap\n")
    assert code == 0
    assert "Traceback" not in out


def test_a_chart_is_saved_and_its_path_printed(settings: Settings) -> None:
    lines = "/empathy gap by role chart\n@empathy themes chart\n/empathy gap by typo chart\n"
    code, out = console(settings, lines)
    assert code == 0
    saved = [line for line in out.splitlines() if line.startswith("(chart saved to ")]
    assert len(saved) == 1
    path = Path(saved[0].removeprefix("(chart saved to ").removesuffix(")"))
    assert path.name == "empathy-gap-2022-necessity-by-role.png"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "There is no chart for a list" in out  # the reason, where a chart can't be
    assert "I expected a segment after 'by'" in out  # an error: no chart is waited for

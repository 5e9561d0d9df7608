"""The console routes actions as Slack does: a mention's private reply (to the asker alone,
as an admin's reply in a channel is) is shown, not waited for."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.entrypoints.console import CONSOLE_USER_ID, run_console
from bot.settings import Settings
from insights import Store, record_miss
from insights.ingest.demo_loader import load_demo


def settings_for(path: Path, admins: list[str]) -> Settings:
    return Settings(database_path=path, admin_user_ids=admins, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "empathy.db"
    store = Store.open(path)
    load_demo(store, "local", actor="cli:test")
    record_miss(store, "local", "how many think we track it", "not understood")
    store.close()
    return path


def console(settings: Settings, lines: str) -> str:
    out = io.StringIO()
    assert run_console(settings, io.StringIO(lines), out) == 0
    return out.getvalue()


def test_an_admin_mention_of_misses_and_forget_is_shown(database: Path) -> None:
    out = console(
        settings_for(database, [CONSOLE_USER_ID]), "@empathy misses\n@empathy forget wave 2022\n"
    )
    assert "Questions I could not answer" in out and "how many think we track it" in out
    assert "Forget wave '2022'" in out
    assert "no answer arrived" not in out


def test_someone_else_is_refused_not_answered_a_gap(database: Path) -> None:
    out = console(settings_for(database, []), "@empathy forget wave 2022\n")
    assert "Only the bot's admins and workspace admins can forget survey waves" in out
    assert "91%" not in out

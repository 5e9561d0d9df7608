"""The language model is on only when LLM_BASE_URL and LLM_MODEL are set; the console (the
same Bolt app and listeners as Slack) and the CLI ask it then, and never otherwise."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_llm import FakeModel, says

from bot.entrypoints.cli import cli
from bot.entrypoints.console import run_console
from bot.model_reader import reader_from
from bot.settings import Settings
from insights import Store
from insights.ingest.demo_loader import load_demo

UNREAD = "split it up by where people sit in the world"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model-settings") / "empathy.db"
    store = Store.open(path)
    load_demo(store, "local", actor="cli:test")
    store.close()
    return path


@pytest.fixture
def model() -> Iterator[FakeModel]:
    with FakeModel() as fake:
        yield fake


def settings(database: Path, **llm: str) -> Settings:
    return Settings(database_path=database, _env_file=None, **llm)  # type: ignore[call-arg]


def console(settings: Settings, lines: str) -> str:
    out = io.StringIO()
    assert run_console(settings, io.StringIO(lines), out) == 0
    return out.getvalue()


def test_the_model_is_on_only_with_a_base_url_and_a_model(database: Path) -> None:
    assert reader_from(settings(database)) is None
    assert reader_from(settings(database, llm_base_url="http://127.0.0.1:9/v1")) is None
    assert reader_from(settings(database, llm_model="llama3.1")) is None
    blank = settings(database, llm_base_url=" ", llm_model="llama3.1")
    assert blank.llm_base_url is None and reader_from(blank) is None
    on = settings(database, llm_base_url="http://127.0.0.1:9/v1", llm_model="llama3.1")
    assert reader_from(on) is not None


def test_the_settings_are_read_from_the_environment(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_MODEL", "llama3.1")
    monkeypatch.setenv("LLM_API_KEY", "sk-from-env")
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "2.5")
    read = Settings(database_path=database, _env_file=None)  # type: ignore[call-arg]
    assert read.llm_enabled and read.llm_timeout_seconds == 2.5
    assert read.llm_api_key is not None and "sk-from-env" not in repr(read)


def test_without_a_model_setting_the_console_never_calls_out(
    database: Path, model: FakeModel
) -> None:
    """LLM_BASE_URL points at the fake, but without LLM_MODEL the model is off."""
    out = console(settings(database, llm_base_url=model.base_url), f"@empathy {UNREAD}\n")
    assert "about the survey" in out  # the usual reply
    assert model.calls == []


def test_the_console_answers_as_the_model_reads_it(database: Path, model: FakeModel) -> None:
    model.script(says("gap by region"))
    on = settings(database, llm_base_url=model.base_url, llm_model="fake")
    out = console(on, f"@empathy {UNREAD}\n")
    assert "Read with the language model as" in out and "North America" in out
    assert len(model.calls) == 1


def test_the_cli_asks_the_model_too(
    database: Path, model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.script(says("gap by role"))
    monkeypatch.chdir(database.parent)  # no stray .env
    for key, value in {
        "DEFAULT_TEAM_ID": "local",
        "DATABASE_PATH": str(database),
        "LLM_BASE_URL": model.base_url,
        "LLM_MODEL": "fake",
    }.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(cli, ["ask", UNREAD])
    assert result.exit_code == 0, result.output
    assert "Read with the language model as: gap by role" in result.output

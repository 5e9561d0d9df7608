"""The ``empathy`` command: the demo path from the issue, one-paragraph errors with exit
codes, and help text on every command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import Result
from support import TINY_CODEBOOK, table_counts

from bot.entrypoints.cli import cli
from insights import Store

Run = Callable[..., Result]


def assert_one_paragraph_error(result: Result, exit_code: int, *fragments: str) -> None:
    assert result.exit_code == exit_code
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1  # one line, ending in a newline
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


def test_demo_then_ask_gap(run: Run) -> None:
    loaded = run("demo")
    assert loaded.exit_code == 0
    assert "Imported wave '2021-pilot' of survey 'empathy-in-action': 120 respondents" in (
        loaded.stdout
    )
    assert "Imported wave '2022' of survey 'empathy-in-action': 197 respondents" in loaded.stdout
    result = run("ask", "gap")
    assert result.exit_code == 0
    assert "Personal: 91% (179 of 197" in result.stdout
    assert "Organization: 36% (71 of 197" in result.stdout


def test_ask_gap_for_in_house(run: Run) -> None:
    run("demo")
    result = run("ask", "gap role=in-house")
    assert result.exit_code == 0
    assert "72% (108 of 150" in result.stdout
    assert "30% (45 of 150" in result.stdout


def test_ask_words_may_be_separate_arguments(run: Run) -> None:
    run("demo")
    assert run("ask", "gap", "role=in-house").stdout == run("ask", "gap role=in-house").stdout


def test_ask_gap_by_role(run: Run) -> None:
    run("demo")
    result = run("ask", "gap by role")
    assert result.exit_code == 0
    assert "Empathy gap by role" in result.stdout
    assert "In-house (n = 150): 89% vs 37%" in result.stdout
    assert "Consultant (n = 47): 98% vs 34%" in result.stdout


def test_demo_twice_changes_nothing(run: Run, db_path: Path) -> None:
    run("demo")
    store = Store.open(db_path)
    counts = table_counts(store)
    store.close()
    again = run("demo")
    assert again.exit_code == 0
    assert again.stdout == "The demo survey is already loaded; nothing changed.\n"
    store = Store.open(db_path)
    assert table_counts(store) == counts
    assert counts["respondents"] == 317
    store.close()


def test_ask_before_any_import(run: Run) -> None:
    assert_one_paragraph_error(
        run("ask", "gap"), 2, "No survey has been imported", "`empathy demo`"
    )


def test_ask_with_an_unknown_word(run: Run) -> None:
    run("demo")
    assert_one_paragraph_error(run("ask", "gap by regxyz"), 2, "Known: role, seniority, region.")


def test_ask_for_a_group_too_small_to_show(run: Run) -> None:
    run("demo")
    assert_one_paragraph_error(
        run("ask", "gap role=consultant seniority=staff region=asia-pacific"),
        2,
        "fewer than 5",
        "privacy",
    )


def test_ask_about_a_small_value_answers_for_the_merged_group(run: Run) -> None:
    run("demo")
    result = run("ask", "gap region=middle east & africa")
    assert result.exit_code == 0
    merged = "region = Other (small groups: Latin America, Middle East & Africa) · n = 19"
    assert merged in result.stdout
    assert "reported together as “other (small groups)”" in result.stdout


def test_import_and_ask(run: Run, tmp_path: Path) -> None:
    codebook = tmp_path / "tiny.toml"
    codebook.write_text(TINY_CODEBOOK, encoding="utf-8")
    data = tmp_path / "spring.csv"
    rows = [f"r{i},A,s1,Agree,Disagree,Yes" for i in range(6)]
    data.write_text("id,team,site,p,o,m\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run("import", str(data), "--codebook", str(codebook))
    assert result.exit_code == 0
    assert result.stdout == (
        "Imported wave 'spring' of survey 'tiny': 6 respondents, 18 answers,"
        " themes: care, measures.\n"
    )
    answer = run("ask", "gap")
    assert "Personal: 100%† (6 of 6" in answer.stdout
    assert "wave spring" in answer.stdout


def test_import_of_a_bad_file(run: Run, tmp_path: Path) -> None:
    codebook = tmp_path / "tiny.toml"
    codebook.write_text(TINY_CODEBOOK, encoding="utf-8")
    data = tmp_path / "bad.csv"
    data.write_text("id,team,site,p,o,m\nr1,A,s1,Agreee,Agree,Yes\n", encoding="utf-8")
    assert_one_paragraph_error(
        run("import", str(data), "--codebook", str(codebook)),
        3,
        "row 2, column 'p': 'Agreee'",
        "Nothing was imported.",
    )
    assert_one_paragraph_error(
        run("import", str(tmp_path / "missing.csv"), "--codebook", str(codebook)),
        3,
        "does not exist",
    )
    assert_one_paragraph_error(
        run("import", str(data), "--codebook", str(tmp_path / "none.toml")),
        3,
        "Codebook",
        "does not exist",
    )


def test_a_database_from_a_newer_version(run: Run, db_path: Path) -> None:
    store = Store.open(db_path)
    store.db.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')")
    store.close()
    assert_one_paragraph_error(run("ask", "gap"), 4, "schema version 99", "Upgrade")


def _commands() -> list[tuple[str, click.Command]]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands.items())


def test_every_command_has_help_text() -> None:
    assert cli.help and cli.help.strip()
    names = [name for name, _ in _commands()]
    assert {"demo", "import", "ask", "console", "socket", "start"} <= set(names)
    for name, command in _commands():
        assert command.help and command.help.strip(), f"`empathy {name}` has no help text"
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"`empathy {name} {param.opts[0]}` has no help text"


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_help_option_works(run: Run, name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {name}")


def test_top_level_help_lists_commands(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name, command in _commands():
        assert command.help is not None
        first_words = " ".join(command.help.split()[:3])
        assert f"  {name} " in result.stdout
        assert first_words in result.stdout


def test_the_installed_command(tmp_path: Path) -> None:
    """The console script itself, as the issue's 'Done when' runs it."""
    script = Path(sys.executable).with_name("empathy")
    if not script.exists():
        pytest.skip("the empathy console script is not installed next to this Python")
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "x.db"), "MIN_GROUP_SIZE": "5"}
    env.pop("DEFAULT_TEAM_ID", None)

    def empathy(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    assert empathy("demo").returncode == 0
    gap = empathy("ask", "gap")
    assert gap.returncode == 0
    assert "91%" in gap.stdout and "36%" in gap.stdout
    assert "Traceback" not in gap.stderr


def test_socket_without_tokens_says_what_is_missing(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = run("socket")
    assert result.exit_code == 2
    assert "Socket Mode needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…)" in (
        result.stderr
    )
    assert "Install in your Slack workspace" in result.stderr

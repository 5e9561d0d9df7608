"""What a person at the terminal gets when an ``empathy`` command fails (bot.errors.cli):
a library error is one paragraph on stderr with its exit code (2 a person's mistake, 3 an
import refused, 4 an unusable database), under ``empathy`` and ``empathy digests`` alike;
a failure of ours is a reference id and a file holding its traceback, never a traceback
on the terminal."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import TINY_CODEBOOK

from bot.entrypoints.digest_cli import digests
from bot.errors.cli import INTERNAL_EXIT, in_cli_words
from insights import Store, ask
from insights.errors import EmpathyError

Run = Callable[..., Result]


def one_paragraph_error(result: Result, exit_code: int) -> str:
    """The error's text, after checking it is one line on stderr and nothing else."""
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    return result.stderr


@pytest.fixture
def demo(run: Run) -> None:
    assert run("demo").exit_code == 0


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("gap region=Atlantis", "Segment 'region' has no value 'atlantis'. Values: "),
        ("who answered no?", "I can't show individual respondents"),
        ("gap wave 1999", "Known: 2021-pilot, 2022."),
    ],
    ids=["query", "refused", "not-found"],
)
def test_a_question_that_cannot_be_answered_exits_2_saying_why(
    run: Run, question: str, said: str
) -> None:
    assert said in one_paragraph_error(run("ask", question), 2)


def test_an_import_refused_exits_3_with_its_problems(run: Run, tmp_path: Path) -> None:
    codebook = tmp_path / "tiny.toml"
    codebook.write_text(TINY_CODEBOOK, encoding="utf-8")
    data = tmp_path / "bad.csv"
    data.write_text("id,team,site,p,o,m\nr1,A,s1,Agreee,Agree,Yes\n", encoding="utf-8")
    refused = one_paragraph_error(run("import", str(data), "--codebook", str(codebook)), 3)
    assert "'Agreee'" in refused and "Nothing was imported." in refused
    broken = tmp_path / "broken.toml"
    broken.write_text("[survey\n", encoding="utf-8")
    unreadable = one_paragraph_error(run("import", str(data), "--codebook", str(broken)), 3)
    assert "Codebook " in unreadable and "is not valid TOML" in unreadable


def from_a_newer_release(database: Path) -> None:
    store = Store.open(database)
    store.db.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'newer')")
    store.close()


@pytest.mark.parametrize("args", [["ask", "gap"], ["digests", "log"]])
def test_a_database_it_cannot_use_exits_4(run: Run, db_path: Path, args: list[str]) -> None:
    from_a_newer_release(db_path)
    assert "schema version 99" in one_paragraph_error(run(*args), 4)


def test_the_digest_commands_alone_fail_the_same_way(db_path: Path, run: Run, demo: None) -> None:
    alone = CliRunner().invoke(digests, ["preview", "CNOWHERE"], catch_exceptions=False)
    under_empathy = run("digests", "preview", "CNOWHERE")
    assert one_paragraph_error(alone, 2) == one_paragraph_error(under_empathy, 2)
    assert "CNOWHERE" in alone.stderr


def break_the_database(database: Path) -> None:
    """Tables the code relies on go missing: every answer fails in sqlite3, a bug's way."""
    with sqlite3.connect(database) as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'responses_%'")
        for (table,) in tables.fetchall():
            db.execute(f"ALTER TABLE {table} RENAME TO lost_{table}")
        db.execute("ALTER TABLE wave_columns RENAME TO wave_columns_lost")


def test_a_failure_of_ours_shows_a_reference_and_keeps_the_traceback_in_a_file(
    run: Run, db_path: Path, demo: None
) -> None:
    break_the_database(db_path)
    said = one_paragraph_error(run("ask", "gap"), INTERNAL_EXIT)
    found = re.search(r"reference ([0-9a-f]{10})\)\. The details are in (\S+);", said)
    assert found, said
    kept = Path(found.group(2)).read_text(encoding="utf-8")
    assert f"reference {found.group(1)}" in kept
    assert "Traceback" in kept and "sqlite3.OperationalError" in kept
    Path(found.group(2)).unlink()


def test_at_a_real_terminal_a_failure_of_ours_prints_no_traceback(
    db_path: Path, demo: None
) -> None:
    break_the_database(db_path)
    done = subprocess.run(
        [sys.executable, "-c", "from bot.entrypoints.cli import main; main()", "ask", "gap"],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[1])},
        timeout=120,
        check=False,
    )
    assert done.returncode == INTERNAL_EXIT
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: something went wrong on our side (reference ")
    Path(done.stderr.split("The details are in ")[1].split(";")[0]).unlink()


def qualtrics_previews_only(path: Path) -> None:
    """A Qualtrics export (ids, texts, import ids) whose only response is a survey preview."""
    ids = ["StartDate", "Status", "Finished", "ResponseId", "team", "site", "p", "o", "m"]
    keys = ["startDate", "status", "finished", "_recordId", *(f"QID{n}" for n in range(1, 6))]
    imports = ",".join('"{""ImportId"":""' + key + '""}"' for key in keys)
    row = "2024-03-01 09:00:00,Survey Preview,True,R_p1,A,s1,Agree,Agree,Yes"
    path.write_text("\n".join([",".join(ids), ",".join(ids), imports, row]) + "\n", "utf-8")


def test_an_import_left_with_no_respondents_names_the_cli_flags_that_keep_them(
    run: Run, tmp_path: Path
) -> None:
    codebook = tmp_path / "tiny.toml"
    codebook.write_text(
        TINY_CODEBOOK.replace('respondent_id = "id"', 'respondent_id = "ResponseId"'), "utf-8"
    )
    data = tmp_path / "previews.csv"
    qualtrics_previews_only(data)
    refused = one_paragraph_error(run("import", str(data), "--codebook", str(codebook)), 3)
    assert "no respondents left to import: it left out 1 row (1 survey preview)" in refused
    assert "Include them with --include-previews" in refused


def test_no_survey_yet_names_the_cli_commands_that_load_one(run: Run) -> None:
    said = one_paragraph_error(run("ask", "gap"), 2)
    assert "No survey has been imported for this workspace yet." in said
    assert "`empathy import FILE --codebook CODEBOOK`" in said and "`empathy demo`" in said
    assert "/empathy" not in said


def test_an_action_asked_of_the_library_is_pointed_to_slack_in_cli_words(store: Store) -> None:
    with pytest.raises(EmpathyError) as caught:
        ask(store, "local", "subscribe weekly")
    said = in_cli_words(caught.value)
    assert said.startswith("`subscribe` is something I do, not a question about the survey.")
    assert said.endswith("Use `/empathy subscribe` in Slack.")


def test_a_channel_without_a_digest_is_told_how_to_subscribe_in_slack(run: Run, demo: None) -> None:
    """The library raises the channel (``NoSubscriptionError``); the CLI words the hint."""
    said = one_paragraph_error(run("digests", "preview", "CNOWHERE"), 2)
    assert "Channel CNOWHERE has no digest subscription." in said
    hint = "Subscribe it in Slack: type `/empathy subscribe weekly monday 09:00` there."
    assert said.rstrip().endswith(hint)


def test_forgetting_a_wave_before_any_survey_names_the_cli_commands_that_load_one(
    run: Run,
) -> None:
    """``forget_wave`` raises ``NoSurveyError`` like a question does, so the hint is the
    edge's: the CLI's import command, not Slack's."""
    said = one_paragraph_error(run("forget-wave", "2022", "--yes"), 2)
    assert "No survey has been imported for this workspace yet." in said
    assert "`empathy import FILE --codebook CODEBOOK`" in said and "/empathy" not in said

"""Names with terminal control characters (an ANSI colour, a bell, a carriage return) are
printed as visible escapes by every command that shows them, never obeyed: `empathy import`,
`ask`, `audit`, `codebook suggest`, `forget-wave`, `digests preview` and the console."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.entrypoints.console import run_console
from bot.settings import Settings
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.schedule import parse_weekly

RED, BELL, BACK = "\x1b[31m", "\x07", "\r"
SURVEY = f"ctl{RED}pulse"
WAVE = f"w{BELL}1"
THEME = f"care{RED}x"
# In the export's cells (a carriage return there would end the row: it is in the codebook's
# names instead).
VALUES = (f"north{RED}", f"south{BELL}", "east\x1b[2Kwest")
LABELS = (f"No{RED}", f"Yes{BELL}")
CODEBOOK = """
[survey]
name = "ctl\\u001b[31mpulse"
title = "Title\\u0007 with a bell\\u001b]0;pwned\\u0007"
respondent_id = "id"

[scales.yesno]
labels = ["No\\u001b[31m", "Yes\\u0007"]
positive = ["Yes\\u0007"]

[[questions]]
column = "p"
theme = "care\\u001b[31mx"
perspective = "personal"
scale = "yesno"
text = "I care\\u001b[2J"

[[questions]]
column = "o"
theme = "care\\u001b[31mx"
perspective = "organization"
scale = "yesno"
text = "We care\\r"

[[questions]]
column = "m"
theme = "measures\\u009b"
scale = "yesno"
text = "We measure it\\u202e"

[[segments]]
column = "team"
name = "te\\ram"
"""
Run = Callable[..., Result]


def raw_controls(text: str) -> list[str]:
    """Control characters a terminal would obey (newline and tab are layout)."""
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]


def assert_shown_not_obeyed(text: str, *visible: str) -> None:
    assert not raw_controls(text), repr(text)
    for escape in visible:
        assert escape in text, text


def export_csv(rows: int = 30) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "team", "p", "o", "m"])
    for i in range(rows):
        writer.writerow([i + 1, VALUES[i % 3], LABELS[1], LABELS[i % 2], LABELS[(i // 2) % 2]])
    return out.getvalue()


@pytest.fixture
def imported(run: Run, tmp_path: Path) -> Result:
    (tmp_path / "ctl.toml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "export.csv").write_text(export_csv(), encoding="utf-8")
    result = run("import", "export.csv", "--codebook", "ctl.toml", "--wave", WAVE)
    assert result.exit_code == 0, result.output
    return result


def test_the_import_summary_shows_control_characters_as_escapes(imported: Result) -> None:
    assert_shown_not_obeyed(imported.output, "ctl\\x1b[31mpulse", "w\\x071", "care\\x1b[31mx")


@pytest.mark.parametrize(
    ("query", "visible"),
    [
        ("gap", ["Title\\x07 with a bell\\x1b]0;pwned\\x07", "Care\\x1b[31mx", "w\\x071"]),
        ("gap by team", ["te\\x0dam", "north\\x1b[31m", "south\\x07", "east\\x1b[2Kwest"]),
        ("themes", ["care\\x1b[31mx", "measures\\x9b", "We measure it\\u202e"]),
        ("segments", ["te\\x0dam", "east\\x1b[2Kwest"]),
        ("waves", ["w\\x071"]),
        ("gap measures", ["Yes\\x07"]),
    ],
)
def test_answers_show_control_characters_as_escapes(
    imported: Result, run: Run, query: str, visible: list[str]
) -> None:
    result = run("ask", query)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.output, *visible)


def test_an_error_quoting_names_shows_them_as_escapes(imported: Result, run: Run) -> None:
    result = run("ask", "gap team=nowhere")
    assert result.exit_code != 0
    assert_shown_not_obeyed(result.stderr, "north\\x1b[31m", "south\\x07")


def test_a_long_query_is_echoed_short(imported: Result, run: Run) -> None:
    result = run("ask", "gap " + "z" * 900_000)
    assert result.exit_code != 0
    assert len(result.stderr) < 1000 and "…" in result.stderr


def test_the_audit_log_shows_control_characters_as_escapes(imported: Result, run: Run) -> None:
    result = run("audit")
    assert_shown_not_obeyed(result.output, "ctl\\x1b[31mpulse/w\\x071")


def test_forgetting_shows_control_characters_as_escapes(imported: Result, run: Run) -> None:
    result = run("forget-wave", WAVE, "--yes")
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.output, "w\\x071")


def test_a_suggested_codebook_shows_control_characters_as_escapes(run: Run, tmp_path: Path) -> None:
    header = f"id,Team{RED}\x9b,I personally believe it{BELL},My organization believes it"
    rows = [f"{i},{VALUES[i % 3]},Agree,Disagree" for i in range(12)]
    (tmp_path / "raw.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = run("codebook", "suggest", "raw.csv")
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.output)
    assert "\\u001B[31m" in result.stdout  # TOML's own escape: the codebook still reads back


def test_a_digest_preview_shows_control_characters_as_escapes(
    imported: Result, db_path: Path
) -> None:
    from bot.entrypoints.digest_cli import digests

    store = Store.open(db_path)
    schedule, _ = parse_weekly("weekly monday 09:00", "UTC")
    subs.subscribe(store, "local", "CCTL", schedule, "gap", "UADMIN", datetime.now(UTC))
    store.close()
    result = CliRunner().invoke(digests, ["preview", "CCTL"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.output, "Care\\x1b[31mx", "ctl\\x1b[31mpulse")


def test_the_console_shows_control_characters_as_escapes(imported: Result, db_path: Path) -> None:
    settings = Settings(database_path=db_path, _env_file=None)  # type: ignore[call-arg]
    out = io.StringIO()
    assert run_console(settings, io.StringIO("/empathy gap by team\n"), out) == 0
    assert_shown_not_obeyed(out.getvalue(), "Care\\x1b[31mx", "north\\x1b[31m")

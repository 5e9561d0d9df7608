"""`empathy audit` and `empathy forget-wave`, and the audit entries `empathy import` and
`empathy demo` write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from support import TINY_CODEBOOK, rows_csv

from insights import Store
from insights.answers.catalog import load_catalog
from insights.store import audit

Run = Callable[..., Result]


@pytest.fixture
def db_path(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's database, with audit entries written by the OS user "ana"."""
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "ana")
    return db_path


def entries(db_path: Path, team: str = "local") -> list[audit.AuditEntry]:
    store = Store.open(db_path)
    try:
        return audit.read(store, team, 100)
    finally:
        store.close()


def wave_labels(db_path: Path) -> list[str]:
    store = Store.open(db_path)
    try:
        return [w.label for w in load_catalog(store, "local").waves]
    finally:
        store.close()


def test_imports_at_the_terminal_are_recorded(run: Run, db_path: Path, tmp_path: Path) -> None:
    codebook = tmp_path / "tiny.toml"
    codebook.write_text(TINY_CODEBOOK, encoding="utf-8")
    export = tmp_path / "spring.csv"
    export.write_text(rows_csv([[1, "north", "x", "Agree", "Agree", "Yes"]]), encoding="utf-8")
    assert run("import", str(export), "--codebook", str(codebook)).exit_code == 0
    assert run("import", str(export), "--codebook", str(codebook)).exit_code == 0
    assert run("demo").exit_code == 0
    assert run("demo").exit_code == 0  # already loaded: nothing imported, nothing recorded
    got = [(e.actor, e.action, e.target) for e in entries(db_path)]
    assert got == [
        ("cli:ana", "import", "empathy-in-action/2022"),
        ("cli:ana", "import", "empathy-in-action/2021-pilot"),
        ("cli:ana", "replace", "tiny/spring"),
        ("cli:ana", "import", "tiny/spring"),
    ]
    assert entries(db_path)[-1].detail == "1 respondent from spring.csv"


def test_audit_prints_a_table_newest_first(run: Run, db_path: Path) -> None:
    assert run("demo").exit_code == 0
    store = Store.open(db_path)
    audit.record(store, "local", "UADMIN", "subscribe", "CGENERAL", "weekly on Monday")
    audit.record(store, "T-OTHER", "UELSE", "subscribe", "CTHEIRS")
    store.close()
    result = run("audit")
    assert result.exit_code == 0
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["when", "(UTC)", "who", "action", "target", "detail"]
    assert len(lines) == 3
    assert lines[0].split()[2:] == ["UADMIN", "subscribe", "CGENERAL", "weekly", "on", "Monday"]
    assert lines[1].split()[2:5] == ["cli:ana", "import", "empathy-in-action/2022"]
    assert "CTHEIRS" not in result.stdout
    assert len(run("audit", "--limit", "1").stdout.splitlines()) == 2
    other = run("audit", "--team", "T-OTHER").stdout
    assert "CTHEIRS" in other and "empathy-in-action" not in other
    assert run("audit", "--team", "T-NOBODY").stdout == "The audit log is empty.\n"
    assert run("audit", "--limit", "0").exit_code == 2  # click's usage error


def test_forget_wave_asks_first(run: Run, db_path: Path) -> None:
    run("demo")
    declined = run("forget-wave", "2021-pilot", input="n\n")
    assert declined.exit_code == 0
    assert "Forget wave '2021-pilot' of survey 'empathy-in-action': 120 respondent(s)" in (
        declined.stdout
    )
    assert "Nothing was deleted." in declined.stdout
    assert wave_labels(db_path) == ["2021-pilot", "2022"]

    accepted = run("forget-wave", "2021-pilot", "--survey", "empathy-in-action", input="y\n")
    assert accepted.exit_code == 0
    assert "Forgot wave '2021-pilot' of survey 'empathy-in-action': 120 respondents" in (
        accepted.stdout
    )
    assert wave_labels(db_path) == ["2022"]
    newest = entries(db_path)[0]
    assert (newest.actor, newest.action, newest.target) == (
        "cli:ana",
        "forget",
        "empathy-in-action/2021-pilot",
    )
    ask = run("ask", "gap", "vs", "2021-pilot")
    assert ask.exit_code == 2 and "2021-pilot" in ask.stderr


def test_forget_wave_yes_and_mistakes(run: Run, db_path: Path) -> None:
    run("demo")
    unknown = run("forget-wave", "2019", "--yes")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "Error: Survey 'empathy-in-action' has no wave '2019'. Waves: 2021-pilot, 2022.\n"
    )
    other_team = run("forget-wave", "2022", "--yes", "--team", "T-OTHER")
    assert other_team.exit_code == 2 and "No survey has been imported" in other_team.stderr
    forgotten = run("forget-wave", "2022", "--yes")
    assert forgotten.exit_code == 0 and forgotten.stdout.startswith("Forgot wave '2022'")
    assert wave_labels(db_path) == ["2021-pilot"]
    last = run("forget-wave", "2021-pilot", input="y\n")
    assert "It is the survey's only wave, so the survey goes too." in last.stdout
    assert "survey 'empathy-in-action' is gone too" in last.stdout
    assert [e.action for e in entries(db_path)][:2] == ["forget", "forget"]

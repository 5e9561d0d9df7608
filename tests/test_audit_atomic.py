"""An audited change and its audit entry are one transaction (issue 18): the library
function that makes the change writes the entry, so a failure after the change, and before
the commit, leaves neither; a change that succeeds leaves exactly one entry.

The failure is real: a trigger makes SQLite refuse the audit insert, as a full disk or a
damaged table would, after the change's own statements have run."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from slack_sdk import WebClient
from support import (
    TEAM,
    TINY_CODEBOOK,
    CliRun,
    Importer,
    Writer,
    pending_upload,
    rows_csv,
    table_counts,
)

from bot.imports import uploads
from bot.routing import subscribe
from bot.settings import Settings
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.schedule import WeeklySchedule, parse_weekly
from insights.ingest import pending as pending_imports
from insights.ingest.codebook import Codebook
from insights.ingest.exports import open_export
from insights.ingest.importer import ImportSummary, import_export, import_file
from insights.store import audit, waves

NOW = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
ROWS = [[1, "north", "x", "Agree", "Agree", "Yes"], [2, "south", "y", "Agree", "Neutral", "No"]]
REFUSAL = "the audit log cannot be written"
SETTINGS = Settings(_env_file=None, admin_user_ids=["UADMIN"])  # type: ignore[call-arg]


class Users:
    """users.info as Slack answers it for a person in Berlin."""

    def users_info(self, *, user: str) -> dict[str, Any]:
        return {"ok": True, "user": {"id": user, "tz": "Europe/Berlin"}}


CLIENT = cast(WebClient, Users())


def refuse_audit_entries(store: Store) -> None:
    """From now on every audit insert fails, as a write the disk refuses would."""
    store.db.execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log"
        f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    )


def entries(store: Store, team_id: str = TEAM) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.target) for e in audit.read(store, team_id, 100)]


def weekly(when: str = "monday 09:00 Europe/Berlin") -> WeeklySchedule:
    schedule, _ = parse_weekly(f"weekly {when}", "UTC")
    return schedule


# --- importing ---------------------------------------------------------------------------


def test_an_import_is_recorded_once(
    store: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    import_file(store, write_csv(ROWS, "w1.csv"), tiny_codebook, team_id=TEAM, actor="UADMIN")
    assert entries(store) == [("UADMIN", "import", "tiny/w1")]


def test_an_import_whose_entry_fails_writes_no_wave(
    store: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    before = table_counts(store)
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        import_file(store, write_csv(ROWS, "w1.csv"), tiny_codebook, team_id=TEAM, actor="U1")
    assert table_counts(store) == before  # no survey, wave, respondent or entry


def test_a_replacement_whose_entry_fails_keeps_the_wave_it_would_replace(
    store: Store, import_rows: Importer, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    import_rows(ROWS, wave="w1")
    before = table_counts(store)
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        import_file(store, write_csv(ROWS[:1], "w1.csv"), tiny_codebook, team_id=TEAM, actor="U1")
    assert table_counts(store) == before  # both respondents still there
    assert entries(store) == [("cli:test", "import", "tiny/w1")]


def test_an_import_failing_after_its_entry_keeps_neither(
    store: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    def fail(summary: ImportSummary) -> None:
        assert entries(store) == [("UADMIN", "import", "tiny/w1")]  # written, not committed
        raise RuntimeError("the statement after the entry failed")

    before = table_counts(store)
    export = open_export(write_csv(ROWS, "w1.csv"))
    with pytest.raises(RuntimeError):
        import_export(
            store, export, tiny_codebook, team_id=TEAM, wave="w1", actor="UADMIN", also=fail
        )
    assert table_counts(store) == before


# --- subscriptions -----------------------------------------------------------------------


def test_subscribing_and_unsubscribing_are_recorded_once_each(store: Store) -> None:
    subs.subscribe(store, TEAM, "CCX", weekly(), "gap chart", "UADMIN", NOW)
    assert subs.unsubscribe(store, TEAM, "CCX", actor="UBOB")
    assert not subs.unsubscribe(store, TEAM, "CCX", actor="UBOB")  # nothing cancelled
    newest, oldest = audit.read(store, TEAM)
    assert (oldest.actor, oldest.action, oldest.target) == ("UADMIN", "subscribe", "CCX")
    assert oldest.detail == "weekly on Monday at 09:00 Europe/Berlin · gap · with chart"
    assert oldest.at == "2026-03-28T12:00:00Z"
    assert (newest.actor, newest.action, newest.detail) == ("UBOB", "unsubscribe", "")


def test_a_subscription_whose_entry_fails_is_not_made(store: Store) -> None:
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        subs.subscribe(store, TEAM, "CCX", weekly(), "gap", "UADMIN", NOW)
    assert subs.channel_subscription(store, TEAM, "CCX") is None
    assert table_counts(store)["subscriptions"] == 0


def test_a_changed_subscription_whose_entry_fails_stays_as_it_was(store: Store) -> None:
    first = subs.subscribe(store, TEAM, "CCX", weekly(), "gap", "UADMIN", NOW)
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        subs.subscribe(store, TEAM, "CCX", weekly("friday 17:00 UTC"), "gap", "UBOB", NOW)
    assert subs.channel_subscription(store, TEAM, "CCX") == first
    assert entries(store) == [("UADMIN", "subscribe", "CCX")]


def test_an_unsubscription_whose_entry_fails_leaves_the_digest_on(store: Store) -> None:
    first = subs.subscribe(store, TEAM, "CCX", weekly(), "gap", "UADMIN", NOW)
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        subs.unsubscribe(store, TEAM, "CCX", actor="UADMIN")
    assert subs.channel_subscription(store, TEAM, "CCX") == first
    assert entries(store) == [("UADMIN", "subscribe", "CCX")]


# --- forgetting a wave -------------------------------------------------------------------


def test_forgetting_is_recorded_once(store: Store, import_rows: Importer) -> None:
    import_rows(ROWS, wave="w1")
    import_rows(ROWS, wave="w2")
    waves.forget_wave(store, TEAM, None, "w1", actor="UADMIN")
    assert entries(store)[0] == ("UADMIN", "forget", "tiny/w1")
    assert [action for _, action, _ in entries(store)] == ["forget", "import", "import"]


def test_a_forgetting_whose_entry_fails_deletes_nothing(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")
    before = table_counts(store)
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        waves.forget_wave(store, TEAM, None, "w1", actor="UADMIN")
    assert table_counts(store) == before


# --- a Slack upload, imported in its child process ---------------------------------------

PULSE_CSV = b"id,mine,theirs\n1,Agree,Disagree\n2,Agree,Agree\n"


@pytest.fixture
def child_settings(tmp_path: Path) -> Settings:
    """Settings naming a database file, which the import child opens too."""
    return Settings(_env_file=None, database_path=tmp_path / "empathy.db")  # type: ignore[call-arg]


@pytest.fixture
def on_disk(child_settings: Settings) -> Iterator[Store]:
    store = Store.open(child_settings.database_path)
    yield store
    store.close()


def test_an_upload_is_recorded_once_under_the_name_it_was_sent_with(
    child_settings: Settings, on_disk: Store
) -> None:
    # the child reads the file as "Pulse _March_.csv"; the entry names it as it was sent
    pending = pending_upload(on_disk, "Pulse (March).csv", PULSE_CSV)
    outcome = uploads._import(child_settings, on_disk, "UADMIN", pending, "pulse", "w1")
    assert outcome.message.text.startswith("Imported wave 'w1' of survey 'pulse'")
    [entry] = audit.read(on_disk, TEAM)
    assert (entry.actor, entry.action, entry.target) == ("UADMIN", "import", "pulse/w1")
    assert entry.detail == "2 respondents from Pulse (March).csv"


def test_an_upload_whose_entry_fails_imports_nothing_and_keeps_the_upload(
    child_settings: Settings, on_disk: Store
) -> None:
    pending = pending_upload(on_disk, "pulse.csv", PULSE_CSV)
    refuse_audit_entries(on_disk)
    before = table_counts(on_disk)
    outcome = uploads._import(child_settings, on_disk, "UADMIN", pending, "pulse", "w1")
    assert "something went wrong on our side" in outcome.message.text  # no traceback
    assert table_counts(on_disk) == before  # no wave, no entry, the upload still there
    assert pending_imports.claim(on_disk, TEAM, pending.id)  # released for another try


# --- through the edges (before issue 18 they wrote the entry after the change's commit) ----


def test_an_import_at_the_terminal_whose_entry_fails_leaves_no_wave(
    run: CliRun, db_path: Path, tmp_path: Path
) -> None:
    codebook = tmp_path / "tiny.toml"
    codebook.write_text(TINY_CODEBOOK, encoding="utf-8")
    export = tmp_path / "spring.csv"
    export.write_text(rows_csv(ROWS), encoding="utf-8")
    store = Store.open(db_path)
    refuse_audit_entries(store)
    store.close()
    for command in (["import", str(export), "--codebook", str(codebook)], ["demo"]):
        failed = run(*command)
        # a failure of ours at the terminal: a reference, the traceback kept in a file
        assert failed.exit_code == 1, failed.output
        assert "something went wrong on our side (reference " in failed.output
    store = Store.open(db_path)
    assert table_counts(store)["waves"] == 0
    assert entries(store, "local") == []
    store.close()


def test_a_subscription_command_whose_entry_fails_changes_nothing(
    store: Store, import_rows: Importer
) -> None:
    import_rows(ROWS, wave="w1")  # something for a digest to answer from

    def command(text: str, channel: str = "CCX") -> str:
        return subscribe.handle(SETTINGS, store, CLIENT, TEAM, channel, "UADMIN", text).text

    assert command("subscribe weekly monday 09:00 UTC").startswith("Subscribed")
    refuse_audit_entries(store)
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        command("unsubscribe")
    with pytest.raises(sqlite3.IntegrityError, match=REFUSAL):
        command("subscribe weekly friday 17:00 UTC", channel="CNEW")
    assert subs.channel_subscription(store, TEAM, "CNEW") is None
    assert command("subscriptions").startswith("Digest weekly on Monday at 09:00 UTC")
    assert entries(store) == [("UADMIN", "subscribe", "CCX"), ("cli:test", "import", "tiny/w1")]


# --- no edge writes the log --------------------------------------------------------------


def test_no_edge_writes_audit_entries_itself() -> None:
    """The Slack and command-line edges name the actor; only the library writes entries."""
    writers = {"record", "record_import"}
    bot = Path(__file__).parents[1] / "bot"
    found = []
    for path in sorted(bot.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            written = isinstance(node, ast.Attribute) and node.attr in writers
            if written and isinstance(node.value, ast.Name) and node.value.id == "audit":
                found.append(f"{path.relative_to(bot.parent)}:{node.lineno}")
    assert found == []

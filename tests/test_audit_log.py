"""insights.store.audit: an append-only, per-workspace log of who changed what, and when."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import TEAM, Writer

import insights.store.database as store_module
from insights import Store
from insights.ingest.codebook import Codebook
from insights.ingest.importer import ImportSummary, import_file
from insights.store import audit
from insights.store.database import _MIGRATIONS

NOON = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)


def test_entries_are_read_newest_first_and_per_team(store: Store) -> None:
    audit.record(store, TEAM, "UADMIN", "import", "tiny/w1", "3 respondents", now=NOON)
    audit.record(store, "T-OTHER", "UELSE", "forget", "tiny/w1", now=NOON)
    audit.record(store, TEAM, "UBOB", "subscribe", "CGENERAL", "weekly", now=NOON)
    entries = audit.read(store, TEAM)
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("UBOB", "subscribe", "CGENERAL"),
        ("UADMIN", "import", "tiny/w1"),
    ]
    assert entries[1].detail == "3 respondents"
    assert entries[1].at == "2026-03-28T12:00:00Z" and entries[1].when == NOON
    assert [e.actor for e in audit.read(store, "T-OTHER")] == ["UELSE"]
    assert audit.read(store, "T-NOBODY") == []


def test_the_limit_keeps_the_newest(store: Store) -> None:
    for n in range(30):
        audit.record(store, TEAM, "UADMIN", "subscribe", f"C{n}")
    latest = audit.read(store, TEAM, limit=3)
    assert [e.target for e in latest] == ["C29", "C28", "C27"]
    assert len(audit.read(store, TEAM)) == audit.DEFAULT_LIMIT == 25
    with pytest.raises(ValueError):
        audit.read(store, TEAM, limit=0)


def test_the_log_is_append_only(store: Store) -> None:
    audit.record(store, TEAM, "UADMIN", "import", "tiny/w1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("UPDATE audit_log SET actor = 'UMALLORY'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM audit_log")
    assert [e.actor for e in audit.read(store, TEAM)] == ["UADMIN"]


def test_inside_a_transaction_the_entry_shares_its_fate(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        audit.record(store, TEAM, "UADMIN", "forget", "tiny/w1")
        raise RuntimeError("the change failed")
    assert audit.read(store, TEAM) == []
    with store.transaction():
        audit.record(store, TEAM, "UADMIN", "forget", "tiny/w1")
    assert len(audit.read(store, TEAM)) == 1
    assert not store.db.conn.in_transaction  # outside one, it commits on its own
    audit.record(store, TEAM, "UADMIN", "unsubscribe", "CGENERAL")
    assert not store.db.conn.in_transaction


def test_nonsense_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(store, TEAM, "UADMIN", "sudo", "everything")
    with pytest.raises(ValueError, match="actor"):
        audit.record(store, TEAM, " ", "import", "tiny/w1")
    assert audit.read(store, TEAM) == []


def test_an_import_is_recorded_as_import_or_replace(
    store: Store, tiny_codebook: Codebook, write_csv: Writer
) -> None:
    rows = [[1, "north", "x", "Agree", "Agree", "Yes"], [2, "south", "y", "Agree", "Neutral", "No"]]
    import_file(store, write_csv(rows, "w1.csv"), tiny_codebook, team_id=TEAM, actor="UADMIN")
    again = write_csv(rows[:1], "w1.csv")
    import_file(store, again, tiny_codebook, team_id=TEAM, actor="cli:ana")
    newest, oldest = audit.read(store, TEAM)
    assert (oldest.action, oldest.target, oldest.detail) == (
        "import",
        "tiny/w1",
        "2 respondents from w1.csv",
    )
    assert (newest.action, newest.actor, newest.detail) == (
        "replace",
        "cli:ana",
        "1 respondent from w1.csv",
    )
    assert newest.from_cli and not oldest.from_cli


def test_record_import_without_a_source(store: Store) -> None:
    summary = ImportSummary("s", "w", 5, 10, ["care"], replaced=False)
    assert audit.record_import(store, TEAM, "UADMIN", summary).detail == "5 respondents"


def test_the_cli_actor_names_the_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "ana")
    assert audit.cli_actor() == "cli:ana"

    def nobody() -> str:
        raise OSError("no user")

    monkeypatch.setattr(audit.getpass, "getuser", nobody)
    assert audit.cli_actor() == "cli:unknown"


def test_migration_6_upgrades_a_version_5_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "e.db"
    with monkeypatch.context() as patched:
        patched.setattr(store_module, "_MIGRATIONS", _MIGRATIONS[:5])
        Store.open(path).close()
    store = Store.open(path, migrate=False)
    assert store.schema_version == 5
    assert store.migrate() == list(range(6, _MIGRATIONS[-1][0] + 1))
    audit.record(store, TEAM, "UADMIN", "import", "tiny/w1")
    assert len(audit.read(store, TEAM)) == 1
    store.close()

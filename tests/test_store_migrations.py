"""The SQLite store: pragmas, versioned migrations, and transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support import Importer, table_counts

from insights import Store, StoreError
from insights.store.database import _MIGRATIONS

NEWEST = _MIGRATIONS[-1][0]


def test_file_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 15_000
    store.close()


def test_memory_database_has_foreign_keys(store: Store) -> None:
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO waves (survey_id, label, ordinal) VALUES (999, 'x', 1)")


def test_schema_version_and_tables(store: Store) -> None:
    assert store.schema_version == NEWEST
    versions = store.db.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert versions == [(version, name) for version, name, _ in _MIGRATIONS]
    assert versions[:2] == [(1, "survey data"), (2, "bot state")]
    assert [v for v, _ in versions] == list(range(1, NEWEST + 1))  # no gaps, in order
    assert set(table_counts(store)) >= {
        "surveys",
        "waves",
        "questions",
        "segments",
        "respondents",
        "thread_context",
        "slack_events",
        "schema_migrations",
    }
    assert not {"answers", "respondent_segments"} & set(table_counts(store))  # gone in 7


def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    first = Store.open(path, migrate=False)
    assert first.schema_version == 0
    assert first.migrate() == list(range(1, NEWEST + 1))
    dumped = list(first.db.conn.iterdump())
    assert first.migrate() == []
    assert list(first.db.conn.iterdump()) == dumped
    first.close()
    again = Store.open(path)
    assert again.schema_version == NEWEST
    assert list(again.db.conn.iterdump()) == dumped
    again.close()


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    store = Store.open(path)
    future = NEWEST + 1
    store.db.execute("INSERT INTO schema_migrations (version, name) VALUES (?, 'x')", [future])
    store.close()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert f"schema version {future}, newer than this program knows ({NEWEST})" in str(caught.value)
    assert caught.value.exit_code == 4


def test_a_path_that_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cannot open the database"):
        Store.open(tmp_path / "no" / "such" / "dir" / "e.db")


def test_transaction_commits_or_rolls_back(store: Store) -> None:
    with store.transaction():
        store.db.execute("INSERT INTO surveys (team_id, name, title) VALUES ('t', 'a', 'A')")
    with pytest.raises(ZeroDivisionError), store.transaction():
        store.db.execute("INSERT INTO surveys (team_id, name, title) VALUES ('t', 'b', 'B')")
        _ = 1 / 0
    names = store.db.execute("SELECT name FROM surveys").fetchall()
    assert names == [("a",)]
    assert not store.db.conn.in_transaction


def test_deleting_a_survey_cascades(store: Store, import_rows: Importer) -> None:
    import_rows([["r1", "A", "s1", "Agree", "Agree", "Yes"]])
    store.db.execute("DELETE FROM surveys")
    counts = table_counts(store)
    for table in ("waves", "questions", "segments", "respondents", "responses_1"):
        assert counts[table] == 0, table

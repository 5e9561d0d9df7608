"""Another process holding the database's write lock: waited for briefly, then a clear
StoreError; never a half-written change."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from support import TEAM, TINY_COLUMNS, rows_csv

from insights import Store, StoreError
from insights.ingest.codebook import Codebook
from insights.ingest.importer import import_file


def hold_write_lock(path: Path, seconds: float, started: threading.Event) -> None:
    """Another connection (as another process would) keeps the write lock for a while."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO slack_events (event_id, team_id) VALUES ('held', 'T')")
    started.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    database = tmp_path / "locked.db"
    Store.open(database).close()
    return database


def test_a_short_lock_is_waited_for(path: Path) -> None:
    store = Store.open(path, busy_timeout_ms=100)
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, 0.3, started))
    holder.start()
    started.wait()
    with store.transaction():
        store.db.execute("INSERT INTO slack_events (event_id, team_id) VALUES ('mine', 'T')")
    holder.join()
    events = {row[0] for row in store.db.execute("SELECT event_id FROM slack_events")}
    assert events == {"held", "mine"}


def test_a_lock_that_stays_is_a_store_error_and_nothing_is_written(
    path: Path, tmp_path: Path, tiny_codebook: Codebook
) -> None:
    store = Store.open(path, busy_timeout_ms=50)
    csv = tmp_path / "w1.csv"
    csv.write_text(rows_csv([["r1", "A", "s1", "Agree", "Agree", "Yes"]], TINY_COLUMNS))
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, 1.5, started))
    holder.start()
    started.wait()
    with pytest.raises(StoreError, match="busy with another change") as caught:
        import_file(store, csv, tiny_codebook, team_id=TEAM, wave="w1", actor="cli:test")
    assert caught.value.exit_code == 4
    assert not store.db.conn.in_transaction
    holder.join()
    assert store.db.execute("SELECT COUNT(*) FROM respondents").fetchone()[0] == 0
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Once the lock is gone the same import goes through.
    assert (
        import_file(
            store, csv, tiny_codebook, team_id=TEAM, wave="w1", actor="cli:test"
        ).respondents
        == 1
    )


def test_an_error_inside_a_transaction_is_not_masked_by_the_rollback(path: Path) -> None:
    store = Store.open(path)
    with pytest.raises(sqlite3.OperationalError, match="no such table"), store.transaction():
        store.db.execute("INSERT INTO nowhere VALUES (1)")
    assert not store.db.conn.in_transaction

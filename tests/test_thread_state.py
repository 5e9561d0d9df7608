"""The bot's own state in the store: event claims and thread context, also while another
process keeps the database's write lock longer than a write waits."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.deps import Deps
from bot.listeners.events.conversation import first_delivery
from bot.settings import Settings
from insights import Store, StoreError
from insights.store.bot_state import claim_event, load_context, save_context


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "state.db"
    Store.open(path).close()
    opened = Store.open(path, busy_timeout_ms=50)
    yield opened
    opened.close()


@contextmanager
def write_lock_held(store: Store) -> Iterator[None]:
    """Another connection (as another process would) holds the write lock throughout."""
    path = store.db.execute("PRAGMA database_list").fetchone()[2]
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


def test_an_event_is_claimed_once(store: Store) -> None:
    assert claim_event(store, "Ev1", "T1")
    assert not claim_event(store, "Ev1", "T1")
    assert claim_event(store, "Ev2", "T1")


def test_a_claim_that_cannot_wait_any_longer_is_a_store_error(store: Store) -> None:
    with write_lock_held(store), pytest.raises(StoreError, match="busy"):
        claim_event(store, "Ev1", "T1")
    assert claim_event(store, "Ev1", "T1")  # nothing was recorded


def test_an_event_is_answered_even_when_its_claim_cannot_be_recorded(store: Store) -> None:
    deps = Deps(settings=Settings(_env_file=None), store=lambda: store)  # type: ignore[arg-type,call-arg]
    body = {"event_id": "Ev1", "team_id": "T1"}
    started = time.monotonic()
    with write_lock_held(store):
        assert first_delivery(deps, body)
    assert time.monotonic() - started < 5
    assert first_delivery(deps, body)  # still unrecorded: the next delivery is answered
    assert not first_delivery(deps, body)


def test_thread_context_that_cannot_be_saved_is_dropped_not_raised(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    save_context(store, "T1", "C1", "1.0", "gap")
    with write_lock_held(store):
        save_context(store, "T1", "C1", "1.0", "gap by role")  # does not raise
        assert load_context(store, "T1", "C1", "1.0") == "gap"  # reads are not blocked
    assert "Thread context not saved for C1/1.0" in caplog.text
    save_context(store, "T1", "C1", "1.0", "gap by role")
    assert load_context(store, "T1", "C1", "1.0") == "gap by role"


def test_a_lock_released_within_the_wait_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = Store.open(path)  # the default wait
    taken = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(0.5)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    assert claim_event(store, "Ev1", "T1")
    holder.join()
    store.close()

"""The bot's conversation state, in the tables of the store's migration 2 ("bot state"), so
it survives restarts and is shared by workers. Only this module reads or writes them.

* thread context: the canonical query of a thread's last answer, for follow-ups;
* event de-duplication: a chat platform re-sends events it believes were lost; the first
  delivery claims the ``event_id`` and every later delivery of the same id is ignored.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta

from insights.errors import StoreError
from insights.store.database import Store

logger = logging.getLogger(__name__)

# How long a claimed event id is remembered; Slack retries within minutes.
EVENT_MEMORY = timedelta(days=1)


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def claim_event(store: Store, event_id: str, team_id: str | None) -> bool:
    """Record ``event_id`` as being answered; ``False`` if a delivery already claimed it.

    The primary key makes the claim atomic across threads and worker processes, so a retry
    that arrives while the first delivery is still being processed is refused too. Raises
    StoreError when another writer (a long import) keeps the database past the wait.
    """
    with store.transaction() as db:
        db.execute(
            "DELETE FROM slack_events WHERE received_at < ?", [_stamp(_now() - EVENT_MEMORY)]
        )
        try:
            cursor = db.execute(
                "INSERT OR IGNORE INTO slack_events (event_id, team_id, received_at)"
                " VALUES (?, ?, ?)",
                [event_id, team_id, _stamp(_now())],
            )
        except sqlite3.IntegrityError:
            return False
        return cursor.rowcount == 1


def load_context(store: Store, team_id: str, channel_id: str, thread_ts: str) -> str | None:
    """The canonical query last answered in this thread, if any."""
    row = store.db.conn.execute(
        "SELECT query FROM thread_context WHERE team_id = ? AND channel_id = ? AND thread_ts = ?",
        [team_id, channel_id, thread_ts],
    ).fetchone()
    return str(row[0]) if row else None


def save_context(store: Store, team_id: str, channel_id: str, thread_ts: str, query: str) -> None:
    """Remember ``query`` as this thread's context (replacing any earlier one). If another
    writer keeps the database past the wait, the thread forgets it: follow-ups then need
    the whole question, which beats losing the answer."""
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT INTO thread_context (team_id, channel_id, thread_ts, query, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, channel_id, thread_ts)"
                " DO UPDATE SET query = excluded.query, updated_at = excluded.updated_at",
                [team_id, channel_id, thread_ts, query, _stamp(_now())],
            )
    except StoreError as error:
        logger.warning("Thread context not saved for %s/%s: %s", channel_id, thread_ts, error)

"""The misses log: questions the bot could not answer, per workspace, so admins can see
what people ask that it does not understand yet (``/empathy misses``, ``empathy misses``).

Invariants:

* Nothing about the asker is stored: no user, no channel, no thread. A row is the
  workspace (``team_id``), the question's normalised text (Slack mentions removed, so not
  even a mentioned user's id), why it missed, how often and when first and last.
* One row per workspace, text and reason; asking again counts it (``count`` + 1).
* A workspace keeps at most :data:`MAX_MISSES_PER_TEAM` rows: recording one more drops the
  least recently seen, in the same transaction.
* Recording never stops an answer: a busy or unwritable database is logged and skipped.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import UTC, datetime

from insights.answers.findings import Listing
from insights.errors import StoreError
from insights.store.database import Store

logger = logging.getLogger(__name__)

MAX_MISSES_PER_TEAM = 200
MAX_TEXT = 200
MAX_REASON = 40
NOT_UNDERSTOOD = "not understood"
FALLBACK = "fallback"
NEGATIVE_FEEDBACK = "negative feedback"
TITLE = "Questions I could not answer"

# Slack's references to people and places: users <@U1|name>, channels <#C1|name>, user
# groups and broadcasts <!subteam^S1> <!here>. They say who asked or where, not what.
_SLACK_REFERENCE = re.compile(r"<[@#!][^>]*>")


def without_references(text: str) -> str:
    """``text`` with every Slack reference to a person or place replaced by a space."""
    return _SLACK_REFERENCE.sub(" ", text)


def normalise(text: str) -> str:
    """What is stored for ``text``: Slack references removed, whitespace collapsed, case
    folded, at most :data:`MAX_TEXT` characters."""
    folded = " ".join(without_references(text).split()).casefold()
    return folded[:MAX_TEXT].rstrip()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_miss(
    store: Store, team_id: str, text: str, reason: str, *, now: datetime | None = None
) -> None:
    """Count one miss of ``text`` for ``reason`` in ``team_id``'s log, and keep the log
    within its bound. Text that is empty once normalised is not recorded.

    Inside a caller's transaction it is part of that transaction; otherwise it is one
    transaction of its own. A busy or unwritable database is logged, never raised.
    """
    question, why = normalise(text), " ".join(reason.split())[:MAX_REASON]
    if not why:
        raise ValueError("a miss needs a reason, such as 'not understood'")
    if not question:
        return
    stamp = _stamp(now or datetime.now(UTC))
    try:
        if store.db.conn.in_transaction:
            _upsert_and_prune(store, team_id, question, why, stamp)
        else:
            with store.transaction():
                _upsert_and_prune(store, team_id, question, why, stamp)
    except (StoreError, sqlite3.OperationalError) as error:
        logger.warning("A question was not added to the misses log: %s", error)


def _upsert_and_prune(store: Store, team_id: str, text: str, reason: str, stamp: str) -> None:
    conn = store.db.conn
    conn.execute(
        "INSERT INTO misses (team_id, text, reason, count, first_seen, last_seen)"
        " VALUES (?, ?, ?, 1, ?, ?)"
        " ON CONFLICT (team_id, text, reason)"
        " DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
        [team_id, text, reason, stamp, stamp],
    )
    # Least recently seen go first; among equals, the older row (smaller id).
    conn.execute(
        "DELETE FROM misses WHERE team_id = ? AND id NOT IN ("
        " SELECT id FROM misses WHERE team_id = ?"
        " ORDER BY last_seen DESC, id DESC LIMIT ?)",
        [team_id, team_id, MAX_MISSES_PER_TEAM],
    )


def top_misses(store: Store, team_id: str, limit: int = 10) -> Listing:
    """``team_id``'s most frequent misses, most frequent first (ties: most recent first),
    each with its count, reason and the day it was last asked (UTC)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    rows = store.db.conn.execute(
        "SELECT text, reason, count, last_seen FROM misses WHERE team_id = ?"
        " ORDER BY count DESC, last_seen DESC, id DESC LIMIT ?",
        [team_id, limit],
    ).fetchall()
    if not rows:
        return Listing(
            TITLE, (), footer="Questions I cannot answer are listed here, never who asked."
        )
    items = tuple(
        (str(text), f"{_times(int(count))} · {reason} · last {str(last_seen)[:10]}")
        for text, reason, count, last_seen in rows
    )
    footer = (
        f"Most frequent first; who asked is never recorded. The log keeps the"
        f" {MAX_MISSES_PER_TEAM} most recently asked."
    )
    return Listing(TITLE, items, footer=footer)


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"

"""Feedback on answers to questions in plain words: was the question read right?

A person's thumbs up or down on an answer is recorded as what it is about — the question's
text and the strict query it was read as — so admins and the rules learn which readings
work. A thumbs down also joins the misses log (:mod:`insights.answers.misses`), where
``/empathy misses`` shows it to admins.

Invariants:

* Nothing about the person is stored: no user, no channel, no message. A row is the
  workspace (``team_id``), the question's normalised text (Slack references removed, as
  in the misses log), its strict reading (references removed, whitespace collapsed,
  bounded), the verdict and when it was given (UTC, to the second).
* Every click is a row; nothing is deduplicated. Slack lets a person give one verdict per
  message, and the same question asked and judged again is a second, independent verdict.
* A workspace keeps at most :data:`MAX_FEEDBACK_PER_TEAM` rows: recording one more drops
  the least recently given, in the same transaction as the verdict (and its miss).
* A question empty once normalised is not recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime

from insights.answers.misses import NEGATIVE_FEEDBACK, normalise, record_miss, without_references
from insights.store.database import Store

MAX_FEEDBACK_PER_TEAM = 1000
MAX_READING = 300


def plain_reading(reading: str) -> str:
    """A strict reading as stored: Slack references (users, channels, broadcasts) removed,
    whitespace collapsed, case kept (values are named in their own case), bounded."""
    return " ".join(without_references(reading).split())[:MAX_READING].rstrip()


def record_feedback(
    store: Store,
    team_id: str,
    question: str,
    reading: str,
    helpful: bool,
    *,
    now: datetime | None = None,
) -> bool:
    """Record one verdict on how ``question`` was read (as the strict query ``reading``)
    in ``team_id``; a negative one is also counted as a miss of ``question``. Returns
    whether anything was recorded (False for a question empty once normalised).

    One transaction (or part of the caller's). A busy database raises ``StoreError``,
    whose message the person can be shown: unlike a miss, a verdict was asked for.
    """
    said = normalise(question)
    if not said:
        return False
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if store.db.conn.in_transaction:
        _insert_and_prune(store, team_id, said, plain_reading(reading), helpful, moment)
    else:
        with store.transaction():
            _insert_and_prune(store, team_id, said, plain_reading(reading), helpful, moment)
    return True


def _insert_and_prune(
    store: Store, team_id: str, question: str, reading: str, helpful: bool, moment: datetime
) -> None:
    conn = store.db.conn
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    conn.execute(
        "INSERT INTO feedback (team_id, question, reading, helpful, given_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [team_id, question, reading, int(helpful), stamp],
    )
    # Least recently given go first; among equals, the older row (smaller id).
    conn.execute(
        "DELETE FROM feedback WHERE team_id = ? AND id NOT IN ("
        " SELECT id FROM feedback WHERE team_id = ?"
        " ORDER BY given_at DESC, id DESC LIMIT ?)",
        [team_id, team_id, MAX_FEEDBACK_PER_TEAM],
    )
    if not helpful:
        record_miss(store, team_id, question, NEGATIVE_FEEDBACK, now=moment)

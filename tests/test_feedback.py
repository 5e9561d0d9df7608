"""Feedback on answers to questions in plain words (insights.answers.feedback): recorded
with the question and its strict reading, never the person; a thumbs down joins the misses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from insights import Store, StoreError, top_misses
from insights.answers import MAX_FEEDBACK_PER_TEAM, record_feedback
from insights.answers import feedback as feedback_module
from insights.answers.misses import NEGATIVE_FEEDBACK

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
# What Slack would say about the person and the place: none may be stored.
USER, OTHER_USER, CHANNEL = "UALICE42", "UBOB77", "CGENERAL9"
QUESTION = f"<@{USER}> how do <@{OTHER_USER}|bob>'s consultants feel in <#{CHANNEL}|general>?"


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open(":memory:")
    yield opened
    opened.close()


def every_value(store: Store, table: str) -> list[object]:
    cursor = store.db.conn.execute(f"SELECT * FROM {table}")
    return [value for row in cursor.fetchall() for value in row]


def feedback_rows(store: Store) -> list[tuple[str, str, str, int, str]]:
    rows = store.db.conn.execute(
        "SELECT team_id, question, reading, helpful, given_at FROM feedback ORDER BY id"
    )
    return [(str(t), str(q), str(r), int(h), str(g)) for t, q, r, h, g in rows]


def test_a_thumbs_up_is_a_row_of_the_question_its_reading_the_verdict_and_when(
    store: Store,
) -> None:
    assert record_feedback(store, "T1", "How are  we doing?", "gap", True, now=T0)
    assert feedback_rows(store) == [("T1", "how are we doing?", "gap", 1, "2024-05-01T09:00:00Z")]
    assert every_value(store, "misses") == []  # a reading that helped is not a miss


def test_a_thumbs_down_also_joins_the_misses_admins_see(store: Store) -> None:
    record_feedback(store, "T1", "Who feels it most?", "gap by role widest", False, now=T0)
    assert [row[3] for row in feedback_rows(store)] == [0]
    listing = top_misses(store, "T1")
    assert [(text, NEGATIVE_FEEDBACK in said) for text, said in listing.items] == [
        ("who feels it most?", True)
    ]


def test_no_row_holds_who_clicked_or_where(store: Store) -> None:
    reading = f"gap role=Consultant <@{USER}> <#{CHANNEL}>"
    for helpful in (True, False):
        record_feedback(store, "T1", QUESTION, reading, helpful, now=T0)
    columns = {row[1] for row in store.db.conn.execute("PRAGMA table_info(feedback)")}
    assert columns == {"id", "team_id", "question", "reading", "helpful", "given_at"}
    stored = every_value(store, "feedback") + every_value(store, "misses")
    assert stored, "nothing was recorded"
    for value in stored:
        for secret in (USER, OTHER_USER, CHANNEL, "<@", "<#"):
            assert secret.casefold() not in str(value).casefold(), (secret, value)
    assert feedback_rows(store)[0][1] == "how do 's consultants feel in ?"
    assert feedback_rows(store)[0][2] == "gap role=Consultant"  # case kept


def test_every_click_is_its_own_verdict(store: Store) -> None:
    for minutes in range(3):
        record_feedback(
            store,
            "T1",
            "what about Europe?",
            "gap region=Europe",
            False,
            now=T0 + timedelta(minutes=minutes),
        )
    assert len(feedback_rows(store)) == 3
    [(text, said)] = top_misses(store, "T1").items
    assert text == "what about europe?" and said.startswith("3 times")


def test_a_question_of_only_mentions_is_not_recorded(store: Store) -> None:
    assert not record_feedback(store, "T1", f"<@{USER}>  <!here>", "gap", False, now=T0)
    assert every_value(store, "feedback") == [] and every_value(store, "misses") == []


def test_text_and_reading_are_bounded(store: Store) -> None:
    record_feedback(store, "T1", "why " * 500, "gap " + "x" * 5000, True, now=T0)
    [(_, question, reading, _, _)] = feedback_rows(store)
    assert len(question) <= 200 and len(reading) <= feedback_module.MAX_READING


def test_each_workspace_keeps_its_most_recent_verdicts(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert MAX_FEEDBACK_PER_TEAM >= 100
    monkeypatch.setattr(feedback_module, "MAX_FEEDBACK_PER_TEAM", 3)
    record_feedback(store, "T2", "other workspace", "gap", True, now=T0)
    for day in range(5):
        record_feedback(store, "T1", f"question {day}", "gap", True, now=T0 + timedelta(days=day))
    kept = [row[1] for row in feedback_rows(store) if row[0] == "T1"]
    assert kept == ["question 2", "question 3", "question 4"]
    assert [row[1] for row in feedback_rows(store) if row[0] == "T2"] == ["other workspace"]


def test_inside_a_callers_transaction_it_rolls_back_with_it(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        record_feedback(store, "T1", "how are we doing?", "gap", False, now=T0)
        raise RuntimeError("the caller failed")
    assert every_value(store, "feedback") == [] and every_value(store, "misses") == []


def test_a_busy_database_is_said_not_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    holder, waiting = Store.open(path), Store.open(path, busy_timeout_ms=50)
    try:
        holder.db.conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError):
            record_feedback(waiting, "T1", "how are we doing?", "gap", False, now=T0)
        holder.db.conn.execute("ROLLBACK")
        assert every_value(waiting, "feedback") == []
    finally:
        holder.close()
        waiting.close()

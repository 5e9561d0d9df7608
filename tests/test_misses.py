"""The misses log: questions the bot could not answer, counted per workspace, bounded, and
never with who asked."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from insights import Store, record_miss, top_misses
from insights.answers.misses import MAX_MISSES_PER_TEAM, MAX_TEXT, normalise
from insights.answers.render import render, to_text

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Store:
    return Store.open(":memory:")


def rows(store: Store, team_id: str = "T1") -> list[tuple[str, str, int]]:
    return [
        (str(text), str(reason), int(count))
        for text, reason, count in store.db.conn.execute(
            "SELECT text, reason, count FROM misses WHERE team_id = ? ORDER BY id", [team_id]
        )
    ]


def test_mentions_are_removed_whitespace_collapsed_and_case_folded() -> None:
    said = (
        "<@U123ABC>   What FRACTION\n think <@U999|bob> their\tcompany"
        " <#C42|general> tracks <!here>"
    )
    assert normalise(said) == "what fraction think their company tracks"


def test_text_is_capped() -> None:
    assert len(normalise("why " * 200)) <= MAX_TEXT
    assert normalise("x" * 500) == "x" * MAX_TEXT


def test_the_same_question_is_counted_not_repeated(store: Store) -> None:
    record_miss(store, "T1", "What fraction think their company tracks?", "not understood", now=T0)
    later = T0 + timedelta(days=2)
    record_miss(
        store,
        "T1",
        "<@UBOT> what  fraction think their COMPANY tracks?",
        "not understood",
        now=later,
    )
    assert rows(store) == [("what fraction think their company tracks?", "not understood", 2)]
    first, last = store.db.conn.execute("SELECT first_seen, last_seen FROM misses").fetchone()
    assert (first, last) == ("2024-05-01T09:00:00Z", "2024-05-03T09:00:00Z")


def test_a_different_reason_is_its_own_row(store: Store) -> None:
    record_miss(store, "T1", "gap for martians", "not understood", now=T0)
    record_miss(store, "T1", "gap for martians", "negative feedback", now=T0)
    assert sorted(rows(store)) == [
        ("gap for martians", "negative feedback", 1),
        ("gap for martians", "not understood", 1),
    ]


def test_empty_text_is_not_recorded_and_a_reason_is_required(store: Store) -> None:
    record_miss(store, "T1", "  <@U123>  ", "not understood", now=T0)
    assert rows(store) == []
    with pytest.raises(ValueError):
        record_miss(store, "T1", "gap", "  ", now=T0)


def test_a_workspace_keeps_only_the_most_recently_seen(store: Store) -> None:
    for i in range(MAX_MISSES_PER_TEAM + 25):
        record_miss(store, "T1", f"question {i}", "not understood", now=T0 + timedelta(minutes=i))
    # The oldest question is asked again: it is recent now, so it stays.
    record_miss(store, "T1", "question 0", "not understood", now=T0 + timedelta(days=1))
    kept = {text for text, _, _ in rows(store)}
    assert len(kept) == MAX_MISSES_PER_TEAM
    assert "question 0" in kept
    # 225 asked, so 0 to 24 were dropped; 0 came back and pushed out 25.
    assert not {f"question {i}" for i in range(1, 26)} & kept
    assert "question 26" in kept and f"question {MAX_MISSES_PER_TEAM + 24}" in kept


def test_pruning_one_workspace_never_touches_another(store: Store) -> None:
    record_miss(store, "T2", "their only question", "fallback", now=T0 - timedelta(days=30))
    for i in range(MAX_MISSES_PER_TEAM + 5):
        record_miss(store, "T1", f"question {i}", "not understood", now=T0 + timedelta(minutes=i))
    assert rows(store, "T2") == [("their only question", "fallback", 1)]


def test_workspaces_see_only_their_own_misses(store: Store) -> None:
    record_miss(store, "T1", "gap for our secret project", "not understood", now=T0)
    record_miss(store, "T2", "gap for theirs", "not understood", now=T0)
    assert [name for name, _ in top_misses(store, "T1").items] == ["gap for our secret project"]
    assert [name for name, _ in top_misses(store, "T2").items] == ["gap for theirs"]
    assert top_misses(store, "T3").items == ()


def test_no_column_can_hold_who_asked_or_where(store: Store) -> None:
    columns = {row[1] for row in store.db.conn.execute("PRAGMA table_info(misses)")}
    assert columns == {"id", "team_id", "text", "reason", "count", "first_seen", "last_seen"}
    record_miss(store, "T1", "<@UALICE> in <#CSECRET|hr> who said no?", "not understood", now=T0)
    stored = " ".join(str(v) for v in store.db.conn.execute("SELECT * FROM misses").fetchone())
    assert "UALICE" not in stored and "CSECRET" not in stored


def test_the_listing_is_most_frequent_first_with_count_reason_and_date(store: Store) -> None:
    for _ in range(3):
        record_miss(store, "T1", "how many think we track it", "fallback", now=T0)
    record_miss(store, "T1", "gap w/o managers", "not understood", now=T0 + timedelta(days=3))
    listing = top_misses(store, "T1")
    assert listing.title == "Questions I could not answer"
    assert listing.items == (
        ("how many think we track it", "3 times · fallback · last 2024-05-01"),
        ("gap w/o managers", "once · not understood · last 2024-05-04"),
    )
    text = to_text(listing)
    assert text.index("how many think we track it") < text.index("gap w/o managers")
    assert render(listing).blocks  # the existing renderer draws it for Slack too


def test_the_listing_is_limited(store: Store) -> None:
    for i in range(5):
        record_miss(store, "T1", f"question {i}", "not understood", now=T0)
    assert len(top_misses(store, "T1", limit=2).items) == 2
    with pytest.raises(ValueError):
        top_misses(store, "T1", limit=0)


def test_an_empty_log_says_so(store: Store) -> None:
    listing = top_misses(store, "T1")
    assert listing.items == ()
    assert "Nothing yet." in to_text(listing)


def test_a_busy_database_is_logged_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "busy.db"
    Store.open(path).close()
    store = Store.open(path, busy_timeout_ms=20)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level(logging.WARNING, logger="insights.answers.misses"):
            record_miss(store, "T1", "gap for martians", "not understood", now=T0)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "not added to the misses log" in caplog.text
    assert rows(store) == []

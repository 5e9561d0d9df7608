"""insights.ingest.pending: uploads waiting for Import or Cancel, kept per workspace in the
store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from insights import Store
from insights.ingest import pending as pi

NOW = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)


def make(store: Store, team: str = "T1", **changes: Any) -> pi.PendingImport:
    fields: dict[str, Any] = {
        "team_id": team,
        "user_id": "UADMIN",
        "channel_id": "DADMIN",
        "thread_ts": "1700000000.000100",
        "file_name": "wave 3.csv",
        "content": b"id,q1\n1,Agree\n\x00binary-safe",
        "codebook": "[survey]\nname = 'cx'\n",
        "survey": "cx",
        "wave": "wave 3",
        "now": NOW,
    }
    fields.update(changes)
    return pi.create(store, **fields)


def test_create_and_get_round_trip(store: Store) -> None:
    made = make(store)
    got = pi.get(store, "T1", made.id, now=NOW)
    assert got == made
    assert got.content.endswith(b"\x00binary-safe")
    assert (got.survey, got.wave, got.codebook_format) == ("cx", "wave 3", "toml")
    assert got.expires_at == NOW + pi.TTL
    assert len(made.id) >= 16  # unguessable, not a counter


def test_another_team_sees_nothing(store: Store) -> None:
    made = make(store, "T1")
    assert pi.get(store, "T2", made.id, now=NOW) is None
    assert pi.in_thread(store, "T2", "DADMIN", "1700000000.000100", now=NOW) is None
    assert pi.update(store, "T2", made.id, survey="stolen", now=NOW) is None
    assert not pi.claim(store, "T2", made.id, now=NOW)
    assert not pi.delete(store, "T2", made.id)
    assert pi.get(store, "T1", made.id, now=NOW) == made  # untouched


def test_in_thread_finds_the_newest_upload_of_that_thread(store: Store) -> None:
    make(store, file_name="old.csv")
    newer = make(store, file_name="new.csv", now=NOW + timedelta(minutes=1))
    make(store, thread_ts="1700000000.999999", file_name="elsewhere.csv")
    found = pi.in_thread(store, "T1", "DADMIN", "1700000000.000100", now=NOW + timedelta(minutes=2))
    assert found is not None and found.id == newer.id


def test_update_changes_only_the_given_fields(store: Store) -> None:
    made = make(store, thread_ts="")
    updated = pi.update(
        store,
        "T1",
        made.id,
        thread_ts="17.1",
        codebook="survey:\n  name: x\n",
        codebook_format="yaml",
        now=NOW,
    )
    assert updated is not None
    assert (updated.thread_ts, updated.codebook_format) == ("17.1", "yaml")
    assert (updated.survey, updated.wave, updated.content) == (made.survey, made.wave, made.content)


def test_a_claim_is_exclusive_until_released_or_stale(store: Store) -> None:
    made = make(store)
    assert pi.claim(store, "T1", made.id, now=NOW)
    assert not pi.claim(store, "T1", made.id, now=NOW + timedelta(seconds=5))
    pi.release(store, "T1", made.id)
    assert pi.claim(store, "T1", made.id, now=NOW + timedelta(seconds=6))
    # A claim left behind by a process that died is taken over after a while.
    later = NOW + pi.STALE_CLAIM + timedelta(minutes=1)
    assert pi.claim(store, "T1", made.id, now=later)


def test_delete(store: Store) -> None:
    made = make(store)
    assert pi.delete(store, "T1", made.id)
    assert not pi.delete(store, "T1", made.id)
    assert pi.get(store, "T1", made.id, now=NOW) is None


def test_expired_uploads_are_invisible_then_removed(store: Store) -> None:
    made = make(store)
    other = make(store, "T2", now=NOW + timedelta(days=1))
    after = NOW + pi.TTL + timedelta(seconds=1)
    assert pi.get(store, "T1", made.id, now=after) is None
    assert not pi.claim(store, "T1", made.id, now=after)
    assert pi.expire(store, now=after) == 1
    assert pi.get(store, "T2", other.id, now=after) is not None
    count = store.db.execute("SELECT COUNT(*) FROM pending_imports").fetchone()[0]
    assert count == 1

"""Which values privacy merged in a wave is worked out once and kept in the store
(``wave_merges``), so that a process starting up reads it instead of counting again; it is
kept for one version of the wave only, and keeping it never waits for another writer."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insights import Store
from insights.answers import privacy
from insights.answers.privacy import MAX_AUDIT_ATOMS, Family, WaveView
from insights.ingest.codebook import parse_codebook
from insights.ingest.exports import open_export
from insights.ingest.importer import import_export
from insights.store import columns as columns_module
from insights.store.columns import ColumnCounts, WaveColumns
from insights.store.counts import Layout, answered_column
from insights.store.database import BUSY_TIMEOUT_MS

K = 5
CODEBOOK = parse_codebook(
    """
[survey]
name = "wide"
respondent_id = "id"

[scales.yesno]
labels = ["No", "Yes"]
positive = ["Yes"]

[[questions]]
column = "q"
theme = "care"
scale = "yesno"

[[segments]]
column = "a"

[[segments]]
column = "b"

[[segments]]
column = "c"
""",
    name="wide.toml",
)


def import_wave(store: Store, directory: Path, seed: int, min_group_size: int | None = None) -> int:
    """Three segments of 30 values over 6,000 respondents: more combinations than the audit
    affords, so the widest segments merge more values."""
    rng = np.random.default_rng(seed)
    n = 6000
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(n)]})
    for name in "abc":
        weights = 1.0 / np.arange(1, 31)
        frame[name] = rng.choice(
            [f"{name}{i:02d}" for i in range(30)], n, p=weights / weights.sum()
        )
    frame["q"] = rng.choice(["Yes", "No"], n)
    path = directory / f"wave-{seed}.csv"
    frame.to_csv(path, index=False)
    import_export(
        store,
        open_export(path),
        CODEBOOK,
        team_id="T",
        wave="w1",
        actor="cli:test",
        min_group_size=min_group_size,
    )
    return int(store.db.execute("SELECT id FROM waves").fetchone()[0])


def fresh_view(store: Store, wave: int) -> WaveView:
    """The wave's view as a process starting up builds it: nothing kept in memory."""
    privacy._cache.clear()
    columns_module._kept.clear()
    layout = Layout(
        segment_ids=tuple(
            int(r[0]) for r in store.db.execute("SELECT id FROM segments ORDER BY id")
        ),
        question_ids=tuple(int(r[0]) for r in store.db.execute("SELECT id FROM questions")),
        pairs=(),
    )
    families = [Family(f"q{qid}", answered_column(qid)) for qid in layout.question_ids]
    return privacy.view(ColumnCounts(store).wave(wave, layout), layout, families, K)


def kept_rows(store: Store) -> list[tuple[int, str, int]]:
    return store.db.execute("SELECT wave_id, version, k FROM wave_merges").fetchall()


def test_merges_are_worked_out_once_then_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "e.db")
    wave = import_wave(store, tmp_path, 1)
    first = fresh_view(store, wave)
    assert len(first.atoms) <= MAX_AUDIT_ATOMS < 30**3
    assert max(merge.below for merge in first.merges.values()) > K  # it had to merge more
    assert [(w, k) for w, _, k in kept_rows(store)] == [(wave, K)]

    def counted(*_: object) -> int:
        raise AssertionError("the kept merges should have been read, not counted again")

    monkeypatch.setattr(WaveColumns, "combinations", counted)
    again = fresh_view(store, wave)
    assert again.merges == first.merges
    assert again.atoms.equals(first.atoms)


def test_a_replaced_wave_works_its_merges_out_again(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db")
    wave = import_wave(store, tmp_path, 1)
    fresh_view(store, wave)
    (before,) = kept_rows(store)
    import_wave(store, tmp_path, 2)  # same survey and wave label: replaced
    assert kept_rows(store) == []  # went with the columns they were worked out from
    replaced = int(store.db.execute("SELECT id FROM waves").fetchone()[0])
    fresh_view(store, replaced)
    (after,) = kept_rows(store)
    assert after[1] != before[1]


def test_merges_kept_for_another_version_are_not_used(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db")
    wave = import_wave(store, tmp_path, 1)
    first = fresh_view(store, wave)
    store.db.execute("UPDATE wave_merges SET version = 'stale', merges = '{}'")
    again = fresh_view(store, wave)
    assert again.merges == first.merges


def test_keeping_merges_never_waits_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    store = Store.open(path)
    wave = import_wave(store, tmp_path, 1)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.perf_counter()
        view = fresh_view(store, wave)
        waited = time.perf_counter() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(view.atoms) <= MAX_AUDIT_ATOMS
    assert kept_rows(store) == []  # not kept this time, and the answer did not wait for it
    assert waited < BUSY_TIMEOUT_MS / 1000 / 2
    (timeout,) = store.db.execute("PRAGMA busy_timeout").fetchone()
    assert timeout == BUSY_TIMEOUT_MS  # restored


def test_an_import_that_knows_k_works_the_merges_out_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "e.db")
    wave = import_wave(store, tmp_path, 1, min_group_size=K)
    assert [(w, k) for w, _, k in kept_rows(store)] == [(wave, K)]

    def counted(*_: object) -> int:
        raise AssertionError("the import's merges should have been read, not counted")

    with monkeypatch.context() as patched:
        patched.setattr(WaveColumns, "combinations", counted)
        first = fresh_view(store, wave)
    assert max(merge.below for merge in first.merges.values()) > K
    store.db.execute("DELETE FROM wave_merges")
    assert fresh_view(store, wave).merges == first.merges  # what a question works out

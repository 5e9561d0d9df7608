"""Each wave's answers as columns: one small integer per respondent, per question and per
segment, kept in SQLite BLOBs and counted with numpy.

A wave's respondents are in one fixed order (the order they were imported in); every
column of the wave lists them in that order:

* a **segment** column holds a code per respondent: 0 when the value was not stated, else
  ``i`` for ``labels[i - 1]`` (labels sorted, stored beside the column as JSON);
* a **question** column holds :data:`UNANSWERED` (0), :data:`NEGATIVE` (1) or
  :data:`POSITIVE` (2): whether the respondent answered, and whether that answer counted
  as positive under the codebook the wave was imported with.

A column set is written in the same transaction as its wave (``wave_columns`` and its
registry ``wave_column_sets`` hang off ``waves`` with ON DELETE CASCADE), so it cannot
outlive or disagree with its wave; each write gets a new ``version``, which is how every
process knows that what it has loaded is still the wave's (:class:`ColumnCounts`). The
respondent-level table (``insights.store.responses``) stays the source of truth: the column set
is derived from it (migration 11 built the sets of waves imported before columns existed
with its own frozen copy of this format, ``insights.store.migrations.m011_columns``).

Counting is vectorised: a slice of the wave is the respondents whose segment codes fall in
the asked groups, and every count the engine needs is one ``numpy.bincount`` over a
combined code (see :meth:`WaveColumns.atoms`); no Python loop ever runs over respondents.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlite_utils

from insights.store import responses
from insights.store.counts import (
    CountSource,
    KnownMerges,
    Layout,
    SqlCounts,
    WaveCounts,
    answered_column,
    both_column,
    both_positive_column,
    organization_only_column,
    personal_only_column,
    positive_column,
    segment_column,
    shaped,
)
from insights.store.database import Store

UNANSWERED, NEGATIVE, POSITIVE = 0, 1, 2
_SEGMENT, _QUESTION = "segment", "question"
logger = logging.getLogger(__name__)
_KEY_LIMIT = 1 << 62  # combined codes are re-numbered before they could overflow int64

Reported = Mapping[int, Mapping[str, str]]  # per segment id: stated value -> reported value


@dataclass(frozen=True)
class Segment:
    """One segment's column: ``codes[r]`` is 0 (not stated) or 1 + the index of the
    respondent's value in ``labels``."""

    codes: np.ndarray
    labels: tuple[str, ...]

    def values(self) -> tuple[str, ...]:
        """The value each code stands for ("" for not stated)."""
        return ("", *self.labels)


@dataclass
class WaveColumns:
    """A wave's column set, in memory."""

    respondents: int
    segments: dict[int, Segment]
    questions: dict[int, np.ndarray]
    version: str = ""
    _reported: dict[tuple[int, tuple[str, ...]], np.ndarray] = field(default_factory=dict)

    # -- what privacy needs -------------------------------------------------------------

    def sizes(self, segment_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Per segment, respondents per value ("" for not stated), values held by nobody
        left out."""
        found: dict[int, dict[str, int]] = {}
        for sid in segment_ids:
            segment = self._segment(sid)
            counts = np.bincount(segment.codes, minlength=len(segment.labels) + 1)
            found[sid] = {
                value: int(n) for value, n in zip(segment.values(), counts, strict=True) if n
            }
        return found

    def combinations(self, segment_ids: Sequence[int], reported: Reported) -> int:
        """How many distinct combinations of reported values the respondents hold."""
        if not segment_ids or not self.respondents:
            return min(self.respondents, 1)
        key, _ = self._key(segment_ids, reported)
        return len(pd.unique(key))

    def atoms(self, layout: Layout, reported: Reported) -> pd.DataFrame:
        """The wave's cells for ``layout`` with each segment's values replaced by what they
        are reported as, grouped: one row per distinct combination of reported values,
        sorted by them, with the columns of :mod:`insights.store.counts`."""
        sids = layout.segment_ids
        if not sids:
            atom, labels = np.zeros(self.respondents, dtype=np.int64), {}
            count = 1
        else:
            key, per_segment = self._key(sids, reported)
            atom, _ = pd.factorize(key, sort=False)
            count = int(atom.max()) + 1 if len(atom) else 0
            first = np.zeros(count, dtype=np.int64)
            first[atom[::-1]] = np.arange(len(atom) - 1, -1, -1)  # any respondent of each
            labels = {
                sid: np.asarray(names, dtype=object)[codes[first]]
                for sid, (codes, names) in per_segment.items()
            }
        named: dict[str, np.ndarray] = {segment_column(sid): labels[sid] for sid in sids}
        named |= self._measures(layout, atom, count)
        frame = shaped(pd.DataFrame(named), layout)
        if sids:
            frame = frame.sort_values(layout.segment_columns(), kind="stable")
        return frame.reset_index(drop=True)

    def keyed(self, segment_ids: Sequence[int], question_ids: Sequence[int]) -> WaveColumns:
        """The same columns keyed by these ids instead of their positions (0, 1, …)."""
        return WaveColumns(
            self.respondents,
            {sid: self.segments[i] for i, sid in enumerate(segment_ids)},
            {qid: self.questions[i] for i, qid in enumerate(question_ids)},
        )

    # -- internals -----------------------------------------------------------------------

    def _segment(self, sid: int) -> Segment:
        found = self.segments.get(sid)
        if found is None:  # a segment this wave's codebook did not have: nobody stated it
            return Segment(np.zeros(self.respondents, dtype=np.uint8), ())
        return found

    def _question(self, qid: int) -> np.ndarray:
        found = self.questions.get(qid)
        return found if found is not None else np.zeros(self.respondents, dtype=np.int8)

    def _reported_codes(self, sid: int, reported: Reported) -> tuple[np.ndarray, list[str]]:
        """Per respondent, the code of the reported value; and the reported values."""
        segment = self._segment(sid)
        mapping = reported.get(sid, {})
        names = [mapping.get(value, value) for value in segment.values()]
        key = (sid, tuple(names))
        codes_of_names, uniques = pd.factorize(np.asarray(names, dtype=object))
        cached = self._reported.get(key)
        if cached is None:
            cached = codes_of_names.astype(np.int64)[segment.codes]
            if len(self._reported) > 64:
                self._reported.clear()
            self._reported[key] = cached
        return cached, [str(u) for u in uniques]

    def _key(
        self, sids: Sequence[int], reported: Reported
    ) -> tuple[np.ndarray, dict[int, tuple[np.ndarray, list[str]]]]:
        """One int64 per respondent telling the combinations of reported values apart."""
        key = np.zeros(self.respondents, dtype=np.int64)
        radix = 1
        per_segment = {}
        for sid in sids:
            codes, names = self._reported_codes(sid, reported)
            per_segment[sid] = (codes, names)
            width = max(len(names), 1)
            if radix * width >= _KEY_LIMIT:
                key, uniques = pd.factorize(key)
                key = key.astype(np.int64)
                radix = max(len(uniques), 1)
            key *= width
            key += codes
            radix *= width
        return key, per_segment

    def _measures(self, layout: Layout, atom: np.ndarray, count: int) -> dict[str, np.ndarray]:
        """Every count of the layout per atom: one bincount per pair, of the atom and both
        answer codes combined into one small integer, whose margins also count each of its
        questions; one per question outside the pairs."""
        out = {"respondents": np.bincount(atom, minlength=count)}
        combined = np.empty(len(atom), dtype=np.intp)  # reused: 8 MB per million people
        by_nine = atom * 9
        tables: dict[int, np.ndarray] = {}  # per question: (atom, code) counts
        for pid, oid in layout.pairs:
            np.multiply(self._question(pid), 3, out=combined, casting="unsafe")
            np.add(combined, self._question(oid), out=combined)
            np.add(combined, by_nine, out=combined)
            table = np.bincount(combined, minlength=9 * count).reshape(count, 3, 3)
            out[both_column(pid)] = table[:, 1:, 1:].sum(axis=(1, 2))
            out[both_positive_column(pid)] = table[:, POSITIVE, POSITIVE]
            out[personal_only_column(pid)] = table[:, POSITIVE, NEGATIVE]
            out[organization_only_column(pid)] = table[:, NEGATIVE, POSITIVE]
            tables.setdefault(pid, table.sum(axis=2))
            tables.setdefault(oid, table.sum(axis=1))
        for qid in layout.question_ids:
            if qid not in tables:
                np.add(atom * 3, self._question(qid), out=combined)
                tables[qid] = np.bincount(combined, minlength=3 * count).reshape(count, 3)
            out[answered_column(qid)] = tables[qid][:, NEGATIVE] + tables[qid][:, POSITIVE]
            out[positive_column(qid)] = tables[qid][:, POSITIVE]
        return out


# -- storing ----------------------------------------------------------------------------------


def write(
    db: sqlite_utils.Database,
    wave_id: int,
    columns: WaveColumns,
    merges: tuple[int, KnownMerges] | None = None,
) -> str:
    """Store a wave's column set (replacing any), in the caller's transaction, with the
    ``(k, merges)`` its import worked out, if any; its version."""
    version = uuid.uuid4().hex
    db.execute("DELETE FROM wave_column_sets WHERE wave_id = ?", [wave_id])
    answers = sum(int(np.count_nonzero(codes)) for codes in columns.questions.values())
    db.execute(
        "INSERT INTO wave_column_sets (wave_id, respondents, answers, version) VALUES (?, ?, ?, ?)",
        [wave_id, columns.respondents, answers, version],
    )
    rows: list[list[object]] = [
        [wave_id, _SEGMENT, sid, json.dumps(list(s.labels)), str(s.codes.dtype), s.codes.tobytes()]
        for sid, s in columns.segments.items()
    ]
    rows += [
        [wave_id, _QUESTION, qid, None, str(codes.dtype), codes.tobytes()]
        for qid, codes in columns.questions.items()
    ]
    db.conn.executemany(
        "INSERT INTO wave_columns (wave_id, kind, key, labels, dtype, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    columns.version = version
    if merges is not None:
        k, chosen = merges
        db.execute(
            "INSERT INTO wave_merges (wave_id, version, k, segments, merges)"
            " VALUES (?, ?, ?, ?, ?)",
            [wave_id, version, k, json.dumps(list(columns.segments)), _merges_json(chosen)],
        )
    return version


def _merges_json(merges: KnownMerges) -> str:
    return json.dumps({str(sid): [below, list(merged)] for sid, (below, merged) in merges.items()})


def version_of(db: sqlite_utils.Database, wave_id: int) -> str | None:
    row = db.execute("SELECT version FROM wave_column_sets WHERE wave_id = ?", [wave_id]).fetchone()
    return None if row is None else str(row[0])


def read(db: sqlite_utils.Database, wave_id: int) -> WaveColumns | None:
    """A wave's column set from the store, or None when it has none."""
    head = db.execute(
        "SELECT respondents, version FROM wave_column_sets WHERE wave_id = ?", [wave_id]
    ).fetchone()
    if head is None:
        return None
    segments, questions = {}, {}
    rows = db.execute(
        "SELECT kind, key, labels, dtype, data FROM wave_columns WHERE wave_id = ?", [wave_id]
    )
    for kind, key, labels, dtype, data in rows:
        values = np.frombuffer(data, dtype=np.dtype(dtype))
        if kind == _SEGMENT:
            segments[int(key)] = Segment(values, tuple(json.loads(labels)))
        else:
            questions[int(key)] = values
    return WaveColumns(int(head[0]), segments, questions, str(head[1]))


def answers_in_wave(db: sqlite_utils.Database, wave_id: int) -> int:
    """How many answers the wave's respondents gave, all questions together."""
    row = db.execute("SELECT answers FROM wave_column_sets WHERE wave_id = ?", [wave_id]).fetchone()
    return int(row[0]) if row else 0


WAVE_RESPONDENTS_SQL = (
    "COALESCE((SELECT c.respondents FROM wave_column_sets c WHERE c.wave_id = w.id),"
    " (SELECT COUNT(*) FROM respondents r WHERE r.wave_id = w.id))"
)
"""How many respondents wave ``w`` has: stored with its columns, else counted."""


def segment_values(store: Store, survey_id: int) -> dict[int, list[str]]:
    """Every value stated for each segment of a survey, sorted: the labels stored beside
    the columns (a few per segment and wave), and from the respondent tables only for
    waves without columns."""
    found: dict[int, set[str]] = {}
    rows = store.db.execute(
        "SELECT c.key, c.labels FROM waves w JOIN wave_columns c ON c.wave_id = w.id"
        " WHERE w.survey_id = ? AND c.kind = ?",
        [survey_id, _SEGMENT],
    ).fetchall()
    for sid, labels in rows:
        found.setdefault(int(sid), set()).update(json.loads(labels))
    missing = store.db.execute(
        "SELECT id FROM waves WHERE survey_id = ?"
        " AND id NOT IN (SELECT wave_id FROM wave_column_sets)",
        [survey_id],
    ).fetchall()
    if missing:
        segments = [
            int(sid)
            for (sid,) in store.db.execute(
                "SELECT id FROM segments WHERE survey_id = ?", [survey_id]
            )
        ]
        waves = [int(wave_id) for (wave_id,) in missing]
        for sid, value in responses.stated_values(store.db, survey_id, waves, segments):
            found.setdefault(sid, set()).add(value)
    return {sid: sorted(values) for sid, values in found.items()}


# -- answering --------------------------------------------------------------------------------

_KEPT = 4  # column sets kept per process: a wave of a million respondents is tens of MB
_kept: OrderedDict[tuple[int, str], WaveColumns] = OrderedDict()
_kept_lock = threading.Lock()


class ColumnCounts(CountSource):
    """A ``CountSource`` over the waves' column sets, each read once per process and kept
    (a few), keyed by its version: a wave replaced or forgotten, by this process or
    another, has another version (or none), so it is never answered from what was kept.
    Each question costs one small read to learn the version. A wave without a column set
    is answered by ``fallback`` (``SqlCounts`` by default)."""

    def __init__(self, store: Store, fallback: CountSource | None = None) -> None:
        self.store = store
        self.fallback = fallback or SqlCounts(store)

    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        counts = self.wave(wave_id, layout)
        return counts.atoms({})

    def wave(self, wave_id: int, layout: Layout) -> WaveCounts:
        version = version_of(self.store.db, wave_id)
        if version is None:
            return self.fallback.wave(wave_id, layout)
        return _ColumnWave(self.store, wave_id, version, layout)


class _ColumnWave(WaveCounts):
    """One wave's counts for one layout, loading its columns only when first counted."""

    def __init__(self, store: Store, wave_id: int, version: str, layout: Layout) -> None:
        self.store = store
        self.wave_id = wave_id
        self.version = f"columns {wave_id}:{version}"
        self.layout = layout
        self._version = version

    def _columns(self) -> WaveColumns:
        key = (self.wave_id, self._version)
        with _kept_lock:
            found = _kept.get(key)
            if found is not None:
                _kept.move_to_end(key)
                return found
        # Replaced since the version was read: the newer columns answer (this key is never
        # asked for again); forgotten since: nobody is left to count.
        loaded = read(self.store.db, self.wave_id) or WaveColumns(0, {}, {}, self._version)
        with _kept_lock:
            _kept[key] = loaded
            while len(_kept) > _KEPT:
                _kept.popitem(last=False)
        return loaded

    def sizes(self) -> dict[int, dict[str, int]]:
        return self._columns().sizes(self.layout.segment_ids)

    def combinations(self, reported: Reported) -> int:
        return self._columns().combinations(self.layout.segment_ids, reported)

    def atoms(self, reported: Reported) -> pd.DataFrame:
        return self._columns().atoms(self.layout, reported)

    def known_merges(self, k: int) -> KnownMerges | None:
        row = self.store.db.execute(
            "SELECT merges FROM wave_merges WHERE wave_id = ? AND version = ? AND k = ?"
            " AND segments = ?",
            [self.wave_id, self._version, k, json.dumps(list(self.layout.segment_ids))],
        ).fetchone()
        if row is None:
            return None
        kept = json.loads(row[0])
        return {int(sid): (int(below), tuple(merged)) for sid, (below, merged) in kept.items()}

    def keep_merges(self, k: int, merges: KnownMerges) -> None:
        """Kept only if the wave is still this version, and only if nobody holds the write
        lock: a question never waits for an import to finish just to save this."""
        kept = _merges_json(merges)
        segments = json.dumps(list(self.layout.segment_ids))
        conn = self.store.db.conn
        (waited,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute(
                "INSERT OR REPLACE INTO wave_merges (wave_id, version, k, segments, merges)"
                " SELECT wave_id, version, ?, ?, ? FROM wave_column_sets"
                " WHERE wave_id = ? AND version = ?",
                [k, segments, kept, self.wave_id, self._version],
            )
        except sqlite3.OperationalError as error:  # busy, or a read-only database
            logger.debug("merges of wave %s not kept: %s", self.wave_id, error)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(waited)}")


def counts_for(store: Store) -> CountSource:
    """The count source production code answers with."""
    return ColumnCounts(store)

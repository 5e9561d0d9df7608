"""Per-wave aggregates, built at import, so that a question about a million respondents reads
a few hundred rows instead of a million.

A wave's respondents fall into *cells*: one cell per distinct combination of all their
segment values (a blank value is part of the combination). Each cell keeps

* ``aggregate_cells``: how many respondents it holds;
* ``aggregate_cell_values``: its value for each segment (no row when not stated);
* ``aggregate_answers``: per question, how many answered and how many answered positively;
* ``aggregate_pairs``: per (personal, organization) question pair of a theme, how many
  answered both, how many of them were positive on both sides, and how many on one side
  only.

Any slice the engine asks for (one wave, filtered by segment values, broken down by a
segment) is a union of whole cells, so its counts are sums over cells: the same GROUP BY as
``SqlCounts``, over cells weighted by their counts instead of over respondents. The cells
are also rolled up (``rollup``): once per segment, telling only its values apart, and once
for the whole wave; a slice that uses at most one segment reads the matching rollup (a
handful of rows per question), any other the finest cells, narrowed by its filters.
``AggregateCounts`` answers that way and hands anything its tables cannot answer (a wave
without aggregates, a question pair nobody foresaw) to ``SqlCounts``. Counts only: privacy
rules stay in the engine, which sees the same numbers as before.

An import groups its staged rows into cells before it takes the write lock
(:func:`grouped_stage`) and writes the aggregates in its transaction
(:func:`write_aggregates`); they go with their wave (ON DELETE CASCADE), so they cannot go
stale. Migration 8 builds them for waves imported before (:func:`backfill`).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlite_utils

from insights import responses
from insights.codebook import Codebook
from insights.counts import (
    CountSource,
    Layout,
    SqlCounts,
    answered_column,
    both_column,
    both_positive_column,
    organization_only_column,
    personal_only_column,
    positive_column,
    segment_column,
    shaped,
)
from insights.store import Store

# Rollups: the finest cells tell every segment apart; TOTAL has one cell (the whole wave);
# a rollup named by a segment id tells only that segment's values apart.
FINEST = 0
TOTAL = -1

# -- building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Counted:
    """What to count from a source with columns s0..s{segments-1} (segment values, NULL
    when blank) and q0..q{n-1} (answers, NULL when unanswered): ``positives[i]`` are the
    answer codes of q{i} that count as positive; ``pairs`` are (personal, organization)
    indexes into the questions."""

    segments: int
    positives: tuple[tuple[int, ...], ...]
    pairs: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Layout:
    """The ids the counted columns stand for: s{i} is ``segment_ids[i]``, q{i}
    ``question_ids[i]``."""

    segment_ids: tuple[int, ...]
    question_ids: tuple[int, ...]
    counted: _Counted


@dataclass(frozen=True)
class Cells:
    """A wave's rows grouped into cells (one wide row per cell, in a temporary table),
    ready for :func:`write_aggregates`."""

    table: str
    counted: _Counted


@contextmanager
def grouped_stage(store: Store, stage: str, codebook: Codebook) -> Iterator[Cells]:
    """The importer's staged rows (``temp.<stage>``) grouped into cells: the one pass over
    every row, done before the import takes the write lock, so that others' writes wait
    only for the few hundred inserts of :func:`write_aggregates`."""
    counted = _Counted(
        segments=len(codebook.segments),
        positives=tuple(tuple(codebook.scales[q.scale].positive_codes) for q in codebook.questions),
        pairs=_pairs([(q.theme.strip().lower(), q.perspective) for q in codebook.questions]),
    )
    cells = Cells(_group(store.db, f"temp.{stage}", [], counted), counted)
    try:
        yield cells
    finally:
        store.db.execute(f"DROP TABLE IF EXISTS temp.{cells.table}")


def write_aggregates(
    store: Store,
    cells: Cells,
    wave_id: int,
    codebook: Codebook,
    question_ids: dict[str, int],
    segment_ids: dict[str, int],
) -> None:
    """Write a wave's aggregates from its :func:`grouped_stage` cells, in the caller's
    transaction: the cells, rolled up, spread into a few hundred rows."""
    layout = _Layout(
        segment_ids=tuple(segment_ids[s.key] for s in codebook.segments),
        question_ids=tuple(question_ids[q.column] for q in codebook.questions),
        counted=cells.counted,
    )
    _write(store.db, cells.table, wave_id, layout)


def answers_in_wave(store: Store, wave_id: int) -> int:
    """How many answers the wave's respondents gave, all questions together."""
    row = store.db.execute(
        "SELECT COALESCE(SUM(n), 0) FROM aggregate_answers WHERE wave_id = ? AND rollup = ?",
        [wave_id, TOTAL],
    ).fetchone()
    return int(row[0])


def backfill(db: sqlite_utils.Database) -> list[int]:
    """Build the aggregates of every wave that has none, from the respondent-level tables.

    Waves imported before aggregates existed need this; returns the wave ids built.
    """
    waves = db.execute(
        "SELECT w.id, w.survey_id FROM waves w"
        " WHERE w.id NOT IN (SELECT wave_id FROM wave_aggregates) ORDER BY w.id"
    ).fetchall()
    for wave_id, survey_id in waves:
        _backfill_wave(db, int(wave_id), int(survey_id))
    return [int(wave_id) for wave_id, _ in waves]


def _backfill_wave(db: sqlite_utils.Database, wave_id: int, survey_id: int) -> None:
    segments = tuple(
        int(row[0])
        for row in db.execute(
            "SELECT id FROM segments WHERE survey_id = ? ORDER BY ordinal, id", [survey_id]
        )
    )
    rows = db.execute(
        "SELECT id, theme, perspective FROM questions WHERE survey_id = ? ORDER BY ordinal, id",
        [survey_id],
    ).fetchall()
    questions = tuple(int(qid) for qid, _, _ in rows)
    # Stored answers already carry their positive flag: count that (1 = positive).
    layout = _Layout(
        segment_ids=segments,
        question_ids=questions,
        counted=_Counted(
            segments=len(segments),
            positives=tuple((1,) for _ in questions),
            pairs=_pairs([(theme, perspective) for _, theme, perspective in rows]),
        ),
    )
    table = responses.ensure_table(db, survey_id, segments, questions)
    columns = [
        *(f"x.{responses.segment_column(sid)} AS s{i}" for i, sid in enumerate(segments)),
        *(f"x.{responses.positive_column(qid)} AS q{i}" for i, qid in enumerate(questions)),
    ]
    source = (
        f"(SELECT {', '.join(columns) or '1 AS one'} FROM respondents r"
        f" JOIN {table} x ON x.respondent_id = r.id WHERE r.wave_id = ?)"
    )
    wide = _group(db, source, [wave_id], layout.counted)
    try:
        _write(db, wide, wave_id, layout)
    finally:
        db.execute(f"DROP TABLE IF EXISTS temp.{wide}")


def _pairs(sides: Sequence[tuple[str, str | None]]) -> tuple[tuple[int, int], ...]:
    """Every (personal, organization) pair of question indexes within one theme."""
    return tuple(
        (i, j)
        for i, (theme, perspective) in enumerate(sides)
        if perspective == "personal"
        for j, (other, side) in enumerate(sides)
        if side == "organization" and other == theme
    )


def _measures(counted: _Counted) -> list[str]:
    """The wide row of a cell: respondents, then n/p per question, then b/pp/po/oo per pair
    (answered both, positive on both, on the personal side only, on the organization side
    only)."""

    def positive(i: int) -> str:
        return f"q{i} IN ({', '.join(str(code) for code in counted.positives[i])})"

    def negative(i: int) -> str:
        return f"q{i} NOT IN ({', '.join(str(code) for code in counted.positives[i])})"

    measures = ["COUNT(*) AS respondents"]
    for i in range(len(counted.positives)):
        measures += [f"COUNT(q{i}) AS n{i}", f"COUNT(CASE WHEN {positive(i)} THEN 1 END) AS p{i}"]
    for k, (i, j) in enumerate(counted.pairs):
        measures += [
            f"COUNT(CASE WHEN q{i} IS NOT NULL AND q{j} IS NOT NULL THEN 1 END) AS b{k}",
            f"COUNT(CASE WHEN {positive(i)} AND {positive(j)} THEN 1 END) AS pp{k}",
            f"COUNT(CASE WHEN {positive(i)} AND {negative(j)} THEN 1 END) AS po{k}",
            f"COUNT(CASE WHEN {negative(i)} AND {positive(j)} THEN 1 END) AS oo{k}",
        ]
    return measures


def _group(db: sqlite_utils.Database, source: str, params: list[Any], counted: _Counted) -> str:
    """Group ``source`` into cells in one pass; the name of the temporary table of cells."""
    wide = f"aggregate_build_{uuid.uuid4().hex[:12]}"
    segments = [f"s{i}" for i in range(counted.segments)]
    grouping = f" GROUP BY {', '.join(segments)}" if segments else ""
    db.execute(
        f"CREATE TEMP TABLE {wide} AS SELECT {', '.join([*segments, *_measures(counted)])}"
        f" FROM {source}{grouping}",
        params,
    )
    return wide


def _write(db: sqlite_utils.Database, wide: str, wave_id: int, layout: _Layout) -> None:
    """Register the cells of ``temp.<wide>``, roll them up, then spread the wide rows into
    the long aggregate tables (loops over segments and questions, never respondents)."""
    names = [measure.rsplit(" AS ", 1)[1] for measure in _measures(layout.counted)]
    _register(db, wave_id, layout, wide)
    _spread(db, f"temp.{wide}", wave_id, FINEST, layout, list(range(layout.counted.segments)))
    # Roll the cells up (sums over a few hundred rows): one segment at a time, and none.
    rollups = [(TOTAL, []), *((sid, [i]) for i, sid in enumerate(layout.segment_ids))]
    for rollup, kept in rollups:
        columns = [f"s{i}" for i in kept]
        sums = [f"SUM({name}) AS {name}" for name in names]
        by = f" GROUP BY {', '.join(columns)}" if columns else ""
        source_sql = f"(SELECT {', '.join([*columns, *sums])} FROM temp.{wide}{by})"
        _spread(db, source_sql, wave_id, rollup, layout, kept)


def _register(db: sqlite_utils.Database, wave_id: int, layout: _Layout, wide: str) -> None:
    totals = db.execute(
        f"SELECT COUNT(*), COALESCE(SUM(respondents), 0) FROM temp.{wide} WHERE respondents > 0"
    ).fetchone()
    ids = layout.question_ids
    pairs = [[ids[i], ids[j]] for i, j in layout.counted.pairs]
    db.execute(
        "INSERT INTO wave_aggregates (wave_id, respondents, cells, segments, questions, pairs,"
        " version) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            wave_id,
            totals[1],
            totals[0],
            json.dumps(list(layout.segment_ids)),
            json.dumps(list(layout.question_ids)),
            json.dumps(pairs),
            uuid.uuid4().hex,
        ],
    )


def _spread(
    db: sqlite_utils.Database,
    source: str,
    wave_id: int,
    rollup: int,
    layout: _Layout,
    kept: list[int],
) -> None:
    """Write one rollup's rows from ``source`` (one wide row per cell); ``kept`` are the
    positions of the segments its cells tell apart."""
    rows = f"aggregate_rollup_{uuid.uuid4().hex[:12]}"
    db.execute(f"CREATE TEMP TABLE {rows} AS SELECT * FROM {source} WHERE respondents > 0")
    try:
        _insert_rollup(db, f"temp.{rows}", [wave_id, rollup], layout, kept)
    finally:
        db.execute(f"DROP TABLE IF EXISTS temp.{rows}")


def _insert_rollup(
    db: sqlite_utils.Database, rows: str, head: list[int], layout: _Layout, kept: list[int]
) -> None:
    # A cell is its row's rowid in the temporary table.
    db.execute(
        f"INSERT INTO aggregate_cells (wave_id, rollup, cell, respondents)"
        f" SELECT ?, ?, rowid, respondents FROM {rows}",
        head,
    )
    for i in kept:
        db.execute(
            f"INSERT INTO aggregate_cell_values (wave_id, rollup, cell, segment_id, value)"
            f" SELECT ?, ?, rowid, ?, s{i} FROM {rows} WHERE s{i} IS NOT NULL",
            [*head, layout.segment_ids[i]],
        )
    for i, question_id in enumerate(layout.question_ids):
        db.execute(
            f"INSERT INTO aggregate_answers (wave_id, rollup, cell, question_id, n, positive)"
            f" SELECT ?, ?, rowid, ?, n{i}, p{i} FROM {rows} WHERE n{i} > 0",
            [*head, question_id],
        )
    for k, (i, j) in enumerate(layout.counted.pairs):
        db.execute(
            f"INSERT INTO aggregate_pairs (wave_id, rollup, cell, personal_id, organization_id,"
            f" n, both_positive, personal_only, organization_only)"
            f" SELECT ?, ?, rowid, ?, ?, b{k}, pp{k}, po{k}, oo{k} FROM {rows} WHERE b{k} > 0",
            [*head, layout.question_ids[i], layout.question_ids[j]],
        )


# -- answering --------------------------------------------------------------------------------

_TABLES_KEPT = 32  # cell tables kept per process (a few hundred rows each)
_tables: OrderedDict[tuple[int, str, Layout], pd.DataFrame] = OrderedDict()
_tables_lock = threading.Lock()


class AggregateCounts:
    """A ``CountSource`` over the per-wave aggregates: the finest cells, as built at import.

    Each wave's table is read once per process and kept, keyed by the version its
    aggregates were built with (a new one at every build), so a wave replaced or forgotten,
    by this process or another, is never answered from a stale table; each question costs
    one small read to check that. The table carries its version in ``attrs["version"]``.
    Waves without aggregates, and question pairs that were not aggregated, are answered by
    ``fallback`` (``SqlCounts`` by default), so the answer is always the same.
    """

    def __init__(self, store: Store, fallback: CountSource | None = None) -> None:
        self.store = store
        self.fallback = fallback or SqlCounts(store)

    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        row = self.store.db.execute(
            "SELECT pairs, version FROM wave_aggregates WHERE wave_id = ?", [wave_id]
        ).fetchone()
        if row is None:
            return self.fallback.cells(wave_id, layout)
        built = {(p, o) for p, o in json.loads(row[0])}
        if any(pair not in built for pair in layout.pairs):
            return self.fallback.cells(wave_id, layout)
        key = (wave_id, str(row[1]), layout)
        with _tables_lock:
            found = _tables.get(key)
            if found is not None:
                _tables.move_to_end(key)
                return found
        table = self._table(wave_id, layout)
        table.attrs["version"] = f"{wave_id}:{row[1]}"
        with _tables_lock:
            _tables[key] = table
            while len(_tables) > _TABLES_KEPT:
                _tables.popitem(last=False)
        return table

    def _table(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        key = [wave_id, FINEST]
        sizes = self._read(
            "SELECT cell, respondents FROM aggregate_cells WHERE wave_id = ? AND rollup = ?",
            key,
            ["cell", "respondents"],
        ).set_index("cell")
        parts = [sizes, self._segments(key, layout), self._answers(key, layout)]
        parts.append(self._pairs(key, layout))
        return shaped(pd.concat(parts, axis=1).reindex(sizes.index), layout)

    def _read(self, sql: str, params: list[Any], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame(self.store.db.execute(sql, params).fetchall(), columns=columns)

    def _segments(self, key: list[int], layout: Layout) -> pd.DataFrame:
        values = self._read(
            "SELECT cell, segment_id, value FROM aggregate_cell_values"
            " WHERE wave_id = ? AND rollup = ?",
            key,
            ["cell", "segment_id", "value"],
        )
        wide = values.pivot(index="cell", columns="segment_id", values="value")
        return wide.rename(columns=segment_column)

    def _answers(self, key: list[int], layout: Layout) -> pd.DataFrame:
        answers = self._read(
            "SELECT cell, question_id, n, positive FROM aggregate_answers"
            " WHERE wave_id = ? AND rollup = ?",
            key,
            ["cell", "question_id", "n", "positive"],
        )
        wide = answers.pivot(index="cell", columns="question_id", values=["n", "positive"])
        names = {"n": answered_column, "positive": positive_column}
        wide.columns = _names(wide, names)
        return wide

    def _pairs(self, key: list[int], layout: Layout) -> pd.DataFrame:
        pairs = self._read(
            "SELECT cell, personal_id, organization_id, n, both_positive, personal_only,"
            " organization_only FROM aggregate_pairs WHERE wave_id = ? AND rollup = ?",
            key,
            ["cell", "pid", "oid", "n", "pp", "po", "oo"],
        )
        wanted = set(layout.pairs)
        kept = [(p, o) in wanted for p, o in zip(pairs["pid"], pairs["oid"], strict=True)]
        pairs = pairs.loc[np.array(kept, dtype=bool)]
        wide = pairs.pivot(index="cell", columns="pid", values=["n", "pp", "po", "oo"])
        names = {
            "n": both_column,
            "pp": both_positive_column,
            "po": personal_only_column,
            "oo": organization_only_column,
        }
        wide.columns = _names(wide, names)
        return wide


def _names(wide: pd.DataFrame, names: Mapping[str, Callable[[int], str]]) -> list[str]:
    """Cell-table column names for a pivot's (measure, id) columns."""
    columns: list[Any] = list(wide.columns)
    return [names[str(measure)](int(key)) for measure, key in columns]


def counts_for(store: Store) -> CountSource:
    """The count source production code answers with."""
    return AggregateCounts(store)


# -- catalog reads ----------------------------------------------------------------------------


def segment_values(store: Store, survey_id: int) -> dict[int, list[str]]:
    """Every value stated for each segment of a survey, sorted; read from the aggregates
    (a few rows per cell), and from the respondent tables only for waves without any."""
    found: dict[int, set[str]] = {}
    rows = store.db.execute(
        "SELECT DISTINCT v.segment_id, v.value FROM waves w JOIN aggregate_cell_values v"
        " ON v.wave_id = w.id AND v.rollup = v.segment_id WHERE w.survey_id = ?",
        [survey_id],
    ).fetchall()
    missing = store.db.execute(
        "SELECT id FROM waves WHERE survey_id = ?"
        " AND id NOT IN (SELECT wave_id FROM wave_aggregates)",
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
        rows += responses.stated_values(store.db, survey_id, waves, segments)
    for segment_id, value in rows:
        found.setdefault(int(segment_id), set()).add(str(value))
    return {segment_id: sorted(values) for segment_id, values in found.items()}


WAVE_RESPONDENTS_SQL = (
    "COALESCE((SELECT a.respondents FROM wave_aggregates a WHERE a.wave_id = w.id),"
    " (SELECT COUNT(*) FROM respondents r WHERE r.wave_id = w.id))"
)
"""How many respondents wave ``w`` has: stored with its aggregates, else counted."""

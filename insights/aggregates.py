"""Per-wave aggregates, built at import, so that a question about a million respondents reads
a few hundred rows instead of a million.

A wave's respondents fall into *cells*: one cell per distinct combination of all their
segment values (a blank value is part of the combination). Each cell keeps

* ``aggregate_cells``: how many respondents it holds;
* ``aggregate_cell_values``: its value for each segment (no row when not stated);
* ``aggregate_answers``: per question, how many answered and how many answered positively;
* ``aggregate_pairs``: per (personal, organization) question pair of a theme, how many
  answered both, and how many were positive on one side only.

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
stale. Migration 7 builds them for waves imported before they existed (:func:`backfill`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlite_utils

from insights import responses
from insights.codebook import Codebook
from insights.counts import CountSource, Slice, SqlCounts
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
    """The wide row of a cell: respondents, then n/p per question, then b/po/oo per pair."""

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
        "INSERT INTO wave_aggregates (wave_id, respondents, cells, segments, questions, pairs)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            wave_id,
            totals[1],
            totals[0],
            json.dumps(list(layout.segment_ids)),
            json.dumps(list(layout.question_ids)),
            json.dumps(pairs),
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
            f" n, personal_only, organization_only)"
            f" SELECT ?, ?, rowid, ?, ?, b{k}, po{k}, oo{k} FROM {rows} WHERE b{k} > 0",
            [*head, layout.question_ids[i], layout.question_ids[j]],
        )


# -- answering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Coverage:
    """What a wave's aggregates hold: which segments, questions and pairs."""

    segments: frozenset[int]
    questions: frozenset[int]
    pairs: frozenset[tuple[int, int]]

    def rollup(self, where: Slice) -> int:
        """The coarsest rollup that tells apart every segment the slice uses."""
        used = {*where.filters, *([where.by] if where.by is not None else [])}
        if not used:
            return TOTAL
        if len(used) == 1 and used <= self.segments:
            return used.pop()
        return FINEST


class AggregateCounts:
    """A ``CountSource`` over the per-wave aggregates: sums over cells, not respondents.

    Waves without aggregates, and question pairs that were not aggregated, are answered by
    ``fallback`` (``SqlCounts`` by default), so the answer is always the same.
    """

    def __init__(self, store: Store, fallback: CountSource | None = None) -> None:
        self.store = store
        self.fallback = fallback or SqlCounts(store)

    def _coverage(self, wave_id: int) -> _Coverage | None:
        row = self.store.db.execute(
            "SELECT segments, questions, pairs FROM wave_aggregates WHERE wave_id = ?", [wave_id]
        ).fetchone()
        if row is None:
            return None
        segments, questions, pairs = (json.loads(column) for column in row)
        return _Coverage(
            frozenset(segments), frozenset(questions), frozenset((p, o) for p, o in pairs)
        )

    @staticmethod
    def _base(where: Slice, rollup: int) -> tuple[str, list[Any]]:
        """``base(cell, grp, respondents)``: the cells of one rollup matching the filters;
        ``key`` (wave_id = ? AND rollup = ?) and its two parameters join the measures."""
        params: list[Any] = []
        group = "''"
        join = ""
        if where.by is not None:
            join = (
                " LEFT JOIN aggregate_cell_values g ON g.wave_id = c.wave_id"
                " AND g.rollup = c.rollup AND g.cell = c.cell AND g.segment_id = ?"
            )
            params.append(where.by)
            group = "COALESCE(g.value, '')"
        clauses = ["c.wave_id = ? AND c.rollup = ?"]
        params += [where.wave_id, rollup]
        for segment_id, values in where.filters.items():
            marks = ", ".join("?" for _ in values)
            clauses.append(
                "c.cell IN (SELECT cell FROM aggregate_cell_values WHERE wave_id = ?"
                f" AND rollup = ? AND segment_id = ? AND value IN ({marks}))"
            )
            params += [where.wave_id, rollup, segment_id, *values]
        sql = (
            f"WITH base AS (SELECT c.cell AS cell, {group} AS grp, c.respondents AS respondents"
            f" FROM aggregate_cells c{join} WHERE {' AND '.join(clauses)})"
        )
        return sql, params

    def _frame(self, sql: str, params: list[Any], columns: list[str]) -> pd.DataFrame:
        rows = self.store.db.execute(sql, params).fetchall()
        return pd.DataFrame(rows, columns=columns)

    def group_sizes(self, where: Slice) -> pd.DataFrame:
        coverage = self._coverage(where.wave_id)
        if coverage is None:
            return self.fallback.group_sizes(where)
        base, params = self._base(where, coverage.rollup(where))
        sql = f"{base} SELECT grp, SUM(respondents) FROM base GROUP BY grp"
        return self._frame(sql, params, ["group", "respondents"])

    def question_counts(self, where: Slice, question_ids: Sequence[int]) -> pd.DataFrame:
        coverage = self._coverage(where.wave_id)
        if coverage is None:
            return self.fallback.question_counts(where, question_ids)
        # A question outside the coverage was not in the wave's codebook: nobody answered it.
        asked = [qid for qid in question_ids if qid in coverage.questions]
        rollup = coverage.rollup(where)
        base, params = self._base(where, rollup)
        marks = ", ".join("?" for _ in asked)
        sql = (
            f"{base} SELECT b.grp, a.question_id, SUM(a.n), SUM(a.positive) FROM base b"
            " JOIN aggregate_answers a ON a.wave_id = ? AND a.rollup = ? AND a.cell = b.cell"
            f" WHERE a.question_id IN ({marks}) GROUP BY b.grp, a.question_id"
        )
        return self._frame(
            sql,
            [*params, where.wave_id, rollup, *asked],
            ["group", "question_id", "n", "positive"],
        )

    def pair_counts(self, where: Slice, pairs: Sequence[tuple[int, int]]) -> pd.DataFrame:
        columns = ["group", "personal_id", "n", "personal_only", "organization_only"]
        coverage = self._coverage(where.wave_id)
        if coverage is None:
            return self.fallback.pair_counts(where, pairs)
        # A pair with a question outside the coverage has nobody who answered both.
        wanted = [(p, o) for p, o in pairs if p in coverage.questions and o in coverage.questions]
        if any(pair not in coverage.pairs for pair in wanted):
            return self.fallback.pair_counts(where, pairs)
        if not wanted:
            return pd.DataFrame(columns=columns)
        rollup = coverage.rollup(where)
        base, params = self._base(where, rollup)
        values = ", ".join("(?, ?)" for _ in wanted)
        sql = (
            f"{base}, pairs(pid, oid) AS (VALUES {values})"
            " SELECT b.grp, x.personal_id, SUM(x.n), SUM(x.personal_only),"
            " SUM(x.organization_only) FROM base b"
            " JOIN aggregate_pairs x ON x.wave_id = ? AND x.rollup = ? AND x.cell = b.cell"
            " JOIN pairs ON x.personal_id = pairs.pid AND x.organization_id = pairs.oid"
            " GROUP BY b.grp, x.personal_id"
        )
        flat = [qid for pair in wanted for qid in pair]
        return self._frame(sql, [*params, *flat, where.wave_id, rollup], columns)


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

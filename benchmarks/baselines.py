"""Two of the designs the benchmark compares against, as ``CountSource``s the engine can
use (the third, DuckDB, is in ``benchmarks.duck``).

* ``SqlCounts`` (insights.store.counts): a plain SQLite GROUP BY over the survey's respondent
  table (one row per respondent) on every question: the straightforward implementation
  the aggregates replaced.
* ``PandasCounts``: no database at all: on every question, load the wave's respondents
  (its export) into a DataFrame, then filter and group in pandas.

``swapped_counts`` makes ``insights.ask`` use one of them, so every design is timed
through exactly the same code (parsing, catalog, engine, rendering) but for the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pandas as pd

import insights.answers.reply
from insights.store.counts import (
    CountSource,
    Layout,
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


@dataclass(frozen=True)
class ExportMap:
    """Where the pandas and DuckDB designs find things: each wave's export (in the order
    given: oldest first), the columns of each segment and question (with the labels that
    count as positive), and the themes' (personal, organization) question pairs."""

    waves: Mapping[int, Path]
    segments: Mapping[int, str]
    questions: Mapping[int, tuple[str, tuple[str, ...]]]
    pairs: tuple[tuple[int, int], ...] = ()


class PandasCounts(CountSource):
    """Load-then-group: reads a wave's whole export the first time it is asked about."""

    def __init__(self, exports: ExportMap) -> None:
        self.exports = exports
        self._loaded: dict[int, pd.DataFrame] = {}

    def _wave(self, wave_id: int) -> pd.DataFrame:
        if wave_id not in self._loaded:
            columns = [*self.exports.segments.values()]
            columns += [column for column, _ in self.exports.questions.values()]
            raw = pd.read_csv(
                self.exports.waves[wave_id], dtype=str, keep_default_na=False, usecols=columns
            )
            frame = pd.DataFrame({name: raw[name] for name in self.exports.segments.values()})
            for qid, (column, positive) in self.exports.questions.items():
                frame[f"answered_{qid}"] = raw[column] != ""
                frame[f"positive_{qid}"] = raw[column].isin(positive)
            self._loaded[wave_id] = frame
        return self._loaded[wave_id]

    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        frame = self._wave(wave_id)
        counts = pd.DataFrame(
            {
                segment_column(sid): frame[self.exports.segments[sid]].fillna("")
                for sid in layout.segment_ids
            }
        )
        counts["respondents"] = 1
        for qid in layout.question_ids:
            if qid in self.exports.questions:
                answered = frame[f"answered_{qid}"]
                counts[answered_column(qid)] = answered
                counts[positive_column(qid)] = answered & frame[f"positive_{qid}"]
        for personal, organization in layout.pairs:
            both = frame[f"answered_{personal}"] & frame[f"answered_{organization}"]
            p, o = frame[f"positive_{personal}"], frame[f"positive_{organization}"]
            counts[both_column(personal)] = both
            counts[both_positive_column(personal)] = both & p & o
            counts[personal_only_column(personal)] = both & p & ~o
            counts[organization_only_column(personal)] = both & ~p & o
        grouped = counts.groupby(layout.segment_columns(), as_index=False).sum()
        return shaped(grouped, layout)


def export_map(store: Store, waves: Mapping[str, Path], positive: Sequence[str]) -> ExportMap:
    """Map wave labels to their files, and segments and questions to their columns."""
    wave_ids = dict(store.db.execute("SELECT label, id FROM waves").fetchall())
    segments = {sid: name for name, sid in store.db.execute("SELECT name, id FROM segments")}
    questions = {
        qid: (key, tuple(positive))
        for key, qid in store.db.execute("SELECT key, id FROM questions").fetchall()
    }
    pairs = store.db.execute(
        "SELECT p.id, o.id FROM questions p JOIN questions o ON o.survey_id = p.survey_id"
        " AND o.theme = p.theme WHERE p.perspective = 'personal'"
        " AND o.perspective = 'organization' ORDER BY p.ordinal"
    ).fetchall()
    exports = {wave_ids[label]: path for label, path in waves.items()}
    return ExportMap(exports, segments, questions, tuple((p, o) for p, o in pairs))


@contextmanager
def swapped_counts(factory: Callable[[Store], CountSource] | None) -> Iterator[None]:
    """Within the block, ``insights.ask`` counts with ``factory(store)`` (None: unchanged)."""
    if factory is None:
        yield
        return
    with mock.patch.object(insights.answers.reply, "counts_for", factory):
        yield

"""DuckDB as a baseline: the same CSV exports, loaded into an in-memory DuckDB database.

Two ways of using it are timed:

* ``DuckDBCounts``: a ``CountSource``, so ``insights.ask`` answers through exactly the same
  code as with the other designs, but for the counts: one GROUP BY in DuckDB over the
  wave's table per question, returning the very cell table the engine expects.
* ``DuckDBCounts.figures``: DuckDB alone, the floor the issue names: one SQL statement that
  computes a query's figures for every theme at once (the filter, GROUP BY the breakdown's
  segment and the wave, and per question how many answered and agreed, per pair how many
  answered both and agreed on both or one side), with no parsing, statistics or rendering.

Each wave's export is read once with ``read_csv`` (every column as text, blanks as NULL);
``load_seconds`` is that load, DuckDB's own counterpart of ``empathy import``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from benchmarks.baselines import ExportMap
from insights.store.counts import CountSource, Layout, shaped


def quoted(name: str) -> str:
    """A DuckDB identifier (segment names have spaces)."""
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class DuckDBCounts(CountSource):
    """A ``CountSource`` over every wave's export loaded as a DuckDB table (``wave_<id>``)
    into one in-memory database when it is made."""

    def __init__(self, exports: ExportMap, positive: Sequence[str]) -> None:
        self.exports = exports
        self.positive = "(" + ", ".join(_text(label) for label in positive) + ")"
        self.connection = duckdb.connect(":memory:")
        self.load_seconds: dict[int, float] = {}
        for wave_id, path in exports.waves.items():
            self.load_seconds[wave_id] = self._load(wave_id, path)

    def _load(self, wave_id: int, path: Path) -> float:
        started = time.perf_counter()
        self.connection.execute(
            f"CREATE TABLE wave_{int(wave_id)} AS"
            " SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        return time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()

    def _agrees(self, column: str) -> str:
        return f"{quoted(column)} IN {self.positive}"

    def _counts(self, question_ids: Iterable[int], pairs: Iterable[tuple[int, int]]) -> list[str]:
        """Per question: answered, agreed; per pair: answered both, agreed on both sides,
        on the personal side only, on the organization side only (as in insights.store.counts)."""
        selected = ["COUNT(*)"]
        for qid in question_ids:
            column = self.exports.questions[qid][0]
            selected += [f"COUNT({quoted(column)})", f"COUNT_IF({self._agrees(column)})"]
        for pid, oid in pairs:
            p, o = self.exports.questions[pid][0], self.exports.questions[oid][0]
            answered = f"{quoted(p)} IS NOT NULL AND {quoted(o)} IS NOT NULL"
            yes_p, yes_o = self._agrees(p), self._agrees(o)
            selected += [
                f"COUNT_IF({answered})",
                f"COUNT_IF({yes_p} AND {yes_o})",
                f"COUNT_IF({answered} AND {yes_p} AND NOT {yes_o})",
                f"COUNT_IF({answered} AND NOT {yes_p} AND {yes_o})",
            ]
        return selected

    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        """The wave's cell table, grouped by every segment of the layout."""
        segments = [
            f"COALESCE({quoted(self.exports.segments[sid])}, '')" for sid in layout.segment_ids
        ]
        counts = self._counts(layout.question_ids, layout.pairs)
        group_by = f" GROUP BY {', '.join(segments)}" if segments else ""
        sql = f"SELECT {', '.join(segments + counts)} FROM wave_{int(wave_id)}{group_by}"
        frame = self.connection.execute(sql).df()
        frame.columns = pd.Index(layout.columns())
        if not segments:
            frame = frame[frame["respondents"] > 0]  # no segments: one row, even when empty
        return shaped(frame, layout)

    def figures(
        self, wave_ids: Sequence[int], filters: Mapping[str, str], by: str | None
    ) -> list[tuple[Any, ...]]:
        """DuckDB alone: a query's figures for every theme, per wave and breakdown group,
        in one statement."""
        waves = " UNION ALL ".join(
            f"SELECT {int(wave_id)} AS wave, * FROM wave_{int(wave_id)}" for wave_id in wave_ids
        )
        keys = ["wave"] + ([f"COALESCE({quoted(by)}, '')"] if by else [])
        questions = list(self.exports.questions)
        pairs = self.exports.pairs
        where = " AND ".join(f"{quoted(name)} = ?" for name in filters) or "true"
        sql = (
            f"SELECT {', '.join(keys + self._counts(questions, pairs))} FROM ({waves})"
            f" WHERE {where} GROUP BY {', '.join(keys)}"
        )
        return self.connection.execute(sql, list(filters.values())).fetchall()

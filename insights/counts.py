"""The engine's only door to respondent data: a wave's counts per *cell*, computed in SQL.

A cell is one distinct combination of every segment's value (not stated is a value of its
own). Every answer the engine gives, and every privacy rule it applies, is a sum over whole
cells, so one small table per wave is all it needs: no respondent row ever leaves the
store. ``CountSource`` is the interface; ``SqlCounts`` answers it with one GROUP BY over the
respondent-level table, and ``insights.aggregates.AggregateCounts`` from the cells built
at import.

The table has one row per cell with at least one respondent, and these columns:

* ``segment_column(id)``, per segment: the cell's value, ``""`` when not stated;
* ``respondents``;
* per question: ``answered_column(id)`` and ``positive_column(id)``;
* per (personal, organization) pair, keyed by the personal question's id:
  ``both_column(id)`` (answered both), and of those ``both_positive_column(id)`` (positive
  on both sides), ``personal_only_column(id)`` and ``organization_only_column(id)``
  (positive on that side only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from insights import responses
from insights.store import Store


def segment_column(segment_id: int) -> str:
    return f"s{int(segment_id)}"


def answered_column(question_id: int) -> str:
    return f"n{int(question_id)}"


def positive_column(question_id: int) -> str:
    return f"p{int(question_id)}"


def both_column(personal_id: int) -> str:
    return f"b{int(personal_id)}"


def both_positive_column(personal_id: int) -> str:
    return f"pp{int(personal_id)}"


def personal_only_column(personal_id: int) -> str:
    return f"po{int(personal_id)}"


def organization_only_column(personal_id: int) -> str:
    return f"oo{int(personal_id)}"


@dataclass(frozen=True)
class Layout:
    """What to count in a wave: its survey's segments, questions and question pairs
    (personal id, organization id)."""

    segment_ids: tuple[int, ...]
    question_ids: tuple[int, ...]
    pairs: tuple[tuple[int, int], ...]

    def columns(self) -> list[str]:
        """The cell table's columns, in order."""
        names = [segment_column(sid) for sid in self.segment_ids] + ["respondents"]
        for qid in self.question_ids:
            names += [answered_column(qid), positive_column(qid)]
        for pid, _ in self.pairs:
            names += [
                both_column(pid),
                both_positive_column(pid),
                personal_only_column(pid),
                organization_only_column(pid),
            ]
        return names

    def segment_columns(self) -> list[str]:
        return [segment_column(sid) for sid in self.segment_ids]

    def empty(self) -> pd.DataFrame:
        return shaped(pd.DataFrame(columns=self.columns()), self)


def shaped(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """``frame`` with the layout's columns in order: segment values as text, counts as
    integers, a count nobody contributed to as 0."""
    out = frame.reindex(columns=layout.columns())
    segments = layout.segment_columns()
    for column in segments:
        out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    counts = [c for c in out.columns if c not in segments]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out.reset_index(drop=True)


class CountSource(Protocol):
    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        """The wave's cells, with the columns described in this module's docstring."""
        ...


class SqlCounts:
    """A plain GROUP BY over the survey's respondent-level table (``insights.responses``):
    one scan of the wave's respondents per call. The only spliced text is column names built
    from ids."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        survey_id = responses.survey_of_wave(self.store.db, wave_id)
        name = responses.table_name(survey_id) if survey_id is not None else ""
        if survey_id is None or not self.store.db[name].exists():
            return layout.empty()
        have = set(self.store.db[name].columns_dict)

        def flag(qid: int) -> str:
            column = responses.positive_column(qid)
            return f"x.{column}" if column in have else "NULL"

        selected: list[str] = []
        for sid in layout.segment_ids:
            column = responses.segment_column(sid)
            selected.append(f"COALESCE(x.{column}, '')" if column in have else "''")
        grouping = [str(i + 1) for i in range(len(selected))]
        selected.append("COUNT(*)")
        for qid in layout.question_ids:
            selected += [f"COUNT({flag(qid)})", f"COUNT(CASE WHEN {flag(qid)} = 1 THEN 1 END)"]
        for pid, oid in layout.pairs:
            p, o = flag(pid), flag(oid)
            selected += [
                f"COUNT(CASE WHEN {p} IS NOT NULL AND {o} IS NOT NULL THEN 1 END)",
                f"COUNT(CASE WHEN {p} = 1 AND {o} = 1 THEN 1 END)",
                f"COUNT(CASE WHEN {p} = 1 AND {o} = 0 THEN 1 END)",
                f"COUNT(CASE WHEN {p} = 0 AND {o} = 1 THEN 1 END)",
            ]
        group_by = f" GROUP BY {', '.join(grouping)}" if grouping else ""
        sql = (
            f"SELECT {', '.join(selected)} FROM respondents r JOIN {name} x"
            f" ON x.respondent_id = r.id WHERE r.wave_id = ?{group_by}"
        )
        rows: list[Any] = self.store.db.execute(sql, [wave_id]).fetchall()
        if not grouping:
            rows = [row for row in rows if row[0]]  # no segments: one row, even when empty
        return shaped(pd.DataFrame(rows, columns=layout.columns()), layout)

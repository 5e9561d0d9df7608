"""The engine's only door to respondent data: a wave's counts per *cell*.

A cell is one distinct combination of every segment's value (not stated is a value of its
own). Every answer the engine gives, and every privacy rule it applies, is a sum over whole
cells, so one small table per wave is all it needs: no respondent row ever leaves the
store. ``CountSource`` is the interface; ``SqlCounts`` answers it with one GROUP BY over the
respondent-level table (the reference), and ``insights.store.columns.ColumnCounts`` from each
wave's columns, built at import.

Privacy asks a wave for more than its cells (``CountSource.wave``, a :class:`WaveCounts`):
how many respondents hold each segment value, how many combinations of values remain once
small values are merged, and the cells grouped by those merged values (the *atoms*). A
source that can count those directly (the columns) does; any other gets them from its
cells (:class:`FrameCounts`), so every source gives the same answers.

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

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from insights.store import responses
from insights.store.database import Store


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


Reported = Mapping[int, Mapping[str, str]]
"""Per segment id, what each stated value ("" for not stated) is reported as; a value it
does not name is reported as itself."""


KnownMerges = Mapping[int, tuple[int, tuple[str, ...]]]
"""Per segment id, the threshold its values were merged below and the values merged."""


class WaveCounts:
    """One wave's counts for one layout, as privacy needs them; ``version`` names what was
    counted (a new one whenever the wave changes), so that a view built from it may be
    kept."""

    version: str

    def sizes(self) -> dict[int, dict[str, int]]:
        """Per segment id, respondents per value ("" for not stated), held values only."""
        raise NotImplementedError

    def combinations(self, reported: Reported) -> int:
        """How many distinct combinations of reported values the wave's respondents hold."""
        raise NotImplementedError

    def atoms(self, reported: Reported) -> pd.DataFrame:
        """The cells with segment values replaced by what they are reported as, summed per
        distinct combination and sorted by the segment columns (in the layout's order)."""
        raise NotImplementedError

    def known_merges(self, k: int) -> KnownMerges | None:
        """What :meth:`keep_merges` kept for this version of the wave and ``k``, if any."""
        return None

    def keep_merges(self, k: int, merges: KnownMerges) -> None:
        """Keep the merges privacy worked out, for the next process to ask (if it can)."""


class FrameCounts(WaveCounts):
    """:class:`WaveCounts` computed from a cell table (any source's ``cells``): the
    straightforward way, in pandas. Its version is a digest of the cells' contents."""

    def __init__(self, cells: pd.DataFrame, layout: Layout) -> None:
        self.cells = cells
        self.layout = layout
        digest = hashlib.sha256(repr(list(cells.columns)).encode())
        digest.update(pd.util.hash_pandas_object(cells, index=False).to_numpy().tobytes())
        self.version = f"cells {digest.hexdigest()}"

    def sizes(self) -> dict[int, dict[str, int]]:
        found = {}
        for sid in self.layout.segment_ids:
            sums = self.cells.groupby(segment_column(sid))["respondents"].sum()
            found[sid] = {str(v): int(n) for v, n in sums.items() if n}
        return found

    def _reported(self, reported: Reported) -> pd.DataFrame:
        merged = self.cells.copy()
        for sid in self.layout.segment_ids:
            column, mapping = segment_column(sid), reported.get(sid, {})
            merged[column] = [mapping.get(value, value) for value in merged[column]]
        return merged

    def combinations(self, reported: Reported) -> int:
        columns = self.layout.segment_columns()
        if not columns:
            return 1
        return int(self._reported(reported)[columns].drop_duplicates().shape[0])

    def atoms(self, reported: Reported) -> pd.DataFrame:
        segments = self.layout.segment_columns()
        merged = self._reported(reported)
        counts = [c for c in merged.columns if c not in segments]
        if segments:
            return merged.groupby(segments, as_index=False, sort=True)[counts].sum()
        return merged[counts].sum().to_frame().T


class CountSource:
    """Where the engine gets a wave's counts; subclasses give ``cells``, and may count
    ``wave`` faster than from them."""

    def cells(self, wave_id: int, layout: Layout) -> pd.DataFrame:
        """The wave's cells, with the columns described in this module's docstring."""
        raise NotImplementedError

    def wave(self, wave_id: int, layout: Layout) -> WaveCounts:
        """The wave's counts as privacy needs them (:class:`WaveCounts`)."""
        return FrameCounts(self.cells(wave_id, layout), layout)


class SqlCounts(CountSource):
    """A plain GROUP BY over the survey's respondent-level table (``insights.store.responses``):
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

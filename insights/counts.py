"""The engine's only door to respondent data: aggregated counts, computed in SQL.

``CountSource`` is the narrow interface; ``SqlCounts`` answers it with GROUP BY queries
over the respondent-level table. A faster implementation (precomputed tables) can replace it
without the engine noticing. Every count comes back as a pandas DataFrame keyed by
``group`` (the breakdown segment's value; ``""`` for "not stated" or no breakdown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from insights import responses
from insights.store import Store


@dataclass(frozen=True)
class Slice:
    """Which respondents: one wave, optionally filtered and grouped by segments.

    ``filters`` maps a segment id to the values allowed (OR within a segment, AND across).
    """

    wave_id: int
    filters: Mapping[int, Sequence[str]]
    by: int | None = None


class CountSource(Protocol):
    def group_sizes(self, where: Slice) -> pd.DataFrame:
        """Columns: group, respondents."""
        ...

    def question_counts(self, where: Slice, question_ids: Sequence[int]) -> pd.DataFrame:
        """Columns: group, question_id, n, positive."""
        ...

    def pair_counts(self, where: Slice, pairs: Sequence[tuple[int, int]]) -> pd.DataFrame:
        """Columns: group, personal_id, n, personal_only, organization_only.

        ``n`` counts respondents who answered both questions of the pair.
        """
        ...


class SqlCounts:
    """A plain GROUP BY over the survey's respondent-level table (``insights.responses``):
    one scan of the wave's respondents per call. Values are parameters; the only spliced
    text is column names built from ids."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _table(self, where: Slice) -> tuple[str, set[str]] | None:
        """The wave's table and its columns; None when the wave has no respondents stored."""
        survey_id = responses.survey_of_wave(self.store.db, where.wave_id)
        if survey_id is None:
            return None
        name = responses.table_name(survey_id)
        if not self.store.db[name].exists():
            return None
        return name, set(self.store.db[name].columns_dict)

    def _select(
        self, where: Slice, table: tuple[str, set[str]], measures: list[str]
    ) -> pd.DataFrame:
        """``measures`` (SQL over ``x``, the respondent's row) per group of the slice."""
        name, columns = table
        params: list[Any] = [where.wave_id]
        clauses = ["r.wave_id = ?"]
        for segment_id, values in where.filters.items():
            column = responses.segment_column(segment_id)
            if column not in columns:  # a segment this survey never had: nobody stated it
                clauses.append("0")
                continue
            clauses.append(f"x.{column} IN ({', '.join('?' for _ in values)})")
            params += list(values)
        group = "''"
        if where.by is not None and responses.segment_column(where.by) in columns:
            group = f"COALESCE(x.{responses.segment_column(where.by)}, '')"
        sql = (
            f"SELECT {group} AS grp, {', '.join(measures)} FROM respondents r"
            f" JOIN {name} x ON x.respondent_id = r.id WHERE {' AND '.join(clauses)}"
            " GROUP BY grp"
        )
        rows = self.store.db.execute(sql, params).fetchall()
        return pd.DataFrame(rows, columns=["group", *(f"m{i}" for i in range(len(measures)))])

    def group_sizes(self, where: Slice) -> pd.DataFrame:
        table = self._table(where)
        if table is None:
            return pd.DataFrame(columns=["group", "respondents"])
        return self._select(where, table, ["COUNT(*)"]).set_axis(["group", "respondents"], axis=1)

    def question_counts(self, where: Slice, question_ids: Sequence[int]) -> pd.DataFrame:
        columns = ["group", "question_id", "n", "positive"]
        table = self._table(where)
        asked = [qid for qid in question_ids if table and self._has_answers(table, qid)]
        if table is None or not asked:
            return pd.DataFrame(columns=columns)
        measures = []
        for qid in asked:
            positive = responses.positive_column(qid)
            measures += [f"COUNT(x.{positive})", f"COUNT(CASE WHEN x.{positive} = 1 THEN 1 END)"]
        wide = self._select(where, table, measures)
        return _long(wide, asked, ["n", "positive"], "question_id", columns)

    def pair_counts(self, where: Slice, pairs: Sequence[tuple[int, int]]) -> pd.DataFrame:
        columns = ["group", "personal_id", "n", "personal_only", "organization_only"]
        table = self._table(where)
        asked = [
            (p, o)
            for p, o in pairs
            if table and self._has_answers(table, p) and self._has_answers(table, o)
        ]
        if table is None or not asked:
            return pd.DataFrame(columns=columns)
        measures = []
        for p, o in asked:
            personal, organization = responses.positive_column(p), responses.positive_column(o)
            measures += [
                f"COUNT(CASE WHEN x.{personal} IS NOT NULL AND x.{organization} IS NOT NULL"
                " THEN 1 END)",
                f"COUNT(CASE WHEN x.{personal} = 1 AND x.{organization} = 0 THEN 1 END)",
                f"COUNT(CASE WHEN x.{personal} = 0 AND x.{organization} = 1 THEN 1 END)",
            ]
        wide = self._select(where, table, measures)
        measured = ["n", "personal_only", "organization_only"]
        return _long(wide, [p for p, _ in asked], measured, "personal_id", columns)

    @staticmethod
    def _has_answers(table: tuple[str, set[str]], question_id: int) -> bool:
        return responses.positive_column(question_id) in table[1]


def _long(
    wide: pd.DataFrame, keys: list[int], measured: list[str], key: str, columns: list[str]
) -> pd.DataFrame:
    """One row per group and key from one row per group with ``len(measured)`` measures per
    key; rows nobody answered are dropped, as a join over answers would have none."""
    parts = []
    width = len(measured)
    for k, key_id in enumerate(keys):
        part = wide[["group", *(f"m{k * width + i}" for i in range(width))]].copy()
        part.columns = ["group", *measured]
        part.insert(1, key, key_id)
        parts.append(part)
    found = pd.concat(parts, ignore_index=True)
    return found.loc[found[measured[0]] > 0, columns].reset_index(drop=True)

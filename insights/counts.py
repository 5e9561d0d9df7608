"""The engine's only door to respondent data: aggregated counts, computed in SQL.

``CountSource`` is the narrow interface; ``SqlCounts`` answers it with GROUP BY queries
over the answer table. A faster implementation (precomputed tables) can replace it
without the engine noticing. Every count comes back as a pandas DataFrame keyed by
``group`` (the breakdown segment's value; ``""`` for "not stated" or no breakdown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

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
    """GROUP BY over the respondent-level tables; parameters only, never spliced text."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _base(self, where: Slice) -> tuple[str, list[Any]]:
        params: list[Any] = []
        group = "''"
        join = ""
        if where.by is not None:
            join = " LEFT JOIN respondent_segments g ON g.respondent_id = r.id AND g.segment_id = ?"
            params.append(where.by)
            group = "COALESCE(g.value, '')"
        clauses = ["r.wave_id = ?"]
        params.append(where.wave_id)
        for segment_id, values in where.filters.items():
            marks = ", ".join("?" for _ in values)
            clauses.append(
                "r.id IN (SELECT respondent_id FROM respondent_segments"
                f" WHERE segment_id = ? AND value IN ({marks}))"
            )
            params += [segment_id, *values]
        sql = (
            f"WITH base AS (SELECT r.id AS rid, {group} AS grp FROM respondents r{join}"
            f" WHERE {' AND '.join(clauses)})"
        )
        return sql, params

    def _frame(self, sql: str, params: list[Any], columns: list[str]) -> pd.DataFrame:
        rows = self.store.db.execute(sql, params).fetchall()
        return pd.DataFrame(rows, columns=columns)

    def group_sizes(self, where: Slice) -> pd.DataFrame:
        base, params = self._base(where)
        sql = f"{base} SELECT grp, COUNT(*) FROM base GROUP BY grp"
        return self._frame(sql, params, ["group", "respondents"])

    def question_counts(self, where: Slice, question_ids: Sequence[int]) -> pd.DataFrame:
        base, params = self._base(where)
        marks = ", ".join("?" for _ in question_ids)
        sql = (
            f"{base} SELECT b.grp, a.question_id, COUNT(*), SUM(a.positive)"
            " FROM base b JOIN answers a ON a.respondent_id = b.rid"
            f" WHERE a.question_id IN ({marks}) GROUP BY b.grp, a.question_id"
        )
        return self._frame(sql, [*params, *question_ids], ["group", "question_id", "n", "positive"])

    def pair_counts(self, where: Slice, pairs: Sequence[tuple[int, int]]) -> pd.DataFrame:
        columns = ["group", "personal_id", "n", "personal_only", "organization_only"]
        if not pairs:
            return pd.DataFrame(columns=columns)
        base, params = self._base(where)
        values = ", ".join("(?, ?)" for _ in pairs)
        sql = (
            f"{base}, pairs(pid, oid) AS (VALUES {values})"
            " SELECT b.grp, pairs.pid, COUNT(*),"
            " SUM(p.positive = 1 AND o.positive = 0), SUM(p.positive = 0 AND o.positive = 1)"
            " FROM base b"
            " JOIN answers p ON p.respondent_id = b.rid"
            " JOIN pairs ON p.question_id = pairs.pid"
            " JOIN answers o ON o.respondent_id = b.rid AND o.question_id = pairs.oid"
            " GROUP BY b.grp, pairs.pid"
        )
        flat = [qid for pair in pairs for qid in pair]
        return self._frame(sql, [*params, *flat], columns)

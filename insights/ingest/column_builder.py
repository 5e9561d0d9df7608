"""Collecting an import's coded chunks into a wave's column set (:mod:`insights.store.columns`),
chunk by chunk, so that nothing but small integers is kept per respondent while staging.

The column format is the store's (:mod:`insights.store.columns` documents it); this module only
builds it from what the importer codes (``insights.ingest.checks.coded_chunk``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from insights.ingest.codebook import Codebook
from insights.store.columns import Segment, WaveColumns


class _Parts:
    """A wave's columns as they are read, chunk by chunk: per segment, codes numbered in the
    order values first appear (their labels kept beside), and per question, its codes."""

    def __init__(self, segments: int, questions: int) -> None:
        self._labels: list[dict[str, int]] = [{} for _ in range(segments)]
        self._segments: list[list[np.ndarray]] = [[] for _ in range(segments)]
        self._questions: list[list[np.ndarray]] = [[] for _ in range(questions)]
        self.respondents = 0

    def add(self, segments: Sequence[pd.Series], questions: Sequence[np.ndarray]) -> None:
        """One chunk: each segment's values (NA when not stated), each question's codes."""
        for known, parts, values in zip(self._labels, self._segments, segments, strict=True):
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            lookup = np.array([known.setdefault(str(u), len(known) + 1) for u in uniques] + [0])
            parts.append(lookup[codes].astype(np.uint32))
        for parts, codes in zip(self._questions, questions, strict=True):
            parts.append(codes.astype(np.int8))
        self.respondents += len(segments[0]) if segments else len(questions[0]) if questions else 0

    def build(self, segment_ids: Sequence[int], question_ids: Sequence[int]) -> WaveColumns:
        """The column set, keyed by the segments' and questions' ids, in the order added."""
        segments = {
            sid: _sorted_segment(_joined(parts, np.uint32), list(known))
            for sid, known, parts in zip(segment_ids, self._labels, self._segments, strict=True)
        }
        questions = {
            qid: _joined(parts, np.int8)
            for qid, parts in zip(question_ids, self._questions, strict=True)
        }
        return WaveColumns(self.respondents, segments, questions)


class ColumnBuilder:
    """Collects an import's coded chunks (``insights.ingest.checks.coded_chunk``) into a
    column set, chunk by chunk, so that nothing but small integers is kept per respondent."""

    def __init__(self, codebook: Codebook) -> None:
        self._segments = len(codebook.segments)
        self._parts = _Parts(self._segments, len(codebook.questions))
        self._positive = [
            np.asarray(codebook.scales[q.scale].positive_codes, dtype=np.int64)
            for q in codebook.questions
        ]

    def add(self, coded: pd.DataFrame) -> None:
        segments = [coded[f"s{i}"] for i in range(self._segments)]
        questions = []
        for i, positive in enumerate(self._positive):
            answers = coded[f"q{i}"].to_numpy(dtype="float64", na_value=np.nan)
            answered = ~np.isnan(answers)
            is_positive = np.isin(np.nan_to_num(answers, nan=0).astype(np.int64), positive)
            questions.append(answered.astype(np.int8) + (answered & is_positive))
        self._parts.add(segments, questions)

    def build(self, segment_ids: Sequence[int], question_ids: Sequence[int]) -> WaveColumns:
        """The column set, keyed by the ids the import's transaction gave the codebook's
        segments and questions (in the codebook's order)."""
        return self._parts.build(segment_ids, question_ids)


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _sorted_segment(codes: np.ndarray, labels: list[str]) -> Segment:
    """Re-number codes so that labels are sorted, in the narrowest unsigned type."""
    order = sorted(range(len(labels)), key=lambda i: labels[i])
    renumber = np.zeros(len(labels) + 1, dtype=np.int64)
    renumber[[i + 1 for i in order]] = np.arange(1, len(labels) + 1)
    dtype = np.uint8 if len(labels) < 255 else np.uint16 if len(labels) < 65535 else np.uint32
    return Segment(renumber[codes].astype(dtype), tuple(labels[i] for i in order))

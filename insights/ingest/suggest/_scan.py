"""One streaming pass over an export, keeping a bounded profile of each column's answers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from insights.ingest.exports._limits import cell_too_long
from insights.ingest.exports._model import Export, Progress

# A column with more distinct answers than this is free text, an id or a measurement;
# its values stop being collected so memory stays bounded whatever the file size.
DISTINCT_CAP = 60
CHUNK_ROWS = 10_000


_WHOLE = re.compile(r"[-+]?\d{1,9}(?:\.0*)?")
_DECIMAL = re.compile(r"[-+]?\d*[.,]\d+")


@dataclass
class Profile:
    """What one column's answers look like; every field is exact except ``values``, which
    stops growing (a sample, with counts) once the column overflows."""

    values: dict[str, int] = field(default_factory=dict)  # distinct answer → how many gave it
    overflow: bool = False  # more than DISTINCT_CAP distinct answers (values is a sample)
    answered: int = 0  # non-blank cells
    longest: int = 0  # characters in the longest answer
    whole_numbers: int = 0  # answers that are whole numbers ("7", "7.0")
    decimals: int = 0  # answers that are other numbers ("7.5")
    low: int | None = None  # the smallest and largest whole-number answers
    high: int | None = None

    @property
    def all_whole_numbers(self) -> bool:
        return self.answered > 0 and self.whole_numbers == self.answered

    def add(self, cells: pd.Series) -> None:
        """Count a chunk's cells. Each distinct cell is stripped and measured once (a
        column repeats a handful of answers), in the order the chunk first holds them."""
        codes, distinct = pd.factorize(cells.to_numpy(dtype=object))  # missing: code -1
        counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
        for value, count in zip(distinct, counts.tolist(), strict=True):
            text = str(value).strip()
            if not text:
                continue
            self.answered += count
            self.longest = max(self.longest, len(text))
            self._measure(text, count)
            if not self.overflow or text in self.values:
                self.values[text] = self.values.get(text, 0) + count
                self.overflow = self.overflow or len(self.values) > DISTINCT_CAP

    def _measure(self, text: str, count: int) -> None:
        if _WHOLE.fullmatch(text):
            number = int(float(text))
            self.whole_numbers += count
            self.low = number if self.low is None else min(self.low, number)
            self.high = number if self.high is None else max(self.high, number)
        elif _DECIMAL.fullmatch(text):
            self.decimals += count


@dataclass(frozen=True)
class Scan:
    profiles: dict[str, Profile]
    rows: int  # respondents read
    truncated: bool  # sample_rows stopped the scan before the end of the export


def scan(
    export: Export,
    column_ids: Iterable[str],
    sample_rows: int | None = None,
    progress: Progress | None = None,
) -> Scan:
    """Profile ``column_ids`` over the export's respondents (the first ``sample_rows`` only);
    a cell longer than the export's limits allow is refused (ImportFailed)."""
    if sample_rows is not None and sample_rows < 1:
        raise ValueError("sample_rows must be at least 1")
    profiles = {column_id: Profile() for column_id in column_ids}
    size = min(sample_rows, CHUNK_ROWS) if sample_rows else CHUNK_ROWS
    rows = 0
    chunks = export.chunks(size, progress)
    try:
        for chunk in chunks:
            if sample_rows is not None and rows >= sample_rows:
                # Only reached when the export has more rows than the sample: say so.
                return Scan(profiles, rows, truncated=not chunk.empty)
            if sample_rows is not None:
                chunk = chunk.iloc[: sample_rows - rows]
            rows += len(chunk)
            for column_id, profile in profiles.items():
                if column_id in chunk.columns:
                    profile.add(_cells(chunk, column_id))
                    if profile.longest > export.limits.max_cell_chars:
                        where = f"column {column_id!r}"
                        raise cell_too_long(export.name, where, profile.longest, export.limits)
    finally:
        close = getattr(chunks, "close", None)  # release the reader's file when stopping early
        if close is not None:
            close()
    return Scan(profiles, rows, truncated=False)


def _cells(chunk: pd.DataFrame, column_id: str) -> pd.Series:
    cells = chunk[column_id]
    if isinstance(cells, pd.DataFrame):  # a repeated header: the first one is the column
        return cells.iloc[:, 0]
    return cells

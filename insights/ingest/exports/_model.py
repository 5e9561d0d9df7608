"""What every survey export becomes once read: columns described, respondents in chunks.

Readers for each platform's layout (Qualtrics, SurveyMonkey, Google Forms, plain) produce
an :class:`Export`; the importer and the codebook suggester only ever see this model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from insights.ingest.exports._limits import DEFAULT_LIMITS, Limits

Format = Literal["qualtrics", "qualtrics-legacy", "surveymonkey", "google-forms", "plain"]
FORMATS: tuple[Format, ...] = (
    "qualtrics",
    "qualtrics-legacy",
    "surveymonkey",
    "google-forms",
    "plain",
)

# (rows done, rows or bytes in all) — whatever unit the reader can count cheaply.
Progress = Callable[[int, int], None]
# A chunk's memory grows with its cells, so a wide export is read fewer rows at a time;
# never fewer than MIN_CHUNK_ROWS, as each chunk also costs some work per column.
CELLS_PER_CHUNK = 1_000_000
MIN_CHUNK_ROWS = 1_000


@dataclass(frozen=True)
class Column:
    """One column of an export.

    ``id`` is the name a codebook uses for it: the platform's column id where it has one
    (Qualtrics ``Q3_2``), otherwise the header text, with a grid row as ``Question [Row]``.
    ``text`` is the question text the export carries, on one line and without markup.
    """

    id: str
    text: str = ""
    metadata: bool = False  # platform bookkeeping (dates, ids, status, …), never a question
    question: str | None = None  # a grid row's question text
    row: str | None = None  # a grid row's label


@dataclass(frozen=True)
class Layout:
    """How the header of an export was understood."""

    format: Format
    header_rows: int  # file rows before the first respondent
    columns: tuple[Column, ...]
    respondent_id: str | None = None  # id of the column holding the platform's response id
    note: str | None = None  # which layout was chosen and why, where detection was unsure

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.columns]

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)

    def question_text(self, column_id: str) -> str | None:
        """The question text the export gives a column, None where it has none beyond the id."""
        column = self.column(column_id)
        if column is None or column.metadata or not column.text or column.text == column_id:
            return None
        return column.text


ChunkReader = Callable[[int, Progress | None], Iterator[pd.DataFrame]]


def fit_rows(rows: int, width: int) -> int:
    """``rows``, or fewer so that a chunk ``width`` cells wide holds about CELLS_PER_CHUNK."""
    return max(1, min(rows, max(MIN_CHUNK_ROWS, CELLS_PER_CHUNK // max(1, width))))


@dataclass
class Export:
    """A survey export, read lazily.

    :meth:`chunks` yields the kept respondents as frames of strings (columns are
    ``Column.id``; the index is the respondent's row number in the file as a spreadsheet
    shows it) and counts the rows it leaves out, by reason, in ``excluded``. ``limits``
    are those the file was opened with; the reader enforces them, and so do the importer
    and the suggester on the cells they use.
    """

    name: str
    layout: Layout
    reader: ChunkReader
    excluded: Counter[str] = field(default_factory=Counter)
    limits: Limits = DEFAULT_LIMITS

    @property
    def format(self) -> Format:
        return self.layout.format

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.layout.columns

    def chunks(
        self, rows: int = 50_000, progress: Progress | None = None
    ) -> Iterator[pd.DataFrame]:
        """Kept respondents, at most ``rows`` at a time (fewer when the export is wide);
        restarts (and recounts) on every call."""
        self.excluded.clear()
        yield from self.reader(self.chunk_rows(rows), progress)

    def chunk_rows(self, rows: int) -> int:
        return fit_rows(rows, len(self.layout.columns))

    def frame(self) -> pd.DataFrame:
        """Every kept respondent in one frame (small files and tests)."""
        parts = list(self.chunks())
        if not parts:
            return pd.DataFrame(columns=self.layout.ids, dtype=str)
        return pd.concat(parts)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str = "frame",
        columns: Sequence[Column] | None = None,
        format: Format = "plain",
        respondent_id: str | None = None,
    ) -> Export:
        """An export over an in-memory frame of strings (its index is kept as row numbers)."""
        described = tuple(columns or (Column(id=str(c), text=str(c)) for c in frame.columns))
        layout = Layout(format, 1, described, respondent_id)

        def read(rows: int, progress: Progress | None) -> Iterator[pd.DataFrame]:
            for start in range(0, len(frame), rows):
                yield frame.iloc[start : start + rows]
                if progress:
                    progress(min(start + rows, len(frame)), len(frame))

        return cls(name=name, layout=layout, reader=read)

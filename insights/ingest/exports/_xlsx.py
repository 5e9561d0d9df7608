"""Reading XLSX exports with openpyxl in read-only mode, a batch of rows at a time.

Only the first worksheet is read (SurveyMonkey and Excel put the responses there). Cells
arrive typed, so they are rendered back to the text a person sees in the sheet: whole
numbers without ".0", dates as ISO dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from insights.errors import ImportFailed
from insights.ingest.exports._chunk import shape
from insights.ingest.exports._exclude import Exclusions
from insights.ingest.exports._header import HEADER_RECORDS, Header
from insights.ingest.exports._limits import Limits
from insights.ingest.exports._model import ChunkReader, Layout, Progress
from insights.ingest.exports._xlsx_check import check_workbook, damaged

Cells = Sequence[object]


def render(value: object) -> str:
    """A cell as text the way a spreadsheet shows it (None is a blank cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@contextmanager
def _first_sheet(path: Path) -> Iterator[Any]:
    """The workbook's first worksheet, open read-only; closed (with its zip) on exit.

    openpyxl is handed the open file, not the path, so it does not refuse a workbook
    whose name does not end in .xlsx (what a file is comes from its bytes).
    """
    with path.open("rb") as file:
        try:
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except MemoryError:
            raise  # not damage: the process may not hold this much (a limit of its own)
        except Exception as error:  # openpyxl lets zip, XML and key errors through as is
            raise damaged(path.name, error) from None
        try:
            if not book.worksheets:
                raise ImportFailed(
                    f"File {path.name} has no worksheets. Export the survey again and try again."
                )
            yield book.worksheets[0]
        finally:
            book.close()


def _rows(sheet: Any, name: str, first: int) -> Iterator[tuple[int, Cells]]:
    """Rows from row ``first`` on with their numbers; gaps come back as empty rows."""
    sheet.reset_dimensions()  # a wrong <dimension> would otherwise cut rows or columns off
    values = sheet.iter_rows(min_row=first, values_only=True)
    number = first
    while True:
        try:
            cells = next(values)
        except StopIteration:
            return
        except MemoryError:
            raise
        except Exception as error:  # a damaged sheet fails only when its XML is reached
            raise damaged(name, error) from None
        yield number, cells
        number += 1


def _read_header(path: Path) -> Header:
    """The header records after any blank rows above them."""
    found: list[tuple[str, ...]]
    lead, found = 0, []
    with _first_sheet(path) as sheet:
        for _, cells in _rows(sheet, path.name, 1):
            record = [render(c) for c in cells]
            while record and not record[-1].strip():
                record.pop()
            if not found and not record:
                lead += 1
                continue
            found.append(tuple(record))
            if len(found) == HEADER_RECORDS:
                break
        title = sheet.title
    if not found:
        raise ImportFailed(
            f"File {path.name} has nothing on its first sheet ({title!r}). Put the export "
            "on the first sheet and try again."
        )
    return Header(path.name, tuple(found), lead)


@dataclass
class _Batch:
    """``size`` sheet rows: the numbers and cells of those holding anything, and the
    number of the last one read (empty rows count towards the size but are not kept)."""

    numbers: list[int] = field(default_factory=list)
    rows: list[Cells] = field(default_factory=list)
    last: int = 0


def _batches(rows: Iterator[tuple[int, Cells]], size: int) -> Iterator[_Batch]:
    """Numbered rows gathered ``size`` sheet rows at a time. An empty row (openpyxl makes
    one for every row number a sheet skips, however far) is only counted: it would be
    dropped as blank anyway, and rendering millions of them would take hours."""
    batch, read = _Batch(), 0
    for number, cells in rows:
        if cells.count(None) != len(cells):
            batch.numbers.append(number)
            batch.rows.append(cells)
        batch.last, read = number, read + 1
        if read == size:
            yield batch
            batch, read = _Batch(), 0
    if read:
        yield batch


def _frame(batch: list[Cells], numbers: list[int], width: int) -> pd.DataFrame:
    """Rendered cells of a batch, padded to a common width, indexed by row number."""
    width = max(width, *(len(cells) for cells in batch))
    table = [[render(c) for c in cells] + [""] * (width - len(cells)) for cells in batch]
    return pd.DataFrame(table, index=numbers, columns=range(width), dtype=str)


@dataclass(frozen=True)
class XlsxSource:
    """An XLSX export whose header is known."""

    path: Path
    header: Header

    @classmethod
    def open(cls, path: Path, limits: Limits) -> XlsxSource:
        """Check the workbook against ``limits``, then read the header: a damaged, empty or
        oversized workbook fails before any import, and before openpyxl holds any of it."""
        check_workbook(path, limits)
        return cls(path, _read_header(path))

    def reader(self, layout: Layout, rule: Exclusions, excluded: Counter[str]) -> ChunkReader:
        """Chunks of respondents: ``rows`` sheet rows at a time, progress counted in rows."""
        ids, name = layout.ids, self.path.name

        def read(rows: int, progress: Progress | None) -> Iterator[pd.DataFrame]:
            with _first_sheet(self.path) as sheet:
                total = sheet.max_row or 0  # from the sheet's own <dimension>; may be absent
                for batch in _batches(_rows(sheet, name, layout.header_rows + 1), rows):
                    if batch.rows:
                        frame = _frame(batch.rows, batch.numbers, len(ids))
                        frame = shape(frame, ids, name, rule, excluded)
                        if len(frame):
                            yield frame
                    if progress:
                        progress(batch.last, max(total, batch.last))

        return read

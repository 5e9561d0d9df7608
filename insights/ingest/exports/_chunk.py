"""Turning a block of raw rows into the frame an Export yields.

CSV and XLSX readers both hand over positional cells indexed by file row number; the
rules for what a respondent row may hold live here once, so both formats agree.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from insights.errors import ImportFailed
from insights.ingest.exports._exclude import BLANK, Exclusions


def _blank(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is empty or spaces (Excel leaves these after deleting rows).

    Only rows whose first cell is blank can be; the rest are never stripped, which at a
    million rows saves seconds.
    """
    blank = pd.Series(False, index=frame.index)
    if frame.shape[1] == 0:
        return blank
    candidates = frame[frame.iloc[:, 0].str.strip().eq("")]
    if len(candidates):
        empty = candidates.apply(lambda column: column.str.strip().eq("")).all(axis=1)
        blank[empty.index[empty]] = True
    return blank


def _refuse_extra_cells(raw: pd.DataFrame, width: int, name: str) -> None:
    """Raise for the first row with a filled cell right of the header's last column.

    Such a cell has no column name to import it under, and usually means a delimiter or
    quote went astray in that row; blank cells there are harmless and ignored.
    """
    if raw.shape[1] <= width:
        return
    extra = raw.iloc[:, width:]
    filled = (extra != "").to_numpy()
    if filled.any():  # these cells are nearly always "": strip them only when they are not
        filled = filled & ~extra.apply(lambda column: column.str.strip().eq("")).to_numpy()
    rows = filled.any(axis=1)
    if not rows.any():
        return
    first = int(rows.argmax())
    cells = width + int(filled[first].nonzero()[0].max()) + 1
    raise too_many_cells(name, int(raw.index[first]), cells, width)


def too_many_cells(name: str, row: int, cells: int, width: int) -> ImportFailed:
    """The refusal for a row longer than its header, naming the row as a spreadsheet does."""
    return ImportFailed(
        f"File {name}, row {row}: the row has {cells} cells but the header has only {width} "
        "columns. Remove the extra cells or give them a header, or check that the row's "
        "quotes and delimiters are right, and try again."
    )


def shape(
    raw: pd.DataFrame, ids: list[str], name: str, rule: Exclusions, excluded: Counter[str]
) -> pd.DataFrame:
    """Respondents of ``raw`` under their column ids: blank rows dropped, exclusions counted.

    Blank rows are counted too, so the summary accounts for every row of the file (a
    spreadsheet of 69 rows that imports 64 respondents says where the 5 went).
    Readers hand over every cell as text, "" where a row is short, never NaN.
    """
    _refuse_extra_cells(raw, len(ids), name)
    frame = raw.iloc[:, : len(ids)].set_axis(ids, axis=1)
    blank = _blank(frame)
    if blank.any():  # dropping rows copies every column, so only when some are blank
        frame = frame[~blank]
        excluded[BLANK] += int(blank.sum())
    return rule.keep(frame, excluded)

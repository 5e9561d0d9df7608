"""How much of a file the readers take: past any limit a file is refused, with a message
that names the limit, before anything large is built from it.

A few kilobytes can describe gigabytes (a zipped workbook holding one enormous text, a row
of millions of empty cells), so sizes are checked as a file is read, never after. The
defaults fit any real survey export; every one can be raised (``bot.settings``).
"""

from __future__ import annotations

from dataclasses import dataclass

from insights.errors import ImportFailed

MB = 1024 * 1024
# Excel's own bounds: no workbook it writes goes past them.
EXCEL_CELL_CHARS = 32_767
EXCEL_ROWS = 1_048_576


@dataclass(frozen=True)
class Limits:
    """What the export readers accept.

    ``max_columns`` bounds every row, empty cells included (a header of 8,000 columns and a
    row of 2 million cells are both refused). ``max_cell_chars`` bounds one cell (and one
    header). The ``xlsx_`` limits bound a workbook unpacked: all of its parts together,
    and its table of shared texts (count and total size), which a reader holds in memory.
    """

    max_columns: int = 2_000
    max_cell_chars: int = EXCEL_CELL_CHARS
    xlsx_unpacked_mb: int = 1_024
    xlsx_shared_strings: int = 1_000_000
    xlsx_shared_strings_mb: int = 100

    @property
    def xlsx_unpacked_bytes(self) -> int:
        return self.xlsx_unpacked_mb * MB

    @property
    def xlsx_shared_strings_chars(self) -> int:
        return self.xlsx_shared_strings_mb * MB


DEFAULT_LIMITS = Limits()


def too_many_columns(name: str, columns: int, limits: Limits) -> ImportFailed:
    return ImportFailed(
        f"File {name} has {columns:,} columns; Empathy Gap reads at most "
        f"{limits.max_columns:,}. Export only the columns you need (survey platforms let "
        "you choose them), or split the questions into several files, and try again."
    )


def row_too_wide(name: str, row: int, cells: int | None, limits: Limits) -> ImportFailed:
    """A row wider than any header may be; ``cells`` ``None``: counting stopped early."""
    counted = f"{cells:,} cells" if cells is not None else f"more than {limits.max_columns:,} cells"
    return ImportFailed(
        f"File {name}, row {row} has {counted} (empty ones included); Empathy Gap reads at "
        f"most {limits.max_columns:,} columns. Delete the unused columns right of your data, "
        "or export the file again, and try again."
    )


def cell_too_long(name: str, where: str, chars: int | None, limits: Limits) -> ImportFailed:
    """``where``: "row 5, column C"; ``chars`` ``None``: reading stopped past the limit."""
    most = f"{limits.max_cell_chars:,}"
    size = f"{chars:,} characters" if chars is not None else f"more than {most} characters"
    return ImportFailed(
        f"File {name}, {where}: one cell holds {size}; Empathy Gap reads at most {most} "
        f"characters per cell (Excel's own limit is {EXCEL_CELL_CHARS:,}). Shorten it, or "
        "leave its column out of the export, and try again."
    )

"""The first records of a delimited text export: its delimiter, header rows, and faults.

The header is read record by record with the csv module, so the layout can be recognised
before pandas streams the respondents; quoting faults are named here by file row.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from insights.errors import ImportFailed
from insights.ingest.exports._header import HEADER_RECORDS, Header, letter
from insights.ingest.exports._limits import (
    DEFAULT_LIMITS,
    Limits,
    cell_too_long,
    row_too_wide,
    too_many_columns,
)

DELIMITERS = ("\t", ",", ";")  # on a tie the first wins: tabs are rare inside header text
SNIFF_CHARS = 1 << 16
SINGLE_COLUMN = "\x1f"  # ASCII unit separator: never in survey text, so nothing splits


def sniff_delimiter(text: str) -> str:
    """The delimiter used most in the first non-blank record, counting only outside quotes.

    Only that record counts: answers below it hold commas and semicolons of their own. A
    header without any is a single column, so its cells are split on nothing at all.
    """
    counts: Counter[str] = Counter()
    quoted = started = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if started:
                break
            continue
        elif char in DELIMITERS:
            counts[char] += 1
        started = started or char != " "
    return max(DELIMITERS, key=lambda d: counts[d]) if counts else SINGLE_COLUMN


def _blank(record: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in record)


def _trimmed(record: Sequence[str]) -> tuple[str, ...]:
    """A record without its trailing blank cells (spreadsheets pad rows with delimiters)."""
    end = len(record)
    while end and not record[end - 1].strip():
        end -= 1
    return tuple(record[:end])


def unreadable(name: str, reason: object) -> ImportFailed:
    reason = " ".join(str(reason).split())  # pandas' messages end in a newline
    return ImportFailed(
        f"File {name} is not a readable CSV: {reason}. Check that every quoted cell has its "
        "closing quote, or export the file again, and try again."
    )


def unclosed(name: str, row: int) -> ImportFailed:
    return ImportFailed(
        f"File {name}, row {row}: a quoted cell is never closed, so the rest of the file "
        'would be read into it. Add the missing closing quote (") and try again.'
    )


@contextmanager
def open_text(path: Path, encoding: str) -> Iterator[io.TextIOWrapper]:
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding, newline="") as text:
        yield text


class _RowGuard:
    """The lines csv reads, with the delimiters of the current record counted: a record
    holding more than twice the columns allowed is refused before csv builds it (quoted
    delimiters count too, hence the margin)."""

    def __init__(self, lines: Iterator[str], name: str, delimiter: str, limits: Limits) -> None:
        self.lines, self.name, self.delimiter, self.limits = lines, name, delimiter, limits
        self.row = 1
        self.header_read = False  # a non-blank record came before this one
        self.delimiters = 0
        self.quoted = False

    def __iter__(self) -> _RowGuard:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.delimiters += line.count(self.delimiter)
        self.quoted = self.quoted or '"' in line
        if self.delimiters >= 2 * self.limits.max_columns:
            raise self._refusal()
        return line

    def _refusal(self) -> ImportFailed:
        # Without quotes a record is one whole line, each delimiter between two cells: the
        # count is exact. The first record with anything in it is the header.
        cells = None if self.quoted else self.delimiters + 1
        if not self.header_read and cells is not None:
            return too_many_columns(self.name, cells, self.limits)
        return row_too_wide(self.name, self.row, cells, self.limits)

    def next_row(self, record: list[str]) -> None:
        self.header_read = self.header_read or any(cell.strip() for cell in record)
        self.row += 1
        self.delimiters = 0
        self.quoted = False


def records(
    path: Path,
    encoding: str,
    delimiter: str,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Generator[list[str], None, None]:
    """Every record of the file, blank lines included (they are spreadsheet rows too);
    a record far wider than ``limits`` allows is refused before it is built."""
    with open_text(path, encoding) as text:
        guard = _RowGuard(text, path.name, delimiter, limits)
        for record in csv.reader(guard, delimiter=delimiter, strict=strict):
            yield record
            guard.next_row(record)


@dataclass
class _HeaderScan:
    """The records above the first respondent, gathered one by one."""

    lead: int = 0  # blank rows above the header
    found: list[list[str]] = field(default_factory=list)

    def feed(self, records: Iterator[list[str]]) -> None:
        """Take the header records and one more: the first respondent's width counts too."""
        for record in records:
            if not self.found and _blank(record):
                self.lead += 1
                continue
            self.found.append(record)
            if len(self.found) > HEADER_RECORDS:
                return

    @property
    def row(self) -> int:
        """The file row being read, for messages."""
        return self.lead + len(self.found) + 1


def _scan(
    path: Path, encoding: str, delimiter: str, limits: Limits, *, strict: bool
) -> _HeaderScan:
    scan = _HeaderScan()
    try:
        with closing(records(path, encoding, delimiter, strict=strict, limits=limits)) as found:
            scan.feed(found)
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise unclosed(path.name, scan.row) from None
        if "field larger than field limit" in str(error):  # csv's own bound, above ours
            raise cell_too_long(path.name, f"row {scan.row}", None, limits) from None
        if strict:
            raise
        raise unreadable(path.name, f"row {scan.row}: {error}") from None
    return scan


def read_header(
    path: Path, encoding: str, delimiter: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Header, int]:
    """The header records after any blank rows, and the widest of the first records.

    Read strictly first, as that is what notices a quote left open (which would swallow
    the file into one header cell); a stray quote inside a cell (``"a"b``) is then read
    leniently, as pandas will read it. A header past ``limits`` is refused.
    """
    try:
        scan = _scan(path, encoding, delimiter, limits, strict=True)
    except csv.Error:
        scan = _scan(path, encoding, delimiter, limits, strict=False)
    if not scan.found:
        raise ImportFailed(f"File {path.name} is empty: there is no header row and no respondents.")
    records = tuple(_trimmed(r) for r in scan.found[:HEADER_RECORDS])
    _check_header(path.name, scan, records, limits)
    return Header(path.name, records, scan.lead), max(len(r) for r in scan.found)


def _check_header(
    name: str, scan: _HeaderScan, records: tuple[tuple[str, ...], ...], limits: Limits
) -> None:
    """Refuse a header with more columns than ``limits`` allow, or with an over-long cell;
    the first records are checked whole, empty cells included, as pandas will read them."""
    columns = max(len(r) for r in records)
    if columns > limits.max_columns:
        raise too_many_columns(name, columns, limits)
    for number, record in enumerate(scan.found, start=scan.lead + 1):
        if len(record) > limits.max_columns:
            raise row_too_wide(name, number, len(record), limits)
        for position, cell in enumerate(record):
            if len(cell) > limits.max_cell_chars:
                where = f"row {number}, column {letter(position)}"
                raise cell_too_long(name, where, len(cell), limits)

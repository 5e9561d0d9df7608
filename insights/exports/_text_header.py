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
from insights.exports._header import HEADER_RECORDS, Header

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


def records(
    path: Path, encoding: str, delimiter: str, *, strict: bool = False
) -> Generator[list[str], None, None]:
    """Every record of the file, blank lines included (they are spreadsheet rows too)."""
    with open_text(path, encoding) as text:
        yield from csv.reader(text, delimiter=delimiter, strict=strict)


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


def _scan(path: Path, encoding: str, delimiter: str, *, strict: bool) -> _HeaderScan:
    scan = _HeaderScan()
    try:
        with closing(records(path, encoding, delimiter, strict=strict)) as found:
            scan.feed(found)
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise unclosed(path.name, scan.row) from None
        if strict:
            raise
        raise unreadable(path.name, f"row {scan.row}: {error}") from None
    return scan


def read_header(path: Path, encoding: str, delimiter: str) -> tuple[Header, int]:
    """The header records after any blank rows, and the widest of the first records.

    Read strictly first, as that is what notices a quote left open (which would swallow
    the file into one header cell); a stray quote inside a cell (``"a"b``) is then read
    leniently, as pandas will read it.
    """
    try:
        scan = _scan(path, encoding, delimiter, strict=True)
    except csv.Error:
        scan = _scan(path, encoding, delimiter, strict=False)
    if not scan.found:
        raise ImportFailed(f"File {path.name} is empty: there is no header row and no respondents.")
    records = tuple(_trimmed(r) for r in scan.found[:HEADER_RECORDS])
    return Header(path.name, records, scan.lead), max(len(r) for r in scan.found)

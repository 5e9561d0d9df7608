"""Checking a workbook against the limits before openpyxl opens it.

openpyxl holds a workbook's shared texts in memory from the moment it opens it, and
builds each row whole before handing it over, so a zip of 400 KB can make it hold
gigabytes. Every part of the zip is therefore read once first, streaming (expat, a
buffer at a time): the zip's own sizes are summed, then each XML part is parsed with
counters only, and the first limit passed stops the reading with its message. The zip
module never returns more bytes than a part declares, so the declared sizes are bounds.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers import expat

from insights.errors import ImportFailed
from insights.ingest.exports._header import letter
from insights.ingest.exports._limits import (
    EXCEL_ROWS,
    MB,
    Limits,
    cell_too_long,
    row_too_wide,
)

FEED_BYTES = 64 * 1024
# Markup this long with nothing in it reported (one giant tag or attribute) is no sheet.
QUIET_BYTES = 4 * MB


def damaged(name: str, error: Exception | str) -> ImportFailed:
    kind = error if isinstance(error, str) else type(error).__name__
    return ImportFailed(
        f"File {name} is not a readable Excel workbook (it may be damaged or only partly "
        f"downloaded: {kind}). Open it in Excel and save it again as .xlsx, or export it "
        "again, and try again."
    )


def check_workbook(path: Path, limits: Limits) -> None:
    """Raise ImportFailed for a workbook past ``limits``, or one no reader can use."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > limits.xlsx_unpacked_bytes:
                raise _too_big_unpacked(name, unpacked, limits)
            shared = _SharedTexts(name, limits)
            for member in members:
                _scan_part(archive, member, _PartScan(name, limits, shared))
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise damaged(name, error) from None


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, scan: _PartScan) -> None:
    """Parse one part with ``scan``'s counters. A part that is not XML is left alone: no
    reader parses it either, and any XML before the first bad byte was counted."""
    with archive.open(member) as stream:
        try:
            while chunk := stream.read(FEED_BYTES):
                scan.quiet += len(chunk)
                if scan.quiet > QUIET_BYTES:
                    raise damaged(scan.name, f"{member.filename} holds markup of over 4 MB")
                scan.parser.Parse(chunk, False)
            scan.parser.Parse(b"", True)
        except expat.ExpatError:
            return


class _SharedTexts:
    """The workbook's table of shared texts, counted across its parts."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.count = 0
        self.chars = 0

    def add_entry(self) -> None:
        self.count += 1
        if self.count > self.limits.xlsx_shared_strings:
            raise ImportFailed(
                f"File {self.name} holds more than {self.limits.xlsx_shared_strings:,} "
                "different texts; Empathy Gap reads workbooks with at most that many. Save "
                "it as 'CSV UTF-8' and upload that instead."
            )

    def add_text(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.xlsx_shared_strings_chars:
            raise ImportFailed(
                f"File {self.name} holds more than {self.limits.xlsx_shared_strings_mb:,} MB "
                "of different texts; Empathy Gap reads workbooks with at most that much. "
                "Save it as 'CSV UTF-8' and upload that instead."
            )


class _PartScan:
    """Counters for one XML part, fed by expat: rows, cells per row, text per cell.

    A cell's text is everything from its ``<c>`` (or a shared text's ``<si>``) to the next,
    which can only overcount (never lets a long cell through); in other parts (comments,
    drawings) each text is bounded on its own. Tags are compared without
    their prefix (``x:row`` is a row): a reader that ignores an element is only spared.
    This runs for every cell of a sheet, so it does the least it can per element.
    """

    def __init__(self, name: str, limits: Limits, shared: _SharedTexts) -> None:
        self.name, self.limits, self.shared = name, limits, shared
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.CharacterDataHandler = self.text
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.quiet = 0  # bytes fed since the parser last reported anything
        self.root: str | None = None
        self.in_shared = False  # the part is a table of shared texts
        self.in_cells = False  # its texts belong to cells (rich texts come in pieces)
        self.row = 0
        self.column = 0
        self.chars = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.quiet = 0
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if self.root is None:
            self._first(tag)
        if tag == "c":
            self.chars = 0
            letters = attributes.get("r", "").rstrip("0123456789")
            if letters.isalpha():
                self.column = _column_number(letters)
            else:
                self.column += 1
            if self.column > self.limits.max_columns:  # how far the row goes is not read
                raise row_too_wide(self.name, self.row, None, self.limits)
        elif tag == "row":
            self._row(attributes.get("r"))
        elif tag == "si":
            self.shared.add_entry()
            self.chars = 0
        elif not self.in_cells:
            self.chars = 0  # outside sheets and shared texts, each text is counted alone

    def _first(self, root: str) -> None:
        """The part's root says what it holds: a sheet's cells, shared texts, or else."""
        self.root = root
        self.in_shared = root == "sst"
        self.in_cells = root in ("worksheet", "sst")

    def _row(self, reference: str | None) -> None:
        number = (reference or "").strip()
        self.row = int(number) if number.isdigit() else self.row + 1
        if self.row > EXCEL_ROWS:
            raise damaged(self.name, f"a row numbered {self.row:,}, past Excel's last row")
        self.column = self.chars = 0

    def text(self, data: str) -> None:
        self.quiet = 0
        self.chars += len(data)
        if self.chars > self.limits.max_cell_chars:
            raise cell_too_long(self.name, self._where(), None, self.limits)
        if self.in_shared:
            self.shared.add_text(len(data))

    def _where(self) -> str:
        if self.in_shared:
            return f"text {self.shared.count:,} of its shared texts"
        return f"row {self.row}, column {letter(max(self.column, 1) - 1)}"

    def doctype(self, *_: object) -> None:
        # Excel never writes a DTD, and a DTD's entities can expand a few bytes into many.
        raise damaged(self.name, "it declares XML entities")


def _column_number(letters: str) -> int:
    """1-based column of spreadsheet letters (A → 1, AA → 27); ever larger for more letters."""
    number = 0
    for ch in letters[:8].upper():  # eight letters are past any limit already
        number = number * 26 + max(1, ord(ch) - ord("A") + 1)
    return number


def _too_big_unpacked(name: str, unpacked: int, limits: Limits) -> ImportFailed:
    return ImportFailed(
        f"File {name} unpacks to {unpacked / MB:,.0f} MB; Empathy Gap reads workbooks of at "
        f"most {limits.xlsx_unpacked_mb:,} MB unpacked. Save it as 'CSV UTF-8' (smaller, and "
        "quicker to read) and try again."
    )

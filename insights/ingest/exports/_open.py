"""Opening a survey export file of any supported kind as an :class:`Export`.

What a file is comes from its first bytes where they are telling (an XLSX is a zip, an
old .xls an OLE container), so a renamed file is still read right; the extension is only
trusted to refuse kinds that cannot be survey exports.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from insights.errors import ImportFailed
from insights.ingest.exports._exclude import Exclusions
from insights.ingest.exports._layouts import recognise
from insights.ingest.exports._limits import DEFAULT_LIMITS, Limits
from insights.ingest.exports._model import Export, Format
from insights.ingest.exports._text import TextSource
from insights.ingest.exports._xlsx import XlsxSource

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls, and any encrypted workbook
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ""})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


def _first_bytes(path: Path) -> bytes:
    """The file's first bytes; raises a friendly error when it cannot be opened at all."""
    try:
        with path.open("rb") as file:
            return file.read(8)
    except FileNotFoundError:
        raise ImportFailed(f"File {path.name} does not exist.") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path.name} is a folder, not a file.") from None
    except OSError as error:
        raise ImportFailed(f"File {path.name} cannot be read: {error.strerror}.") from None


def _source(path: Path, limits: Limits) -> TextSource | XlsxSource:
    """The reader for what the file really is, its header read within ``limits``."""
    magic, suffix = _first_bytes(path), path.suffix.lower()
    if not magic:
        raise ImportFailed(f"File {path.name} is empty: there is no header row and no respondents.")
    if magic.startswith(ZIP_MAGIC):
        return XlsxSource.open(path, limits)
    if magic.startswith(OLE_MAGIC) or suffix == ".xls":
        raise ImportFailed(
            f"File {path.name} is an old Excel 97–2003 workbook (or a password-protected "
            "one), which cannot be read. Save it as .xlsx without a password, or as "
            "'CSV UTF-8', and try again."
        )
    if suffix in XLSX_SUFFIXES:
        raise ImportFailed(
            f"File {path.name} is not a readable Excel workbook: it is not a zip archive as "
            "an .xlsx must be (it may be damaged or only partly downloaded). Export it again "
            "and try again."
        )
    if suffix not in TEXT_SUFFIXES:
        raise ImportFailed(
            f"File {path.name} is not a survey export this bot reads: send a .csv, .tsv, "
            ".txt or .xlsx file."
        )
    return TextSource.open(path, limits)


def open_export(
    path: str | Path,
    *,
    format: Format | None = None,
    include_previews: bool = False,
    include_unfinished: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Export:
    """Open a survey export, recognising its platform's layout from the header.

    Nothing but the header is read here; :meth:`Export.chunks` streams the respondents,
    leaving out survey previews/tests and unfinished responses unless asked to keep them.
    A file past ``limits`` is refused (ImportFailed) as soon as reading finds it out.
    """
    path = Path(path)
    source = _source(path, limits)
    plan = recognise(source.header, format)
    rule = Exclusions(plan.status, plan.finished, include_previews, include_unfinished)
    excluded: Counter[str] = Counter()
    reader = source.reader(plan.layout, rule, excluded)
    return Export(path.name, plan.layout, reader, excluded, limits)

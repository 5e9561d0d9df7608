"""Small files that describe huge ones: the attacks of issue 13 (defect 8), made on the spot.

Workbooks are written part by part with zipfile, streaming, so a 400 MB shared text costs
the test a few seconds of compression and no memory; what they hold is a minimal but
valid workbook (openpyxl reads the harmless ones).
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPES}.worksheet+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPES}.sharedStrings+xml"/>\
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" \
Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{_OFFICE}"><sheets>\
<sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""
MB = 1024 * 1024


def workbook(path: Path, sheet: Iterable[bytes], shared: Iterable[bytes] = ()) -> Path:
    """A one-sheet workbook whose sheet and shared-texts parts are the given pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, pieces in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces or [f'<sst xmlns="{MAIN}"/>'.encode()]:
                    part.write(piece)
    return path


def sheet(rows: Iterable[bytes]) -> Iterator[bytes]:
    """A worksheet part around ``rows`` (each a ``<row>`` element, or pieces of one)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def huge_shared_string(path: Path, mb: int = 400) -> Path:
    """Issue 13's workbook: one cell pointing at one shared text of ``mb`` MB (410 KB zipped)."""

    def shared() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>'.encode()
        block = b"a" * MB
        for _ in range(mb):
            yield block
        yield b"</t></si></sst>"

    cell = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return workbook(path, sheet([cell]), shared())


def wide_row(path: Path, cells: int = 2_000_000) -> Path:
    """Issue 13's other workbook: one row of ``cells`` cells (about 60 KB zipped)."""

    def row() -> Iterator[bytes]:
        yield b'<row r="1">'
        block = b"<c><v>1</v></c>" * 10_000
        for _ in range(cells // 10_000):
            yield block
        yield b"</row>"

    return workbook(path, sheet(row()))


def wide_csv(path: Path, columns: int = 8_000, rows: int = 20) -> Path:
    """A CSV of ``columns`` questions, each a personal or organization statement."""
    header = []
    for topic in range(columns // 2):
        header.append(f"I personally believe topic{topic} matters to customers")
        header.append(f"My organization believes topic{topic} matters to customers")
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in range(rows):
            writer.writerow("Agree" if (row + c) % 3 else "Disagree" for c in range(columns))
    return path

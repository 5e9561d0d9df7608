"""Files that cannot be read as survey exports: each refusal names the file and the fix."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from export_fixtures import write_plain
from openpyxl import Workbook

from insights.errors import ImportFailed
from insights.ingest.exports import open_export


def refusal(path: Path, **options: object) -> str:
    """The message open_export (or reading every chunk) refuses ``path`` with."""
    with pytest.raises(ImportFailed) as failed:
        open_export(path, **options).frame()  # type: ignore[arg-type]
    return str(failed.value)


def test_missing_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nowhere.csv") == "File nowhere.csv does not exist."


def test_folder(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()

    assert refusal(tmp_path / "exports") == "exports is a folder, not a file."


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b" , ,\n\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "empty.csv").write_bytes(content)

    assert refusal(tmp_path / "empty.csv") == (
        "File empty.csv is empty: there is no header row and no respondents."
    )


def test_header_only_file_opens_with_no_respondents(tmp_path: Path) -> None:
    export = open_export(write_plain(tmp_path / "header.csv", ["id", "team"], []))

    assert export.layout.ids == ["id", "team"]
    assert list(export.chunks()) == []
    assert export.frame().empty
    assert list(export.frame().columns) == ["id", "team"]


def test_corrupt_xlsx(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)

    assert refusal(tmp_path / "broken.xlsx") == (
        "File broken.xlsx is not a readable Excel workbook (it may be damaged or only partly "
        "downloaded: BadZipFile). Open it in Excel and save it again as .xlsx, or export it "
        "again, and try again."
    )


def test_xlsx_that_is_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "renamed.xlsx").write_text("id,team\n1,Sales\n", encoding="utf-8")

    assert "File renamed.xlsx is not a readable Excel workbook: it is not a zip archive" in (
        refusal(tmp_path / "renamed.xlsx")
    )


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "exports.zip", "w") as archive:
        archive.writestr("responses.csv", "id,team\n1,Sales\n")

    assert "File exports.zip is not a readable Excel workbook" in refusal(tmp_path / "exports.zip")


def test_old_xls(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)

    assert refusal(tmp_path / "old.xls") == (
        "File old.xls is an old Excel 97–2003 workbook (or a password-protected one), which "
        "cannot be read. Save it as .xlsx without a password, or as 'CSV UTF-8', and try again."
    )


def test_unsupported_extension(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n")

    assert refusal(tmp_path / "report.pdf") == (
        "File report.pdf is not a survey export this bot reads: send a .csv, .tsv, .txt or "
        ".xlsx file."
    )


def test_xlsx_with_empty_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Responses"
    book.create_sheet("Notes")["A1"] = "not here"
    book.save(tmp_path / "blank.xlsx")

    assert refusal(tmp_path / "blank.xlsx") == (
        "File blank.xlsx has nothing on its first sheet ('Responses'). Put the export on the "
        "first sheet and try again."
    )


def test_xlsx_without_worksheets(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "full.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "full.xlsx") as source,
        zipfile.ZipFile(tmp_path / "nosheets.xlsx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)
            target.writestr(item, data)

    assert refusal(tmp_path / "nosheets.xlsx") == (
        "File nosheets.xlsx has no worksheets. Export the survey again and try again."
    )


def test_row_with_more_cells_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("id,team,site\nr1,Sales,Lyon\nr2,Sales,Lyon,extra\n", encoding="utf-8")

    assert refusal(path) == (
        "File long.csv, row 3: the row has 4 cells but the header has only 3 columns. Remove "
        "the extra cells or give them a header, or check that the row's quotes and delimiters "
        "are right, and try again."
    )


@pytest.mark.parametrize(
    ("long_row", "cells"),
    [
        (["r41", "Sales", "x"], 3),
        (["r41", "Sales", "", "", "x", "y"], 6),
        (["r41", "", "", "z"], 4),
    ],
)
def test_long_row_in_a_later_chunk_is_named(
    tmp_path: Path, long_row: list[str], cells: int
) -> None:
    rows = [[f"r{i}", "Sales"] for i in range(50)]
    rows[41] = long_row
    export = open_export(write_plain(tmp_path / "late.csv", ["id", "team"], rows))

    with pytest.raises(ImportFailed, match=rf"^File late\.csv, row 43: the row has {cells} cells "):
        list(export.chunks(rows=10))


def test_first_respondent_too_long_is_named(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "first.csv", ["id", "team"], [["r1", "Sales", "Lyon", "x"]])

    assert refusal(path).startswith("File first.csv, row 2: the row has 4 cells ")


def test_xlsx_row_with_extra_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [["r1", "Sales", None], ["r2", "Sales", 7]]
    path = write_plain(tmp_path / "long.xlsx", ["id", "team"], rows, xlsx=True)

    assert refusal(path).startswith(
        "File long.xlsx, row 3: the row has 3 cells but the header has only 2 columns."
    )


def test_repeated_header_names(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "dupes.csv", ["id", "q1", "team", "q1", "team"], [])

    assert refusal(path) == (
        "File dupes.csv has a header that cannot be used (give every column its own name in "
        "the header row and try again): 'q1' names columns B and D; 'team' names columns C "
        "and E. Nothing was imported."
    )


def test_nameless_column_in_the_header(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "gap.csv", ["id", "", "team"], [["1", "2", "3"]])

    assert "column B has no name" in refusal(path)


def test_unclosed_quote_in_a_respondent_row(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('id,team\nr1,Sales\nr2,"Sales\nr3,Support\n', encoding="utf-8")

    assert refusal(path) == (
        "File quote.csv, row 3: a quoted cell is never closed, so the rest of the file would "
        'be read into it. Add the missing closing quote (") and try again.'
    )


def test_unclosed_quote_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text('id,"team\nr1,Sales\n', encoding="utf-8")

    assert refusal(path).startswith("File header.csv, row 1: a quoted cell is never closed")


def test_unknown_forced_format(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "plain.csv", ["id"], [["1"]])

    assert refusal(path, format="excel") == (
        "Unknown export format 'excel': choose one of qualtrics, qualtrics-legacy, "
        "surveymonkey, google-forms, plain, or leave the format out to detect it from the "
        "header."
    )

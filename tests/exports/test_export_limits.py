"""Files past the readers' limits are refused as soon as reading finds out, with a message
that names the limit, before anything large is built from them (issue 13, defect 8).

The attacks of the issue are read in a separate process with 1 GB of address space and a
generous deadline: before the limits, the first made the reader hold 1.4 GB and the second
ran for hours."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from export_fixtures import write_plain
from hostile_files import MAIN, huge_shared_string, sheet, wide_csv, wide_row, workbook

from insights.errors import ImportFailed
from insights.ingest.exports import Limits, open_export
from insights.ingest.exports._model import CELLS_PER_CHUNK

REPO = Path(__file__).resolve().parents[2]
_READ_ALL = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))
    from insights.errors import ImportFailed
    from insights.ingest.exports import open_export
    try:
        for _ in open_export(sys.argv[1]).chunks():
            pass
    except ImportFailed as error:
        print(error.message)
    else:
        print("read without complaint")
    """
)


def read_bounded(path: Path, seconds: float = 120) -> str:
    """What reading ``path`` whole says, in a process of at most 1 GB that must finish
    within ``seconds`` (both far more than the limits need)."""
    done = subprocess.run(
        [sys.executable, "-c", _READ_ALL, str(path)],
        capture_output=True,
        text=True,
        timeout=seconds,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def refusal(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(ImportFailed) as refused:
        export = open_export(path, limits=limits or Limits())
        for _ in export.chunks():
            pass
    return refused.value.message


def test_a_workbook_of_410_kb_holding_a_400_mb_text_is_refused_unread(tmp_path: Path) -> None:
    path = huge_shared_string(tmp_path / "responses.xlsx")
    assert path.stat().st_size < 500_000
    message = read_bounded(path)
    assert message.startswith("File responses.xlsx, text 1 of its shared texts: one cell holds")
    assert "at most 32,767 characters per cell" in message


def test_a_row_of_two_million_cells_is_refused_at_once(tmp_path: Path) -> None:
    path = wide_row(tmp_path / "responses.xlsx")
    assert path.stat().st_size < 200_000
    message = read_bounded(path)
    assert message.startswith("File responses.xlsx, row 1 has more than 2,000 cells")
    assert "reads at most 2,000 columns" in message


def test_rows_skipped_up_to_excels_last_are_not_rendered_one_by_one(tmp_path: Path) -> None:
    header = b'<row r="1">' + b"".join(
        f'<c r="{_letters(n)}1" t="inlineStr"><is><t>Q{n}</t></is></c>'.encode()
        for n in range(1, 2001)
    )
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Agree</t></is></c></row>'
    path = workbook(tmp_path / "sparse.xlsx", sheet([header + b"</row>", last]))
    assert read_bounded(path) == "read without complaint"


def test_a_csv_of_8000_columns_is_refused_naming_them(tmp_path: Path) -> None:
    message = refusal(wide_csv(tmp_path / "wide.csv"))
    assert message.startswith("File wide.csv has 8,000 columns; Empathy Gap reads at most 2,000.")


def test_a_header_just_past_the_limit_is_counted_exactly(tmp_path: Path) -> None:
    path = wide_csv(tmp_path / "wide.csv", columns=12)
    assert "has 12 columns; Empathy Gap reads at most 10" in refusal(path, Limits(max_columns=10))


def test_a_csv_row_of_millions_of_cells_is_refused_before_it_is_split(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("id,value\n1,Agree\n2," + "," * 2_000_000 + "\n")
    message = refusal(path)
    assert message.startswith("File long.csv, row 3 has 2,000,002 cells (empty ones included)")


def test_trailing_empty_columns_count_towards_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "padded.csv"
    path.write_text("id,value" + "," * 15 + "\n1,Agree\n")
    assert "row 1 has 17 cells (empty ones included)" in refusal(path, Limits(max_columns=10))


def test_a_header_cell_longer_than_a_cell_may_be_is_refused(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "long.csv", ["id", "x" * 60], [["1", "Agree"]])
    message = refusal(path, Limits(max_cell_chars=50))
    assert message.startswith("File long.csv, row 1, column B: one cell holds 60 characters")


def test_a_cell_far_right_counts_as_every_column_before_it(tmp_path: Path) -> None:
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="ZZ1"><v>1</v></c></row>'
    path = workbook(tmp_path / "far.xlsx", sheet([row]))
    assert "row 1 has more than 500 cells" in refusal(path, Limits(max_columns=500))


def test_a_long_inline_text_is_refused(tmp_path: Path) -> None:
    cell = f'<c r="B2" t="inlineStr"><is><t>{"y" * 101}</t></is></c>'
    rows = [b'<row r="1"><c r="A1"><v>1</v></c></row>', f'<row r="2">{cell}</row>'.encode()]
    message = refusal(workbook(tmp_path / "long.xlsx", sheet(rows)), Limits(max_cell_chars=100))
    assert message.startswith("File long.xlsx, row 2, column B: one cell holds more than 100")


def test_too_many_shared_texts_are_refused(tmp_path: Path) -> None:
    shared = [f'<sst xmlns="{MAIN}">'.encode(), b"<si><t>x</t></si>" * 11, b"</sst>"]
    path = workbook(tmp_path / "many.xlsx", sheet([b'<row r="1"><c><v>1</v></c></row>']), shared)
    message = refusal(path, Limits(xlsx_shared_strings=10))
    assert message.startswith("File many.xlsx holds more than 10 different texts")


def test_too_much_shared_text_is_refused(tmp_path: Path) -> None:
    entries = [b"<si><t>" + b"z" * 1000 + b"</t></si>"] * 2100
    shared = [f'<sst xmlns="{MAIN}">'.encode(), *entries, b"</sst>"]
    path = workbook(tmp_path / "wordy.xlsx", sheet([b'<row r="1"><c><v>1</v></c></row>']), shared)
    message = refusal(path, Limits(xlsx_shared_strings_mb=2))
    assert message.startswith("File wordy.xlsx holds more than 2 MB of different texts")


def test_a_workbook_unpacking_past_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    filler = [b'<row r="1"><c><v>1</v></c></row>', b"<!--" + b"-" * (3 * 1024 * 1024) + b"-->"]
    path = workbook(tmp_path / "bomb.xlsx", sheet(filler))
    message = refusal(path, Limits(xlsx_unpacked_mb=2))
    assert message.startswith("File bomb.xlsx unpacks to 3 MB; Empathy Gap reads workbooks of")


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c t="inlineStr"><is><t>'.encode()
        + b"&lol2;</t></is></c></row></sheetData></worksheet>"
    )
    path = workbook(tmp_path / "laughs.xlsx", [laughs])
    assert "it declares XML entities" in refusal(path)


def test_a_row_numbered_past_excels_last_is_refused(tmp_path: Path) -> None:
    rows = [b'<row r="1"><c><v>1</v></c></row>', b'<row r="2000000"><c><v>1</v></c></row>']
    path = workbook(tmp_path / "far.xlsx", sheet(rows))
    assert "a row numbered 2,000,000, past Excel's last row" in refusal(path)


def test_an_encrypted_part_is_a_damaged_workbook_not_a_crash(tmp_path: Path) -> None:
    path = workbook(tmp_path / "ok.xlsx", sheet([b'<row r="1"><c><v>1</v></c></row>']))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/extra.bin", b"\x00" * 10)
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # the last part's central directory entry
    data[entry + 8] |= 1  # its "encrypted" flag
    path.write_bytes(bytes(data))
    assert "is not a readable Excel workbook" in refusal(path)


def test_long_notes_outside_cells_are_not_one_long_cell(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "noted.xlsx", ["id", "q"], [["1", "Agree"]], xlsx=True)
    notes = f"<comment><text><t>{'n' * 1000}</t></text></comment>".encode() * 40
    with zipfile.ZipFile(path, "a") as archive:  # 40,000 characters of comments in all
        archive.writestr(
            "xl/comments1.xml", f'<comments xmlns="{MAIN}">'.encode() + notes + b"</comments>"
        )
    assert open_export(path).frame()["q"].tolist() == ["Agree"]


def test_a_legitimate_workbook_still_reads(tmp_path: Path) -> None:
    rows = [["1", "Agree", "x" * 2000], ["2", "Disagree", ""]]
    path = write_plain(tmp_path / "fine.xlsx", ["id", "q", "comment"], rows, xlsx=True)
    assert open_export(path).frame()["q"].tolist() == ["Agree", "Disagree"]


def test_a_wide_export_is_read_in_chunks_of_bounded_cells(tmp_path: Path) -> None:
    path = wide_csv(tmp_path / "wide.csv", columns=1_500, rows=2_500)
    export = open_export(path)
    sizes = [chunk.shape for chunk in export.chunks(rows=50_000)]
    assert sum(rows for rows, _ in sizes) == 2_500
    assert len(sizes) > 1 and all(rows * cols <= 2 * CELLS_PER_CHUNK for rows, cols in sizes)


def _letters(column: int) -> str:
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(ord("A") + rest) + name
    return name

"""Real public exports (tests/exports/real/*, sources in each SOURCE.md) read as exports.

Each test recomputes what it checks straight from the file (csv module, openpyxl), so a
reader that drops, shifts or re-reads a row is caught on data nobody wrote for the tests.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import openpyxl
from support import TEAM

from insights import Store
from insights.ingest.codebook import parse_codebook
from insights.ingest.exports import open_export
from insights.ingest.importer import import_file

REAL = Path(__file__).parent / "real"


def records(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as file:
        return list(csv.reader(file))


def test_older_surveymonkey_export(tmp_path: Path) -> None:
    path = REAL / "surveymonkey-old-houston-providers" / "Sheet_1.csv"
    rows = records(path)
    export = open_export(path)

    assert export.format == "surveymonkey"
    assert export.layout.header_rows == 2
    assert export.layout.respondent_id == "RespondentID"
    frame = export.frame()
    assert len(frame) == len(rows) - 2 == 4
    assert frame["RespondentID"].tolist() == [r[0] for r in rows[2:]]
    # One column per option of a multi-select question, its label cleaned of spacing.
    languages = rows[0][85]
    assert languages.startswith("Which languages can your organization provide services in?")
    spanish = f"{languages} [Spanish]"
    assert frame[spanish].tolist() == [r[86] for r in rows[2:]]
    ticked = Counter(r[86] for r in rows[2:] if r[86])
    assert Counter(v for v in frame[spanish] if v) == ticked
    # A label with markup ("No<br>Please explain …") becomes readable text in the id.
    share = [c for c in export.columns if c.id.startswith("Would you like your organization")]
    assert [c.row for c in share][1].startswith("No Please explain")
    assert all(c.metadata for c in export.columns[:9])


def test_legacy_qualtrics_export() -> None:
    path = REAL / "qualtrics-legacy-qualtrics-r" / "sample_legacy.csv"
    rows = records(path)
    export = open_export(path)

    assert export.format == "qualtrics-legacy"
    assert export.layout.header_rows == 2
    frame = export.frame()
    assert len(frame) == len(rows) - 2 == 1
    assert frame["Q1"].tolist() == [rows[2][rows[0].index("Q1")]]
    assert export.layout.question_text("Q1") == rows[1][rows[0].index("Q1")]


def test_qualtrics_export_with_three_header_rows(store: Store, tmp_path: Path) -> None:
    path = REAL / "qualtrics-three-rows-qualtrics-r" / "sample.csv"
    rows = records(path)
    export = open_export(path)

    assert export.format == "qualtrics"
    assert export.layout.header_rows == 3
    assert export.layout.respondent_id == "ResponseId"
    assert len(export.frame()) == len(rows) - 3 == 1
    q1_text = rows[1][rows[0].index("Q1")]
    assert export.layout.question_text("Q1") == q1_text

    # A codebook without `text`: the catalogue shows the export's question text.
    codebook = parse_codebook(
        '[survey]\nname = "sample"\n\n[scales.choice]\nlabels = ["1", "2"]\n'
        'positive = ["2"]\n\n[[questions]]\ncolumn = "Q1"\ntheme = "choice"\n'
        'scale = "choice"\n'
    )
    import_file(store, path, codebook, team_id=TEAM, wave="w1", actor="cli:test")
    texts = store.db.execute("SELECT key, text FROM questions").fetchall()
    assert [tuple(t) for t in texts] == [("Q1", q1_text)]


def test_google_forms_csv_export() -> None:
    path = REAL / "google-forms-hotdog-csv" / "hot_dog_survey_spring25 - Form Responses 1.csv"
    rows = records(path)
    export = open_export(path)

    assert export.format == "google-forms"
    assert export.layout.header_rows == 1
    frame = export.frame()
    assert len(frame) == len(rows) - 1 == 64
    question = rows[0][1]
    assert Counter(frame[question]) == Counter(r[1] for r in rows[1:])
    assert frame[rows[0][2]].tolist() == [r[2] for r in rows[1:]]  # commas, quotes kept


def test_google_sheets_xlsx_export() -> None:
    path = REAL / "google-forms-hotdog-sheets-xlsx" / "Is hotdog a sandwich_ (Responses).xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    export = open_export(path)

    assert export.format == "google-forms"
    frame = export.frame()
    answered = [r for r in sheet[1:] if any(v is not None for v in r)]
    assert len(frame) == len(answered) == 207
    header = list(sheet[0])
    sandwich = header.index("Is hotdog a sandwich?")
    assert Counter(frame["Is hotdog a sandwich?"]) == Counter(r[sandwich] for r in answered)
    year = header.index("What year are you in?")
    expected = Counter(str(int(r[year])) for r in answered if r[year] is not None)
    assert Counter(v for v in frame["What year are you in?"] if v) == expected

"""Google Forms and plain (one header row) exports, as CSV, TSV, semicolon CSV and XLSX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from export_fixtures import MATRIX_QUESTION, MATRIX_ROWS, write_google_forms, write_plain

from insights.ingest.exports import Column, open_export

HEADER = ["id", "team", "site", "p", "o"]
ROWS = [["r1", "Support", "Lyon", "Agree", "Neutral"], ["r2", "Sales", "Zürich", "NA", ""]]


def test_google_forms_layout(tmp_path: Path) -> None:
    export = open_export(write_google_forms(tmp_path / "Empathy check (Responses).csv"))

    assert export.format == "google-forms"
    assert export.layout.header_rows == 1
    assert export.layout.respondent_id is None
    assert [c.id for c in export.columns if c.metadata] == ["Timestamp", "Email address"]
    grid = export.columns[4]
    assert grid == Column(
        f"{MATRIX_QUESTION} [{MATRIX_ROWS[0]}]",
        f"{MATRIX_QUESTION} [{MATRIX_ROWS[0]}]",
        False,
        MATRIX_QUESTION,
        MATRIX_ROWS[0],
    )
    # The header holds a line break; the id and the text shown in Slack are on one line.
    assert export.columns[-1] == Column(
        "What is one thing we could do better? (optional)",
        "What is one thing we could do better? (optional)",
    )


def test_google_forms_rows_and_cells(tmp_path: Path) -> None:
    export = open_export(write_google_forms(tmp_path / "responses.csv"))

    frame = export.frame()

    # Forms stores submissions only: the three real, finished responses, from row 2.
    assert frame.index.tolist() == [2, 3, 4]
    assert not export.excluded
    assert frame.loc[2, "Timestamp"] == "3/1/2024 09:15:12"
    assert frame.loc[3, "Which region do you work in?"] == "Lisboa"
    assert frame.loc[4, "Which channels do you use to talk with customers?"] == "Email, Phone, Chat"
    assert frame.loc[4, f"{MATRIX_QUESTION} [{MATRIX_ROWS[1]}]"] == "Strongly disagree"


def test_google_forms_quiz_columns_are_metadata(tmp_path: Path) -> None:
    header = ["Timestamp", "Email Address", "Score", "Rate us [Speed]"]
    path = write_plain(
        tmp_path / "quiz.csv", header, [["3/1/2024 9:00:00", "a@x.org", "4 / 5", "4"]]
    )

    export = open_export(path)

    assert [c.metadata for c in export.columns] == [True, True, True, False]
    assert (export.columns[3].question, export.columns[3].row) == ("Rate us", "Speed")


def test_plain_csv_keeps_cells_untouched(tmp_path: Path) -> None:
    rows = [*ROWS, ["r3", "  Support ", "Lyon", "Agree", "Agree"]]
    export = open_export(write_plain(tmp_path / "wave1.csv", HEADER, rows))

    frame = export.frame()

    assert export.format == "plain"
    assert export.layout.header_rows == 1
    assert export.columns[0] == Column("id", "id")
    assert not any(c.metadata for c in export.columns)
    assert frame.index.tolist() == [2, 3, 4]
    assert frame.loc[3].tolist() == ["r2", "Sales", "Zürich", "NA", ""]  # "NA" is not missing
    assert frame.loc[4, "team"] == "  Support "


@pytest.mark.parametrize(("delimiter", "suffix"), [("\t", ".tsv"), (";", ".csv"), ("\t", ".txt")])
def test_plain_delimiters_are_detected(tmp_path: Path, delimiter: str, suffix: str) -> None:
    rows = [["r1", "Support, EMEA", "Lyon", "Agree", "Neutral"]]
    path = write_plain(tmp_path / f"wave{suffix}", HEADER, rows, delimiter=delimiter)

    frame = open_export(path).frame()

    assert frame.loc[2].tolist() == rows[0]


def test_blank_rows_are_skipped_counted_as_rows_and_as_left_out(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("\r\nid,team\r\nr1,Support\r\n\r\n,\r\n  ,\t\r\nr2,Sales\r\n", encoding="utf-8")

    export = open_export(path)
    frame = export.frame()

    # Row 1 is blank, the header is row 2; rows 4-6 are blank.
    assert export.layout.header_rows == 2
    assert frame.index.tolist() == [3, 7]
    assert frame["id"].tolist() == ["r1", "r2"]
    assert export.excluded == {"blank": 3}  # left out, and said so in the import summary


def test_short_rows_are_padded_and_blank_trailing_cells_ignored(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("id,team,site,,\nr1\nr2,Sales,Lyon,,\nr3,Sales,Lyon,,,,\n", encoding="utf-8")

    export = open_export(path)

    assert export.layout.ids == ["id", "team", "site"]
    assert export.frame().to_dict("index") == {
        2: {"id": "r1", "team": "", "site": ""},
        3: {"id": "r2", "team": "Sales", "site": "Lyon"},
        4: {"id": "r3", "team": "Sales", "site": "Lyon"},
    }


def test_quoted_line_breaks_in_header_and_cells(tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_bytes(b'id,"Comments\r\n(optional)"\r\nr1,"one\r\ntwo"\r\nr2,three\r\n')

    export = open_export(path)

    assert export.columns[1] == Column("Comments (optional)", "Comments (optional)")
    # Each record is one spreadsheet row, however many lines it spans.
    assert export.frame().to_dict("index") == {
        2: {"id": "r1", "Comments (optional)": "one\r\ntwo"},
        3: {"id": "r2", "Comments (optional)": "three"},
    }


def test_bracketed_plain_headers_are_grid_rows(tmp_path: Path) -> None:
    path = write_plain(
        tmp_path / "grid.csv", ["id", "Care [me]", "Care [my org]"], [["1", "2", "3"]]
    )

    columns = open_export(path).columns

    assert [(c.question, c.row) for c in columns] == [
        (None, None),
        ("Care", "me"),
        ("Care", "my org"),
    ]


def test_plain_xlsx_renders_typed_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [1, "Support", 4.0, 4.25, dt.datetime(2024, 3, 1, 9, 15), True],
        [2, None, 3, 0.1 + 0.2, dt.datetime(2024, 3, 2), False],
        [None, None, None, None, None, None],
        [3, "Sales", None, -1.5, dt.date(2024, 3, 3), None],
    ]
    header = ["id", "team", "score", "weight", "submitted", "consent"]
    export = open_export(write_plain(tmp_path / "wave.xlsx", header, rows, xlsx=True))

    frame = export.frame()

    assert export.format == "plain"
    assert frame.index.tolist() == [2, 3, 5]  # row 4 is blank
    assert frame.loc[2].tolist() == ["1", "Support", "4", "4.25", "2024-03-01 09:15:00", "TRUE"]
    assert frame.loc[3].tolist() == ["2", "", "3", "0.3", "2024-03-02", "FALSE"]
    assert frame.loc[5].tolist() == ["3", "Sales", "", "-1.5", "2024-03-03", ""]


def test_xlsx_google_forms_layout_detected(tmp_path: Path) -> None:
    header = ["Timestamp", "Email address", "How do you feel?"]
    path = write_plain(
        tmp_path / "forms.xlsx", header, [[dt.datetime(2024, 3, 1, 9), "", "Good"]], xlsx=True
    )

    export = open_export(path)

    assert export.format == "google-forms"
    assert export.frame().loc[2].tolist() == ["2024-03-01 09:00:00", "", "Good"]


def test_single_column_file_is_not_split_on_commas_in_answers(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text("\nComment\nGood, fast\nSlow; rude\n", encoding="utf-8")

    export = open_export(path)

    assert export.layout.ids == ["Comment"]
    assert export.frame()["Comment"].tolist() == ["Good, fast", "Slow; rude"]

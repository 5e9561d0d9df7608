"""Layout variants met in real exports: older SurveyMonkey, Qualtrics without its import-id
row or with 2016's import ids, numeric codes, and question text carrying markup."""

from __future__ import annotations

import csv
from pathlib import Path

from insights.ingest.exports import open_export

OLD_SURVEYMONKEY = [
    [
        "RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address",
        "First Name", "LastName", "Custom Data", "Which team are you in?",
        "Which channels do you use?", "", "", "How satisfied are you with the café?",
        "Anything else?",
    ],
    [
        "", "", "", "", "", "", "", "", "", "Response", "Email", "Phone<br>(mobile)",
        "Other (please specify)", "Response", "Open-Ended Response",
    ],
    [
        "101", "9", "01/02/2015 10:00:00", "01/02/2015 10:05:00", "", "", "", "", "",
        "Support", "Email", "", "", "Très satisfait", "Merci – rien",
    ],
    [
        "102", "9", "01/02/2015 11:00:00", "01/02/2015 11:04:00", "", "", "", "", "",
        "Sales", "Email", "Phone<br>(mobile)", "fax", "Satisfait", "",
    ],
]  # fmt: skip


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def test_older_surveymonkey_in_windows_1252_reads_as_surveymonkey(tmp_path: Path) -> None:
    export = open_export(write(tmp_path / "Sheet_1.csv", OLD_SURVEYMONKEY, "cp1252"))

    assert export.format == "surveymonkey"
    assert export.layout.header_rows == 2
    assert export.layout.respondent_id == "RespondentID"
    assert export.layout.note is None  # "Response" in row 2 is SurveyMonkey's own mark
    assert [c.id for c in export.columns if c.metadata] == OLD_SURVEYMONKEY[0][:9]
    assert [c.id for c in export.columns if not c.metadata] == [
        "Which team are you in?",
        "Which channels do you use? [Email]",
        "Which channels do you use? [Phone (mobile)]",
        "Which channels do you use? [Other (please specify)]",
        "How satisfied are you with the café?",
        "Anything else?",
    ]
    frame = export.frame()
    assert frame.index.tolist() == [3, 4]
    assert frame["How satisfied are you with the café?"].tolist() == ["Très satisfait", "Satisfait"]
    phone = frame["Which channels do you use? [Phone (mobile)]"]
    assert phone.tolist() == ["", "Phone<br>(mobile)"]  # answers stay as written


def test_older_surveymonkey_without_a_response_label_says_why(tmp_path: Path) -> None:
    rows = [row[:13] for row in OLD_SURVEYMONKEY]
    rows[1][9] = ""  # a survey of multiple-choice questions only: no "Response" anywhere
    rows[0][9] = ""
    export = open_export(write(tmp_path / "Sheet_1.csv", rows))

    assert export.format == "surveymonkey"
    assert export.layout.header_rows == 2
    assert export.layout.note is not None
    assert "SurveyMonkey" in export.layout.note and "'RespondentID'" in export.layout.note


def test_qualtrics_question_text_loses_markup_line_breaks_and_tabs(tmp_path: Path) -> None:
    rows = [
        ["StartDate", "Status", "ResponseId", "Q1", "Q2_1", "Q2_2"],
        [
            "Start Date",
            "Response Type",
            "Response ID",
            "<p>How <b>likely</b>&nbsp;are you\n\n\tto recommend us?</p>",
            "My team:\n - <span style='color:red'>listens</span>",
            "My team:\n - acts",
        ],
        [
            '{"ImportId":"startDate"}',
            '{"ImportId":"status"}',
            '{"ImportId":"_recordId"}',
            '{"ImportId":"QID1"}',
            '{"ImportId":"QID2_1"}',
            '{"ImportId":"QID2_2"}',
        ],
        ["2024-01-01", "0", "R_1", "-3", "3", "0"],
    ]
    export = open_export(write(tmp_path / "numeric.csv", rows))

    q1 = export.layout.column("Q1")
    assert q1 is not None and q1.text == "How likely are you to recommend us?"
    row = export.layout.column("Q2_1")
    assert row is not None and (row.question, row.row) == ("My team:", "listens")
    assert export.layout.question_text("Q1") == "How likely are you to recommend us?"
    assert export.layout.question_text("ResponseId") is None  # bookkeeping, not a question
    # Numeric exports keep their codes as written, negative ones included.
    assert export.frame()["Q1"].tolist() == ["-3"]


def test_qualtrics_2016_import_ids_in_single_quotes(tmp_path: Path) -> None:
    rows = [
        ["ResponseID", "Finished", "Status", "Q2_1", "Q2_2", "Q3"],
        ["ResponseID", "Finished", "Status", "Team - Listens", "Team - Acts", "Comments"],
        [
            "{'ImportId': 'responseId'}",
            "{'ImportId': 'finished'}",
            "{'ImportId': 'status'}",
            "{'ImportId': 'QID2-1'}",
            "{'ImportId': 'QID2-2'}",
            "{'ImportId': 'QID3-TEXT'}",
        ],
        ["R_1", "1", "0", "4", "5", "fine"],
        ["R_2", "0", "0", "2", "", ""],
    ]
    export = open_export(write(tmp_path / "insights.csv", rows))

    assert export.format == "qualtrics"
    assert export.layout.header_rows == 3
    assert export.layout.respondent_id == "ResponseID"
    listens = export.layout.column("Q2_1")
    assert listens is not None and (listens.question, listens.row) == ("Team", "Listens")
    assert export.frame().index.tolist() == [4]  # R_2 is unfinished
    assert export.excluded == {"unfinished": 1}


def test_qualtrics_without_its_import_id_row_says_why(tmp_path: Path) -> None:
    rows = [
        ["StartDate", "EndDate", "Finished", "ResponseId", "Q1"],
        ["Start Date", "End Date", "Finished?", "Response ID", "How satisfied are you?"],
        ["2024-01-01 10:00", "2024-01-01 10:05", "1", "R_1", "Satisfied"],
        ["2024-01-02 10:00", "2024-01-02 10:05", "0", "R_2", "Unsatisfied"],
    ]
    export = open_export(write(tmp_path / "two rows.csv", rows))

    assert export.format == "qualtrics"
    assert export.layout.header_rows == 2
    assert export.layout.respondent_id == "ResponseId"
    assert export.layout.note is not None and "import ids" in export.layout.note
    assert export.frame()["Q1"].tolist() == ["Satisfied"]


def test_a_plain_file_with_qualtrics_like_names_stays_plain(tmp_path: Path) -> None:
    rows = [
        ["StartDate", "EndDate", "Q1"],
        ["2024-01-01 10:00", "2024-01-01 10:05", "Satisfied"],
    ]
    export = open_export(write(tmp_path / "plain.csv", rows))

    assert export.format == "plain"
    assert export.layout.note is None
    assert len(export.frame()) == 1

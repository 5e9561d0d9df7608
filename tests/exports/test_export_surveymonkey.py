"""SurveyMonkey exports (CSV and XLSX, two header rows) read as an Export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from export_fixtures import (
    MATRIX_QUESTION,
    MATRIX_ROWS,
    RESPONSES,
    surveymonkey_respondent_id,
    write_plain,
    write_surveymonkey,
)

from insights.errors import ImportFailed
from insights.ingest.exports import Column, open_export

REGION = "Which region do you work in?"
CHANNELS = "Which channels do you use to talk with customers?"
IDS = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
    "How long have you worked with customers in your current role?",
    REGION,
    f"{REGION} [Other (please specify)]",
    f"{MATRIX_QUESTION} [{MATRIX_ROWS[0]}]",
    f"{MATRIX_QUESTION} [{MATRIX_ROWS[1]}]",
    f"{CHANNELS} [Email]",
    f"{CHANNELS} [Phone]",
    f"{CHANNELS} [Chat]",
    "What is one thing we could do better? (optional)",
]


@pytest.fixture
def csv_export(tmp_path: Path) -> Path:
    return write_surveymonkey(tmp_path / "Customer Empathy Survey.csv")


def test_layout_is_recognised_with_question_and_grid_ids(csv_export: Path) -> None:
    export = open_export(csv_export)

    assert export.format == "surveymonkey"
    assert export.layout.header_rows == 2
    assert export.layout.respondent_id == "Respondent ID"
    assert export.layout.ids == IDS
    assert [c.metadata for c in export.columns] == [True] * 9 + [False] * 9


def test_grid_and_multiple_choice_columns_carry_question_and_row(csv_export: Path) -> None:
    layout = open_export(csv_export).layout

    assert layout.column(IDS[12]) == Column(
        IDS[12], IDS[12], False, MATRIX_QUESTION, MATRIX_ROWS[0]
    )
    assert layout.column(f"{CHANNELS} [Phone]") == Column(
        f"{CHANNELS} [Phone]", f"{CHANNELS} [Phone]", False, CHANNELS, "Phone"
    )
    assert layout.column(REGION) == Column(REGION, REGION)
    other = layout.column(f"{REGION} [Other (please specify)]")
    assert other is not None and (other.question, other.row) == (REGION, "Other (please specify)")
    # The id and the text are both on one line (Slack would show a blank line).
    assert layout.column(IDS[-1]) == Column(
        IDS[-1], "What is one thing we could do better? (optional)"
    )


def test_rows_and_cells(csv_export: Path) -> None:
    export = open_export(csv_export)

    frame = export.frame()

    # SurveyMonkey has no previews or tests; the unfinished (partial) response is kept.
    assert frame.index.tolist() == [3, 4, 5, 6]
    assert not export.excluded
    assert frame["Respondent ID"].tolist() == [str(surveymonkey_respondent_id(i)) for i in range(4)]
    assert frame.loc[3, "Start Date"] == "03/01/2024 09:15:12 AM"
    assert frame.loc[3, REGION] == "Zürich"
    assert frame.loc[4, [REGION, f"{REGION} [Other (please specify)]"]].tolist() == ["", "Lisboa"]
    assert frame.loc[3, IDS[14:17]].tolist() == ["Email", "", "Chat"]
    assert frame.loc[3, IDS[-1]] == RESPONSES[0].answers["Q5"]
    assert frame.loc[5, IDS[13]] == ""  # the partial response skipped the second row
    assert frame.loc[6, "Custom Data 1"] == "Sales"


def test_xlsx_reads_like_the_csv_with_numbers_and_dates_rendered(
    tmp_path: Path, csv_export: Path
) -> None:
    export = open_export(write_surveymonkey(tmp_path / "responses.xlsx", xlsx=True))
    from_csv = open_export(csv_export).frame()

    frame = export.frame()

    assert export.format == "surveymonkey"
    assert export.columns == open_export(csv_export).columns
    assert frame["Respondent ID"].tolist() == from_csv["Respondent ID"].tolist()
    assert frame["Collector ID"].tolist() == ["431234567"] * 4
    assert frame.loc[3, "Start Date"] == "2024-03-01 09:15:12"
    dates = ["Start Date", "End Date"]
    pd.testing.assert_frame_equal(frame.drop(columns=dates), from_csv.drop(columns=dates))


def test_xlsx_detected_by_content_not_name(tmp_path: Path) -> None:
    path = write_surveymonkey(tmp_path / "responses.xlsx", xlsx=True)
    renamed = path.rename(tmp_path / "responses.csv")

    assert open_export(renamed).format == "surveymonkey"


def test_repeated_question_texts_are_numbered(tmp_path: Path) -> None:
    path = write_plain(
        tmp_path / "repeats.csv",
        ["Respondent ID", "Collector ID", "Comments", "Comments", "Rate us", ""],
        [["", "", "Response", "Response", "Speed", "Care"], ["1", "9", "Good", "Fine", "4", "5"]],
    )

    export = open_export(path)

    assert export.layout.ids == [
        "Respondent ID",
        "Collector ID",
        "Comments",
        "Comments (2)",
        "Rate us [Speed]",
        "Rate us [Care]",
    ]
    assert export.frame().loc[3].tolist() == ["1", "9", "Good", "Fine", "4", "5"]


def test_without_a_response_row_it_is_not_surveymonkey(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "ids.csv", ["Respondent ID", "Team"], [["1", "Sales"]])

    assert open_export(path).format == "plain"
    with pytest.raises(ImportFailed, match="its second row should say 'Response' under"):
        open_export(path, format="surveymonkey")


def test_forcing_google_forms_on_surveymonkey_explains(csv_export: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        open_export(csv_export, format="google-forms")

    assert str(failed.value).startswith(
        "File Customer Empathy Survey.csv is not a Google Forms export: its first column "
        "should be 'Timestamp'."
    )

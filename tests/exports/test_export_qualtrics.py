"""Qualtrics exports (today's three-row header and the legacy two-row one) read as an Export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from export_fixtures import (
    MATRIX_QUESTION,
    MATRIX_ROWS,
    QUALTRICS_METADATA,
    RESPONSES,
    Response,
    response_id,
    write_qualtrics,
)

from insights.errors import ImportFailed
from insights.ingest.exports import Column, open_export

QUESTION_IDS = ["Q1", "Q2", "Q2_4_TEXT", "Q3_1", "Q3_2", "Q4", "Q5"]
METADATA_IDS = [m[0] for m in QUALTRICS_METADATA]


@pytest.fixture
def text_export(tmp_path: Path) -> Path:
    return write_qualtrics(tmp_path / "cx_survey_March.csv")


def test_layout_is_recognised_with_ids_texts_and_metadata(text_export: Path) -> None:
    export = open_export(text_export)

    assert export.format == "qualtrics"
    assert export.layout.header_rows == 3
    assert export.layout.respondent_id == "ResponseId"
    assert export.layout.ids == [*METADATA_IDS, *QUESTION_IDS, "Team"]
    assert [c.id for c in export.columns if c.metadata] == [*METADATA_IDS, "Team"]
    assert export.layout.column("Status") == Column("Status", "Response Type", metadata=True)
    assert export.layout.column("Q1") == Column(
        "Q1", "How long have you worked with customers in your current role?"
    )
    # The row-2 text loses its line break: Slack would show it as a blank line.
    assert export.layout.column("Q5") == Column(
        "Q5", "What is one thing we could do better? (optional)"
    )


def test_matrix_rows_are_split_but_other_text_columns_are_not(text_export: Path) -> None:
    export = open_export(text_export)

    first, second = export.layout.column("Q3_1"), export.layout.column("Q3_2")
    assert first is not None and second is not None
    assert (first.question, first.row) == (MATRIX_QUESTION, MATRIX_ROWS[0])
    assert (second.question, second.row) == (MATRIX_QUESTION, MATRIX_ROWS[1])
    assert first.text == f"{MATRIX_QUESTION} - {MATRIX_ROWS[0]}"
    # "Q2 - Selected Choice" and "Q2 - Other - Text" contain " - " but are no matrix rows.
    for column_id in ("Q2", "Q2_4_TEXT", "Q1", "Q5"):
        column = export.layout.column(column_id)
        assert column is not None and column.question is None and column.row is None


def test_previews_tests_and_unfinished_are_left_out_and_counted(text_export: Path) -> None:
    export = open_export(text_export)

    frame = export.frame()

    # Header rows are 1-3, so RESPONSES[i] sits on row 4 + i; 3rd/4th/6th are left out.
    assert frame.index.tolist() == [4, 5, 8]
    assert frame["ResponseId"].tolist() == [response_id(0), response_id(1), response_id(4)]
    assert dict(export.excluded) == {"survey preview": 1, "unfinished": 1, "survey test": 1}


def test_cells_are_kept_exactly_as_written(text_export: Path) -> None:
    frame = open_export(text_export).frame()

    assert list(frame.columns) == open_export(text_export).layout.ids
    assert frame.loc[4, "Q1"] == "1–3 years"
    assert frame.loc[4, "Q2"] == "Zürich"
    assert frame.loc[4, "Q4"] == "Email,Chat"
    assert frame.loc[4, "Q5"] == RESPONSES[0].answers["Q5"]  # newline, comma and quotes
    assert frame.loc[5, "Q2"] == "Other"
    assert frame.loc[5, "Q2_4_TEXT"] == "Lisboa"
    assert frame.loc[5, "Q5"] == ""
    assert frame.loc[8, "Q3_2"] == "Strongly disagree"
    assert frame.loc[4, "Status"] == "IP Address"
    assert frame.loc[4, "Finished"] == "True"
    assert frame.loc[8, "Team"] == "Sales"
    assert frame.loc[4, "StartDate"] == "2024-03-01 09:15:12"
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())


def test_previews_and_unfinished_can_be_kept(text_export: Path) -> None:
    previews = open_export(text_export, include_previews=True)
    everything = open_export(text_export, include_previews=True, include_unfinished=True)

    assert previews.frame().index.tolist() == [4, 5, 6, 8, 9]
    assert dict(previews.excluded) == {"unfinished": 1}
    assert everything.frame().index.tolist() == [4, 5, 6, 7, 8, 9]
    assert not everything.excluded


def test_unfinished_kept_but_previews_still_left_out(text_export: Path) -> None:
    export = open_export(text_export, include_unfinished=True)

    assert export.frame().index.tolist() == [4, 5, 7, 8]
    assert dict(export.excluded) == {"survey preview": 1, "survey test": 1}


def test_spam_and_imported_responses_are_kept(tmp_path: Path) -> None:
    responses = [Response({"Q1": "1–3 years"}, status) for status in ("Spam", "Imported")]
    export = open_export(write_qualtrics(tmp_path / "s.csv", responses))

    assert export.frame()["Status"].tolist() == ["Spam", "Imported"]
    assert not export.excluded


def test_numeric_export_keeps_codes_as_strings_and_reads_status_codes(tmp_path: Path) -> None:
    export = open_export(write_qualtrics(tmp_path / "numeric.csv", numeric=True))

    frame = export.frame()

    assert export.format == "qualtrics"
    assert frame.index.tolist() == [4, 5, 8]
    assert dict(export.excluded) == {"survey preview": 1, "unfinished": 1, "survey test": 1}
    assert frame.loc[4, ["Q1", "Q2", "Q3_1", "Q3_2", "Q4"]].tolist() == ["2", "2", "4", "2", "1,3"]
    assert frame.loc[5, ["Q2", "Q2_4_TEXT"]].tolist() == ["4", "Lisboa"]
    assert frame["Status"].tolist() == ["0", "0", "0"]
    assert frame["Finished"].tolist() == ["1", "1", "1"]


def test_utf16_tsv_export_reads_the_same_as_csv(tmp_path: Path, text_export: Path) -> None:
    tsv = write_qualtrics(tmp_path / "export.tsv", tsv=True, encoding="utf-16")
    assert tsv.read_bytes()[:2] == b"\xff\xfe"

    export = open_export(tsv)

    assert export.format == "qualtrics"
    assert export.columns == open_export(text_export).columns
    pd.testing.assert_frame_equal(export.frame(), open_export(text_export).frame())


def test_reading_twice_counts_exclusions_once(text_export: Path) -> None:
    export = open_export(text_export)

    first, second = export.frame(), export.frame()

    pd.testing.assert_frame_equal(first, second)
    assert dict(export.excluded) == {"survey preview": 1, "unfinished": 1, "survey test": 1}


def test_legacy_layout(tmp_path: Path) -> None:
    export = open_export(write_qualtrics(tmp_path / "legacy.csv", legacy=True, numeric=True))

    frame = export.frame()

    assert export.format == "qualtrics-legacy"
    assert export.layout.header_rows == 2
    assert export.layout.respondent_id == "V1"
    assert export.layout.ids[:11] == [*(f"V{i}" for i in range(1, 11)), "Q1"]
    assert export.layout.column("V7") == Column("V7", "Status", metadata=True)
    assert export.layout.column("LocationAccuracy") == Column(
        "LocationAccuracy", "LocationAccuracy", metadata=True
    )
    matrix = export.layout.column("Q3_2")
    assert matrix is not None and (matrix.question, matrix.row) == (MATRIX_QUESTION, MATRIX_ROWS[1])
    assert not any(c.metadata for c in export.columns if c.id in QUESTION_IDS)
    # Header rows are 1-2, so RESPONSES[i] sits on row 3 + i.
    assert frame.index.tolist() == [3, 4, 7]
    assert frame["V1"].tolist() == [response_id(0), response_id(1), response_id(4)]
    assert frame.loc[3, "Q4"] == "1,3"
    assert dict(export.excluded) == {"survey preview": 1, "unfinished": 1, "survey test": 1}


def test_forcing_the_detected_format_changes_nothing(text_export: Path) -> None:
    forced = open_export(text_export, format="qualtrics")

    assert forced.layout == open_export(text_export).layout


def test_forcing_another_format_explains_the_misfit(text_export: Path) -> None:
    with pytest.raises(ImportFailed) as surveymonkey:
        open_export(text_export, format="surveymonkey")
    with pytest.raises(ImportFailed) as legacy:
        open_export(text_export, format="qualtrics-legacy")

    assert str(surveymonkey.value) == (
        "File cx_survey_March.csv is not a SurveyMonkey export: its first row should start "
        "with 'Respondent ID'. Check the format you chose, or leave it out to detect the "
        "layout from the header."
    )
    assert "is not a legacy Qualtrics export: its first row should start V1, V2" in str(
        legacy.value
    )


def test_forcing_qualtrics_on_a_plain_file_names_the_missing_import_ids(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("id,team,q1\n1,Support,Agree\n2,Sales,Disagree\n", encoding="utf-8")

    with pytest.raises(ImportFailed) as failed:
        open_export(path, format="qualtrics")

    assert str(failed.value).startswith(
        "File plain.csv is not a Qualtrics export: its third row should hold import ids like "
        '{"ImportId":"QID1"}, but it starts with \'2\'.'
    )


def test_forcing_plain_reads_the_qualtrics_header_rows_as_respondents(text_export: Path) -> None:
    export = open_export(text_export, format="plain")

    frame = export.frame()

    assert export.format == "plain"
    assert frame.index[:2].tolist() == [2, 3]
    assert frame.loc[3, "Q1"] == '{"ImportId":"QID1"}'


def test_repeated_qualtrics_ids_are_refused(tmp_path: Path) -> None:
    path = write_qualtrics(tmp_path / "dupes.csv")
    text = path.read_text(encoding="utf-8-sig").replace(",Q3_2,", ",Q3_1,", 1)
    path.write_text(text, encoding="utf-8-sig")

    with pytest.raises(ImportFailed) as failed:
        open_export(path)

    assert "'Q3_1' names columns U and V" in str(failed.value)


def test_renamed_matrix_columns_are_grouped_by_their_import_ids(tmp_path: Path) -> None:
    path = write_qualtrics(tmp_path / "renamed.csv")
    text = path.read_text(encoding="utf-8-sig")
    text = text.replace(",Q3_1,Q3_2,", ",care_me,care_org,", 1)
    path.write_text(text, encoding="utf-8-sig")

    export = open_export(path)

    renamed = [export.layout.column("care_me"), export.layout.column("care_org")]
    assert [(c.question, c.row) for c in renamed if c] == [
        (MATRIX_QUESTION, MATRIX_ROWS[0]),
        (MATRIX_QUESTION, MATRIX_ROWS[1]),
    ]
    assert export.frame().loc[4, "care_me"] == "Agree"

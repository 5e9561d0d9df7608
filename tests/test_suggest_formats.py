"""suggest_codebook over exports shaped like each platform's (built in memory)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

import pandas as pd
import pytest

from insights.errors import CodebookError
from insights.ingest.codebook import Codebook
from insights.ingest.exports._model import Column, Export, Format, Progress
from insights.ingest.suggest import Suggestion, suggest_codebook
from insights.ingest.suggest._scan import DISTINCT_CAP, scan

AGREE5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
PERSONAL_VALUE = "I personally believe customer empathy is necessary to create business value"
ORG_VALUE = "My organization believes customer empathy is necessary to create business value"
PERSONAL_CX = (
    "I personally believe customer empathy is necessary or helpful to define and implement "
    "CX improvements"
)
ORG_CX = (
    "My organization believes customer empathy is necessary or helpful to define and implement "
    "CX improvements"
)
GRID_STEM = "To what extent do you agree with the following statements?"


def export(
    columns: Sequence[Column],
    answers: Mapping[str, Sequence[str]],
    *,
    rows: int = 40,
    name: str = "Empathy Survey 2023.csv",
    format: Format = "plain",
    respondent_id: str | None = None,
) -> Export:
    """An export whose column ``c`` cycles through ``answers[c]`` (row numbers by default)."""
    data = {
        c.id: list(itertools.islice(itertools.cycle(answers.get(c.id, [""])), rows))
        for c in columns
    }
    for column_id in data:
        if column_id not in answers:
            data[column_id] = [f"{column_id}-{n}" for n in range(rows)]
    frame = pd.DataFrame(data, index=range(2, rows + 2), dtype=str)
    return Export.from_frame(
        frame, name=name, columns=columns, format=format, respondent_id=respondent_id
    )


def pairs(book: Codebook) -> dict[str, tuple[str, str]]:
    """Theme → (personal column, organization column) for every paired theme."""
    found: dict[str, dict[str, str]] = {}
    for q in book.questions:
        if q.perspective:
            found.setdefault(q.theme, {})[q.perspective] = q.column
    return {theme: (cols["personal"], cols["organization"]) for theme, cols in found.items()}


def scale_of(book: Codebook, column: str) -> str:
    return next(q.scale for q in book.questions if q.column == column)


def qualtrics(numeric: bool = False) -> Export:
    columns = [
        Column("StartDate", "Start Date", metadata=True),
        Column("Status", "Response Type", metadata=True),
        Column("ResponseId", "Response ID", metadata=True),
        Column("Q1", PERSONAL_CX),
        Column("Q2", ORG_CX),
        Column("Q3_1", f"{GRID_STEM} - {PERSONAL_VALUE}", question=GRID_STEM, row=PERSONAL_VALUE),
        Column("Q3_2", f"{GRID_STEM} - {ORG_VALUE}", question=GRID_STEM, row=ORG_VALUE),
        Column("Q4", "My organization measures customer empathy"),
        Column("Q5", "What is your role?"),
        Column("Q6", "Which region do you work in?"),
        Column("Q7", "Is there anything else you would like to tell us?"),
    ]
    agree = [str(n) for n in range(1, 6)] if numeric else AGREE5
    answers = {
        "StartDate": ["2023-03-01 09:15:00"],
        "Status": ["IP Address"],
        "Q1": agree,
        "Q2": agree[::-1],
        "Q3_1": agree[1:],
        "Q3_2": agree,
        "Q4": ["1", "2"] if numeric else ["Yes", "No", ""],
        "Q5": ["1", "2"] if numeric else ["In-house", "Consultant", "In-house"],
        "Q6": ["1", "2", "3"] if numeric else ["Europe", "North America", "Asia-Pacific"],
        "Q7": [f"Comment {n}: empathy matters because of reason {n}." for n in range(40)],
    }
    return export(columns, answers, format="qualtrics", respondent_id="ResponseId")


def test_qualtrics_ids_with_question_text() -> None:
    suggestion = suggest_codebook(qualtrics())
    book = suggestion.codebook
    assert pairs(book) == {
        "helpful cx improvements": ("Q1", "Q2"),
        "business value": ("Q3_1", "Q3_2"),
    }
    assert {q.column: q.text for q in book.questions}["Q3_1"] == PERSONAL_VALUE
    assert scale_of(book, "Q1") == scale_of(book, "Q3_2") == "agree5"
    assert book.scales["agree5"].labels == AGREE5
    assert book.scales["yesno"].positive == ["Yes"]
    single = next(q for q in book.questions if q.column == "Q4")
    assert (single.theme, single.perspective, single.scale) == (
        "measures customer empathy",
        None,
        "yesno",
    )
    assert [(s.column, s.key) for s in book.segments] == [("Q5", "role"), ("Q6", "region")]
    # The importer falls back to the export's response id, so the codebook leaves it out.
    assert book.survey.respondent_id is None
    assert book.survey.name == "empathy-survey-2023"
    assert "Q7" not in book.columns and "StartDate" not in book.columns
    assert (
        "Skipped 1 free text column(s) (open answers: long, many different, or asked as "
        "'please specify' or 'comments'): Q7." in suggestion.notes
    )
    assert any(n.startswith("Skipped 2 metadata column(s)") for n in suggestion.notes)
    assert any("Q4 (organization)" in n for n in suggestion.notes)


def test_qualtrics_numeric_values_export() -> None:
    suggestion = suggest_codebook(qualtrics(numeric=True))
    book = suggestion.codebook
    assert pairs(book) == {
        "helpful cx improvements": ("Q1", "Q2"),
        "business value": ("Q3_1", "Q3_2"),
    }
    codes5 = book.scales["codes5"]
    assert (codes5.labels, codes5.codes, codes5.positive) == (
        ["1", "2", "3", "4", "5"],
        [1, 2, 3, 4, 5],
        ["4", "5"],
    )
    assert scale_of(book, "Q4") == "codes2"
    assert book.scales["codes2"].positive == ["2"]
    # Demographic wording makes a coded column a segment rather than a rating.
    assert [s.column for s in book.segments] == ["Q5", "Q6"]
    notes = " ".join(suggestion.notes)
    assert "Scale codes5 (Q1, Q2, Q3_1, Q3_2) was exported as numeric codes 1–5" in notes
    assert "fill in its labels from the survey's answer definitions" in notes
    assert "Segment column(s) Q5, Q6 hold numeric codes" in notes


@pytest.mark.parametrize("split", [True, False], ids=["question-and-row", "header-only"])
def test_surveymonkey_and_google_forms_grid_rows(split: bool) -> None:
    def grid(row: str) -> Column:
        header = f"{GRID_STEM} [{row}]"
        if split:
            return Column(header, header, question=GRID_STEM, row=row)
        return Column(header, header)

    columns = [
        Column("Respondent ID", "Respondent ID", metadata=True),
        grid(PERSONAL_VALUE),
        grid(ORG_VALUE),
        grid(PERSONAL_CX),
        grid(ORG_CX),
        Column("What is your role?", "What is your role?"),
    ]
    answers = {c.id: AGREE5 for c in columns[1:5]} | {"What is your role?": ["Staff", "Lead"]}
    book = suggest_codebook(
        export(columns, answers, format="surveymonkey", respondent_id="Respondent ID")
    ).codebook
    assert pairs(book) == {
        "business value": (columns[1].id, columns[2].id),
        "helpful cx improvements": (columns[3].id, columns[4].id),
    }
    assert [(s.column, s.key) for s in book.segments] == [("What is your role?", "role")]


def test_plain_snake_case_headers_pair_by_their_perspective_suffix() -> None:
    columns = [
        Column(c, c)
        for c in (
            "id",
            "necessity_personal",
            "necessity_organization",
            "value_company",
            "value_personal",
            "loyalty_org",
            "team",
        )
    ]
    answers = {c.id: AGREE5 for c in columns[1:6]} | {"team": ["Support", "Sales"]}
    suggestion = suggest_codebook(export(columns, answers))
    book = suggestion.codebook
    assert pairs(book) == {
        "necessity": ("necessity_personal", "necessity_organization"),
        "value": ("value_personal", "value_company"),
    }
    assert book.survey.respondent_id == "id"
    assert [(s.column, s.name) for s in book.segments] == [("team", None)]
    assert any("loyalty_org (organization)" in n for n in suggestion.notes)


def test_segments_free_text_metadata_and_other_columns() -> None:
    columns = [
        Column("RecordedDate", "Recorded Date", metadata=True),
        Column("Q1", "Customer empathy matters"),
        Column("Q2", "What is your role?"),
        Column("Q3", "Job level"),
        Column("Q4", "Seniority"),
        Column("Q5", "Email"),
        Column("Q6", "Any comments?"),
        Column("Q7", "How old are you?"),
        Column("Q8", "When did you join?"),
        Column("Q9", "Unused"),
        Column("Q10", "Country"),
        Column("Q11", "Consent"),
        Column("Q12", "I personally find empathy"),
    ]
    answers = {
        "RecordedDate": ["2023-01-01"],
        "Q1": ["Agree", "Disagree"],
        "Q2": ["In-house", "Consultant"],
        "Q3": ["Staff", "Manager", "Director", "VP"],
        "Q4": ["Junior", "Senior"],
        "Q5": [f"person{n}@example.com" for n in range(80)],
        "Q6": ["It was a long survey but I enjoyed answering the questions about empathy."],
        "Q7": [str(n) for n in range(20, 70)],
        "Q8": [f"2022-0{m}-1{d}" for m in range(1, 10) for d in range(5)],
        "Q9": [""],
        "Q10": [f"Country {n}" for n in range(40)],
        "Q11": ["I agree"],
        "Q12": ["Very useful", "Not useful"],
    }
    suggestion = suggest_codebook(export(columns, answers, rows=80))
    book = suggestion.codebook
    assert [q.column for q in book.questions] == ["Q1"]
    assert [(s.column, s.key) for s in book.segments] == [
        ("Q2", "role"),
        ("Q3", "job level"),
        ("Q4", "seniority"),
    ]
    skipped = {line.split(" (")[0]: line for line in suggestion.notes if "Skipped" in line}
    assert set(skipped) == {
        "Skipped 1 metadata column(s)",
        "Skipped 1 empty column(s)",
        "Skipped 1 free text column(s)",
        "Skipped 1 numeric column(s)",
        "Skipped 1 date column(s)",
        "Skipped 1 single-answer column(s)",
        "Skipped 1 many-valued column(s)",
        "Skipped 1 unrecognised-scale column(s)",
        "Skipped 1 personal data column(s)",
    }
    # E-mail addresses are personal data, named as such rather than as an id.
    assert skipped["Skipped 1 personal data column(s)"].endswith(": Q5.")
    assert any("Q12 reads like a perspective question" in n for n in suggestion.notes)
    assert suggestion.mapping_lines()[-1] == (
        "skipped 9 column(s): 1 metadata, 1 empty, 1 free text, 1 numeric, 1 date, "
        "1 single-answer, 1 many-valued, 1 unrecognised-scale, 1 personal data"
    )


def test_one_scale_per_vocabulary_and_no_answers_are_proposed_as_missing() -> None:
    columns = [Column(f"Q{n}", f"Statement {n}") for n in range(1, 5)]
    answers = {
        "Q1": ["Agree", "Disagree"],
        "Q2": ["Strongly agree", "Neither agree nor disagree", "Don't know"],
        "Q3": ["agree", "Neutral"],  # another spelling: the importer needs its own labels
        "Q4": ["Somewhat agree", "Agree"],
    }
    suggestion = suggest_codebook(export(columns, answers))
    book = suggestion.codebook
    # Q1 and Q2 share one scale holding the labels either saw, and nothing more.
    assert {q.column: q.scale for q in book.questions} == {
        "Q1": "agree4",
        "Q2": "agree4",
        "Q3": "agree2",
        "Q4": "agree2_2",
    }
    assert book.scales["agree4"].labels == [
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert book.scales["agree4"].missing == ["Don't know"]
    assert book.scales["agree2"].labels == ["Neutral", "agree"]
    notes = " ".join(suggestion.notes)
    assert "Scale agree4 lists Don't know as missing" in notes
    assert "Agreement questions use more than one scale (agree4, agree2, agree2_2)" in notes


def test_theme_names_avoid_segment_names_and_repeated_columns_are_skipped() -> None:
    columns = [
        Column("Q1", "Role"),
        Column("Q2", "What is your role?"),
        Column("Q3", "Empathy matters"),
        Column("Q3", "Empathy matters (again)"),
    ]
    frame = pd.DataFrame(
        [["Agree", "Staff", "Agree", "Agree"], ["Disagree", "Lead", "Agree", "Agree"]],
        columns=[c.id for c in columns],
        dtype=str,
    )
    suggestion = suggest_codebook(Export.from_frame(frame, name="r.csv", columns=columns))
    book = suggestion.codebook
    assert [(q.column, q.theme) for q in book.questions] == [("Q1", "role 2")]
    assert [s.key for s in book.segments] == ["role"]
    assert any(n.startswith("Skipped 1 repeated column(s)") and "Q3" in n for n in suggestion.notes)


def test_no_id_column_means_row_numbers_and_says_so() -> None:
    columns = [Column("Q1", "Empathy matters")]
    suggestion = suggest_codebook(export(columns, {"Q1": AGREE5}))
    assert suggestion.codebook.survey.respondent_id is None
    assert any("identified by row number" in n for n in suggestion.notes)
    assert "respondent id: row number (no id column found)" in suggestion.mapping_lines()


def test_an_id_named_column_with_repeats_is_not_the_respondent_id() -> None:
    columns = [Column("respondent_id"), Column("Q1", "Empathy matters")]
    answers = {"respondent_id": ["R1", "R2", "R1"], "Q1": AGREE5}
    book = suggest_codebook(export(columns, answers)).codebook
    assert book.survey.respondent_id is None
    assert [s.column for s in book.segments] == ["respondent_id"]


def test_survey_name_from_the_argument_or_the_file_name() -> None:
    columns = [Column("Q1", "Empathy matters")]
    named = suggest_codebook(export(columns, {"Q1": AGREE5}), survey="  CX pulse ")
    assert named.codebook.survey.name == "CX pulse"
    derived = suggest_codebook(
        export(columns, {"Q1": AGREE5}, name="/exports/Pulse_Q3 (final).csv.gz")
    )
    assert derived.codebook.survey.name == "pulse-q3-final"


def test_sample_rows_limits_the_scan_and_says_so() -> None:
    columns = [Column("Q1", "Empathy matters")]
    answers = {"Q1": ["Agree"] * 30 + ["Strongly disagree"]}
    sampled = suggest_codebook(export(columns, answers, rows=31), sample_rows=30)
    # Only "Agree" was read: the scale's other end is added, as a scale needs two.
    assert sampled.codebook.scales["agree2"].labels == ["Strongly disagree", "Agree"]
    assert sampled.notes[0].startswith("Only the first 30 rows were read")
    whole = suggest_codebook(export(columns, answers, rows=30), sample_rows=30)
    assert not any(n.startswith("Only the first") for n in whole.notes)
    with pytest.raises(ValueError, match="sample_rows"):
        suggest_codebook(export(columns, answers), sample_rows=0)


def test_a_sampled_scan_releases_the_reader() -> None:
    closed: list[bool] = []
    frame = pd.DataFrame({"Q1": AGREE5 * 10}, dtype=str)
    layout = Export.from_frame(frame).layout

    def read(rows: int, progress: Progress | None) -> Iterator[pd.DataFrame]:
        try:
            for start in range(0, len(frame), rows):
                yield frame.iloc[start : start + rows]
        finally:
            closed.append(True)

    suggest_codebook(Export(name="big.csv", layout=layout, reader=read), sample_rows=5)
    assert closed == [True]


def test_many_rows_are_read_in_chunks_with_bounded_distinct_values() -> None:
    columns = [Column("Q1", "Empathy matters"), Column("Q2", "Comment")]
    answers = {"Q1": AGREE5, "Q2": [f"c{n}" for n in range(25_000)]}
    seen: list[tuple[int, int]] = []
    big = export(columns, answers, rows=25_000)
    suggestion = suggest_codebook(big, progress=lambda done, total: seen.append((done, total)))
    assert [q.column for q in suggestion.codebook.questions] == ["Q1"]
    assert "Skipped 1 id column(s) (a different value in nearly every row): Q2." in suggestion.notes
    assert seen == [(10_000, 25_000), (20_000, 25_000), (25_000, 25_000)]
    profile = scan(big, ["Q2"]).profiles["Q2"]
    assert profile.overflow and len(profile.values) == DISTINCT_CAP + 1
    assert profile.answered == 25_000


def test_nothing_usable_raises_a_codebook_error_saying_what_was_looked_for() -> None:
    columns = [
        Column("StartDate", metadata=True),
        Column("Q1", "Comments"),
        Column("Q2", "What is your role?"),
    ]
    answers = {
        "StartDate": ["2023-01-01"],
        "Q1": [f"A long free-text comment number {n} about things" for n in range(40)],
        "Q2": ["In-house", "Consultant"],
    }
    with pytest.raises(CodebookError) as raised:
        suggest_codebook(export(columns, answers, name="comments.csv"))
    message = str(raised.value)
    assert message.startswith("No survey questions were found in comments.csv")
    assert "known scale (yesno, truefalse, agreement" in message
    assert "1 free text (Q1)" in message and "1 metadata (StartDate)" in message


def test_an_export_without_respondents_raises_a_codebook_error() -> None:
    empty = Export.from_frame(pd.DataFrame({"Q1": []}, dtype=str), name="empty.csv")
    with pytest.raises(CodebookError, match="has no respondents"):
        suggest_codebook(empty)


def test_the_suggestion_is_a_valid_codebook_object() -> None:
    suggestion = suggest_codebook(qualtrics())
    assert isinstance(suggestion, Suggestion)
    assert Codebook.model_validate(suggestion.codebook.model_dump()) == suggestion.codebook

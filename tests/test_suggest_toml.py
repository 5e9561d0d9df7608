"""Suggestion.to_toml round-trips through parse_codebook; mapping_lines summarises it."""

from __future__ import annotations

import tomllib

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from insights.ingest.codebook import parse_codebook
from insights.ingest.exports._model import Column, Export
from insights.ingest.suggest import Suggestion, suggest_codebook
from insights.ingest.suggest._toml import string

AGREE5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
AWKWARD = [
    'Say "hi" \\ back',
    "Line one\nline two\ttabbed\r\x01\x7f",
    "Ünïcödé — ✓ 日本語 😀",
    "[brackets] = 'quotes' # not a comment",
]


def suggest(
    columns: list[Column], data: dict[str, list[str]], *, survey: str | None = None
) -> Suggestion:
    frame = pd.DataFrame(data, dtype=str)
    return suggest_codebook(Export.from_frame(frame, name="x.csv", columns=columns), survey=survey)


def awkward_export() -> tuple[list[Column], dict[str, list[str]]]:
    columns = [
        Column('id "main"', metadata=False),
        Column('Q1 "quoted"\\', f"I personally believe {AWKWARD[0]}"),
        Column("Q2\nnewline", f"My organization believes {AWKWARD[0]}"),
        Column("Q3 ✓", AWKWARD[1]),
        Column("Q4 日本", AWKWARD[2]),
        Column("Rôle\t", "What is your rôle?"),
    ]
    data = {
        'id "main"': [f"r{n}" for n in range(6)],
        'Q1 "quoted"\\': [*AGREE5, "Agree"],
        "Q2\nnewline": [*AGREE5[::-1], "Agree"],
        "Q3 ✓": ["Yes", "No"] * 3,
        "Q4 日本": ["Agree", "Disagree"] * 3,
        "Rôle\t": ['In "house"', "Consult\\ant", "Ünï\ncode"] * 2,
    }
    return columns, data


def test_round_trip_of_a_plain_suggestion() -> None:
    columns = [
        Column("Q1", "I believe empathy matters"),
        Column("Q2", "My company believes empathy matters"),
    ]
    suggestion = suggest(columns, {"Q1": AGREE5, "Q2": AGREE5})
    text = suggestion.to_toml()
    assert parse_codebook(text) == suggestion.codebook
    assert "# Five-point agreement, 5 of its 5 points seen (labels nobody chose are" in text
    assert "Positive = top-2-box." in text
    assert "# --- empathy matters: personal vs organization" in text


def test_round_trip_with_quotes_backslashes_unicode_and_newlines() -> None:
    columns, data = awkward_export()
    suggestion = suggest(columns, data, survey='The "big" \\ survey ✓')
    text = suggestion.to_toml()
    parsed = parse_codebook(text)
    assert parsed == suggestion.codebook
    assert parsed.survey.name == 'The "big" \\ survey ✓'
    assert parsed.survey.respondent_id is None  # not named like an id column
    assert {q.column for q in parsed.questions} >= {'Q1 "quoted"\\', "Q2\nnewline"}
    assert any(q.text == AWKWARD[1] for q in parsed.questions)
    assert [(s.column, s.key) for s in parsed.segments] == [("Rôle\t", "rôle")]
    # Comments never run onto a second line, whatever the answers contain.
    assert all(not line.startswith(("Ünï", "code", "newline")) for line in text.splitlines())


def test_notes_are_comments_in_the_header() -> None:
    columns = [Column("Q1", "Empathy matters"), Column("Q2", "Comments")]
    suggestion = suggest(
        columns,
        {"Q1": ["1", "2", "5"], "Q2": ["A free-text answer\nthat spans lines and more"] * 3},
    )
    text = suggestion.to_toml()
    assert parse_codebook(text) == suggestion.codebook
    header = text.split("[survey]")[0]
    assert "# To review:" in header
    assert "#   - Scale codes5 (Q1) was exported as numeric codes 1–5" in header
    assert all(line.startswith("#") or not line for line in header.splitlines())
    assert "codes = [1, 2, 3, 4, 5]" in text


def test_respondent_id_comment_when_the_export_names_its_id_column() -> None:
    frame = pd.DataFrame({"ResponseId": ["R_1", "R_2"], "Q1": ["Agree", "Disagree"]}, dtype=str)
    columns = [Column("ResponseId", "Response ID", metadata=True), Column("Q1", "Empathy matters")]
    export = Export.from_frame(
        frame, name="q.csv", columns=columns, format="qualtrics", respondent_id="ResponseId"
    )
    suggestion = suggest_codebook(export)
    text = suggestion.to_toml()
    assert "respondent_id =" not in text
    assert "# respondent_id is left out: the importer uses the export's response id column" in text
    assert "respondent id: ResponseId (the export's response id)" in suggestion.mapping_lines()
    assert "(qualtrics export)" in text


def test_mapping_lines() -> None:
    columns = [
        Column("Q1", "I personally believe customer empathy drives loyalty"),
        Column("Q2", "My organization believes customer empathy drives loyalty"),
        Column("Q3", "My organization measures customer empathy"),
        Column("Q4", "What is your role?"),
        Column("region"),
        Column("Q6", "Comments"),
        Column("Start", metadata=True),
    ]
    data = {
        "Q1": AGREE5,
        "Q2": AGREE5,
        "Q3": ["Yes", "No", "Yes", "No", "No"],
        "Q4": ["In-house", "Consultant"] * 2 + ["Staff"],
        "region": ["EU", "US", "EU", "US", "EU"],
        "Q6": [f"Free text comment number {n} here" for n in range(5)],
        "Start": ["2023-01-01"] * 5,
    }
    assert suggest(columns, data).mapping_lines() == [
        "customer empathy drives loyalty: personal Q1 ↔ organization Q2 (agree5)",
        "measures customer empathy: Q3 (yesno)",
        "segments: role ← Q4, region",
        "scale agree5: Strongly disagree … Strongly agree (5 points; positive: Agree, "
        "Strongly agree)",
        "scale yesno: No … Yes (2 points; positive: Yes)",
        "respondent id: row number (no id column found)",
        "skipped 2 column(s): 1 metadata, 1 free text",
    ]


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_any_text_survives_a_toml_string(value: str) -> None:
    assert tomllib.loads(f"x = {string(value)}")["x"] == value

"""What the suggester proposes for real public exports (tests/exports/real/suggest-*, each
with its SOURCE.md). Expected labels are recounted here from the file with the csv module,
not taken from the suggester."""

from __future__ import annotations

import csv
from pathlib import Path

from insights.ingest.exports import open_export
from insights.ingest.suggest import Suggestion, suggest_codebook

REAL = Path(__file__).parent / "exports" / "real"


def suggested(name: str) -> Suggestion:
    return suggest_codebook(open_export(REAL / name))


def answers(name: str, header: str) -> set[str]:
    """The distinct non-blank answers in the column named ``header``, read independently."""
    with open(REAL / name, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    column = rows[0].index(header)
    return {row[column].strip() for row in rows[1:] if row[column].strip()}


def scale_of(suggestion: Suggestion, header: str) -> str:
    (question,) = [q for q in suggestion.codebook.questions if q.column == header]
    return question.scale


COVID = "suggest-covid-expectations/responses.csv"
FINANCES = "How are you doing financially today, compared to a year ago?"
TRUST = (
    "On a scale of 1 to 10, how much do you trust the government to respond to COVID-19 "
    "effectively? (1 is strongly distrust and 10 is strongly trust)"
)


def test_covid_change_and_binned_scales_hold_exactly_the_answers_given() -> None:
    suggestion = suggested(COVID)
    book = suggestion.codebook
    change = book.scales[scale_of(suggestion, FINANCES)]
    assert set(change.labels) == answers(COVID, FINANCES)
    assert change.labels == [
        "Significantly worse",
        "Somewhat worse",
        "About the same",
        "Somewhat better",
        "Significantly better",
    ]
    assert change.positive == ["Somewhat better", "Significantly better"]
    bins = book.scales[scale_of(suggestion, TRUST)]
    assert set(bins.labels) == answers(COVID, TRUST)
    assert bins.labels == ["1+2", "3+4", "5+6", "7+8", "9+10"]
    assert bins.positive == ["7+8", "9+10"]


def test_covid_merged_spellings_counts_and_zip_codes_are_not_segments() -> None:
    suggestion = suggested(COVID)
    assert [s.column for s in suggestion.codebook.segments] == ["Datasource"]
    skipped = suggestion.review.skipped
    assert "What is your gender?" in skipped["typed"]  # "Female" and "female"
    assert "What year were you born?" in skipped["numeric"]
    assert skipped["personal data"] == (
        "What is the zip code (i.e. postal code) of the place you currently live in?",
    )
    assert any(
        n.startswith("What is your gender? is not a segment: its answers are spelt several ways")
        for n in suggestion.notes
    )


STACKS = "suggest-stacks-community/results.csv"
HOLD = "Do you hold STX tokens?"
OBSTACLES = (
    "Do you feel there have been any obstacles that have prevented you from participating in "
    "governance?"
)


def test_stacks_yes_no_proposes_not_sure_and_prefer_not_to_answer_as_missing() -> None:
    suggestion = suggested(STACKS)
    name = scale_of(suggestion, HOLD)
    assert scale_of(suggestion, OBSTACLES) == name
    yesno = suggestion.codebook.scales[name]
    on_it = [q.column for q in suggestion.codebook.questions if q.scale == name]
    given = set().union(*(answers(STACKS, column) for column in on_it))
    assert yesno.labels == ["No", "Yes"] and yesno.positive == ["Yes"]
    assert set(yesno.labels) | set(yesno.missing) == given
    assert {"Prefer not to answer", "Not sure"} <= set(yesno.missing)


def test_stacks_open_questions_places_and_tokens_are_not_segments() -> None:
    suggestion = suggested(STACKS)
    segments = {s.column for s in suggestion.codebook.segments}
    skipped = suggestion.review.skipped
    assert "Where do you live (or spend most of your time)?" in skipped["typed"]
    assert "Any final thoughts?" in skipped["free text"]
    assert skipped["id"] == ("Token",)
    assert not segments & {c for columns in skipped.values() for c in columns}
    # Every segment is a short list of choices.
    assert all(len(answers(STACKS, column)) <= 30 for column in segments)

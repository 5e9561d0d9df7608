"""What the suggester proposes for scales, missing answers, segments and personal data
(issue 16): numbered labels, numbers (−k…+k, 0–10, sliders), grid siblings, typed text."""

from __future__ import annotations

import pytest

from insights.ingest.codebook import parse_codebook
from insights.ingest.exports._model import Column
from insights.ingest.suggest import suggest_codebook
from insights.ingest.suggest._scales import match_scale, numeric_codes
from tests.test_suggest_formats import GRID_STEM, export

IMPRESSIVE = ["1 - Not at all impressive", "2", "3", "4", "5", "6", "7 - Very impressive"]


def test_numbered_labels_are_one_scale_in_number_order() -> None:
    matched = match_scale(["7 - Very impressive", "2", "1 - Not at all impressive", "5"])
    assert matched is not None
    found = matched.spec
    assert found.base == "numbered4"
    assert found.labels == ("1 - Not at all impressive", "2", "5", "7 - Very impressive")
    # The top two points of 1..7 are 6 and 7; nobody chose 6.
    assert found.positive == ("7 - Very impressive",)
    assert "check that the survey offered no higher number" in found.comment
    every = match_scale(IMPRESSIVE)
    assert every is not None and every.spec.positive == ("6", "7 - Very impressive")


def test_negative_codes_are_a_scale_around_zero() -> None:
    found = numeric_codes(["-3", "0", "2", "-1"])
    assert found is not None
    assert found.codes == (-3, -2, -1, 0, 1, 2, 3)
    assert found.positive == ("1", "2", "3")
    assert "codes above 0" in found.comment


def test_zero_to_ten_counts_the_promoters() -> None:
    found = numeric_codes(["0", "10", "7"])
    assert found is not None
    assert (found.base, found.positive) == ("scale0to10", ("9", "10"))
    assert "NPS" in found.comment and not found.placeholders


def test_a_survey_of_sliders_is_suggested_with_a_stated_cut_off() -> None:
    columns = [Column(f"Q{n}", f"How warm do you feel towards group {n}?") for n in range(3)]
    answers = {
        c.id: [str((n * 37 + k * 11) % 101) for n in range(90)] for k, c in enumerate(columns)
    }
    suggestion = suggest_codebook(export(columns, answers, rows=90))
    book = suggestion.codebook
    assert {q.scale for q in book.questions} == {"slider"}
    slider = book.scales["slider"]
    assert slider.codes == list(range(101)) and slider.positive == [str(n) for n in range(51, 101)]
    assert any("cut-off to review" in n for n in suggestion.notes)
    assert "positive: 51 … 100 (50 answers)" in " ".join(suggestion.mapping_lines())


def test_grid_rows_share_one_numeric_scale() -> None:
    rows = ["Trust", "Warmth", "Respect"]
    columns = [
        Column(f"Q5_{n}", f"{GRID_STEM} - {r}", question=GRID_STEM, row=r)
        for n, r in enumerate(rows)
    ]
    answers = {
        "Q5_0": ["0", "3", "10", "8"],
        "Q5_1": ["0", "1", "2", "3"],  # happened to stay within 0–3
        "Q5_2": ["5", "9", "10", "0"],
    }
    book = suggest_codebook(export(columns, answers)).codebook
    assert {q.column: q.scale for q in book.questions} == dict.fromkeys(answers, "scale0to10")


@pytest.mark.parametrize(
    ("text", "rated"),
    [
        ("How much do you trust the core developers?", True),
        ("The seminar leader is available during office hours", True),
        ("How many weeks until life returns to normal?", False),
        ("Times in group > 20 in last week", False),
        ("What year were you born?", False),
    ],
)
def test_numbers_are_rated_unless_the_wording_counts_or_measures(text: str, rated: bool) -> None:
    columns = [Column("Q1", text), Column("Q2", "Empathy matters")]
    answers = {"Q1": ["0", "1", "2", "3", "4", "5"], "Q2": ["Agree", "Disagree"]}
    book = suggest_codebook(export(columns, answers)).codebook
    assert ("Q1" in book.columns) is rated
    assert "Q1" not in {s.column for s in book.segments}


def test_coded_choices_of_a_demographic_question_stay_a_segment() -> None:
    # A numeric export codes "Less than a year / 1-3 years / More than 3 years" as 1-3.
    columns = [Column("Q1", "How long have you worked in your role?"), Column("Q2", "Empathy")]
    answers = {"Q1": ["1", "2", "3"], "Q2": ["Agree", "Disagree"]}
    book = suggest_codebook(export(columns, answers)).codebook
    assert [(s.column, s.name) for s in book.segments] == [("Q1", "long worked role")]


@pytest.mark.parametrize("numbers", [["1", "4", "50"], ["1", "5", "6"]])
def test_counts_are_not_codes_whatever_the_wording(numbers: list[str]) -> None:
    """A real export's "How many full-time employees does your organization have?" (1, 4,
    50) was suggested as a coded segment: codes number a short list, nearly all chosen."""
    columns = [
        Column("Q1", "How many full-time employees does your organization have?"),
        Column("Q2", "Empathy"),
    ]
    answers = {"Q1": numbers, "Q2": ["Agree", "Disagree", "Agree"]}
    suggestion = suggest_codebook(export(columns, answers))
    assert suggestion.codebook.segments == []
    assert "Q1" in suggestion.review.skipped["numeric"]


def test_bins_of_a_number_scale_and_better_or_worse_are_scales() -> None:
    bins = match_scale(["5+6", "1+2", "9+10", "3+4"])
    assert bins is not None
    assert bins.spec.labels == ("1+2", "3+4", "5+6", "9+10")
    assert bins.spec.positive == ("9+10",)  # 7+8 would count too, had anyone chosen it
    change = match_scale(["Somewhat worse", "About the same", "Significantly better"])
    assert change is not None
    assert (change.spec.base, change.spec.positive) == ("change3", ("Significantly better",))


def test_counts_and_ages_are_not_scales() -> None:
    columns = [Column("Q1", "How old are you?"), Column("Q2", "Empathy matters")]
    answers = {"Q1": [str(n) for n in range(18, 80)], "Q2": ["Agree", "Disagree"]}
    suggestion = suggest_codebook(export(columns, answers, rows=62))
    assert [q.column for q in suggestion.codebook.questions] == ["Q2"]


def test_dont_know_and_not_applicable_are_proposed_as_missing_and_read_back() -> None:
    columns = [Column("Q1", "Empathy matters"), Column("Q2", "Empathy is rewarded")]
    answers = {
        "Q1": ["Agree", "Disagree", "Not applicable"],
        "Q2": ["Strongly agree", "Don't know", "Agree"],
    }
    suggestion = suggest_codebook(export(columns, answers))
    scale = suggestion.codebook.scales["agree3"]
    assert scale.labels == ["Disagree", "Agree", "Strongly agree"]
    assert scale.missing == ["Not applicable", "Don't know"]
    text = suggestion.to_toml()
    assert 'missing = ["Not applicable", "Don\'t know"]' in text
    assert parse_codebook(text) == suggestion.codebook


def test_yes_no_unsure_proposes_unsure_as_missing() -> None:
    columns = [Column("Q1", "Have you changed your routine?")]
    book = suggest_codebook(export(columns, {"Q1": ["Yes", "No", "Unsure"]})).codebook
    assert book.scales["yesno"].labels == ["No", "Yes"]
    assert book.scales["yesno"].missing == ["Unsure"]


def test_typed_answers_open_questions_and_personal_data_are_never_segments() -> None:
    typed_yes_no = ["Yes", "yes", "Yes!", "no", "No", "Nope", "yes.", "Y", "nah", "Yep", "NO"]
    columns = [
        Column("Q1", "Empathy matters"),
        Column("Q2", "Do you identify as a member of the community?"),
        Column("Q3", "Gender - Prefer to self-describe"),
        Column("Q4", "Team"),
        Column("Q5", "IP"),
        Column("Q6", "Where are you?"),
        Column("Q7", "Contact"),
    ]
    answers = {
        "Q1": ["Agree", "Disagree"],
        "Q2": typed_yes_no,
        "Q3": ["", "nonbinary", "", "agender"],
        "Q4": ["Support", "Sales"],
        "Q5": ["10.0.0.1", "10.0.0.2", "192.168.1.4"],
        "Q6": ["Lisbon", "Oslo"],
        "Q7": ["a@example.org", "b@example.org"],
    }
    suggestion = suggest_codebook(export(columns, answers, rows=44))
    assert [s.column for s in suggestion.codebook.segments] == ["Q4", "Q6"]
    notes = " ".join(suggestion.notes)
    assert "Q2 is not a segment: its answers are spelt several ways" in notes
    assert (
        "Skipped 1 free text column(s) (open answers: long, many different, or asked as " in notes
    )
    assert suggestion.review.skipped["free text"] == ("Q3",)
    assert "Personal data, left out of the codebook and never stored by the import: Q5, Q7" in notes


def test_platform_columns_holding_personal_data_are_named_as_such() -> None:
    columns = [
        Column("IPAddress", "IP Address", metadata=True),
        Column("LocationLatitude", "Location Latitude", metadata=True),
        Column("Q1", "Empathy matters"),
    ]
    answers = {"IPAddress": ["10.0.0.1"], "LocationLatitude": ["1.5"], "Q1": ["Agree", "Disagree"]}
    suggestion = suggest_codebook(export(columns, answers))
    assert suggestion.review.skipped["personal data"] == ("IPAddress", "LocationLatitude")


def test_grids_pair_on_real_wording_and_every_pairing_is_shown() -> None:
    acts = ["wearing a mask", "staying home", "washing hands"]
    own = "How much do you agree with the following?"
    others = "Thinking about the people around you:"
    columns = [
        *(
            Column(f"Q10_{n}", question=own, row=f"{act.capitalize()} is a necessary precaution")
            for n, act in enumerate(acts)
        ),
        *(
            Column(f"Q11_{n}", question=others, row=f"People in my community are {act}")
            for n, act in enumerate(reversed(acts))
        ),
    ]
    answers = {c.id: ["Agree", "Disagree", "Strongly agree"] for c in columns}
    suggestion = suggest_codebook(export(columns, answers))
    by_theme: dict[str, list[tuple[str, str | None]]] = {}
    for q in suggestion.codebook.questions:
        by_theme.setdefault(q.theme, []).append((q.column, q.perspective))
    assert sorted(by_theme.values()) == [
        [("Q10_0", "personal"), ("Q11_2", "organization")],
        [("Q10_1", "personal"), ("Q11_1", "organization")],
        [("Q10_2", "personal"), ("Q11_0", "organization")],
    ]
    paired = [n for n in suggestion.notes if n.startswith("Paired for review:")]
    assert paired[0] == (
        'Paired for review: Q10_0 (personal: "Wearing a mask is a necessary precaution") with '
        'Q11_2 (organization: "People in my community are wearing a mask"); confirm they ask '
        "the same thing from the two sides, or remove the perspective lines."
    )
    assert len(paired) == 3


def test_statements_naming_no_side_stay_single_when_nothing_pairs_them() -> None:
    columns = [Column("Q1", "Wearing a mask is a necessary precaution"), Column("Q2", "Team")]
    answers = {"Q1": ["Agree", "Disagree"], "Q2": ["A", "B"]}
    book = suggest_codebook(export(columns, answers)).codebook
    assert [(q.column, q.perspective) for q in book.questions] == [("Q1", None)]

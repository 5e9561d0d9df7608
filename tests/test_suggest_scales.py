"""Recognising answer vocabularies and numeric codes (insights.ingest.suggest._scales)."""

from __future__ import annotations

import random

import pytest

from insights.ingest.suggest._scales import ScaleSpec, match_scale, numeric_codes

AGREE5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def spec(answers: list[str]) -> ScaleSpec:
    matched = match_scale(answers)
    assert matched is not None, answers
    return matched.spec


def test_a_shuffled_subset_keeps_only_the_labels_seen_in_order() -> None:
    seen = ["agree", "STRONGLY DISAGREE", "Neither agree nor disagree"]
    random.Random(7).shuffle(seen)
    found = spec(seen)
    assert found.base == "agree3"
    # Seen spellings are kept (the importer matches them); nothing is invented.
    assert found.labels == ("STRONGLY DISAGREE", "Neither agree nor disagree", "agree")
    assert found.positive == ("agree",)
    assert found.codes is None
    assert "top-2-box" in found.comment and "3 of its 5 points seen" in found.comment


def test_a_three_point_agree_scale_is_not_padded_to_five_points() -> None:
    found = spec(["Agree", "Disagree", "Neither agree nor disagree"])
    assert (found.base, found.labels, found.positive) == (
        "agree3",
        ("Disagree", "Neither agree nor disagree", "Agree"),
        ("Agree",),
    )
    assert not any("Strongly" in label for label in found.labels)


def test_a_four_point_agree_scale_counts_its_top_two() -> None:
    found = spec(["Strongly agree", "Agree", "Disagree", "Strongly disagree"])
    assert found.base == "agree4"
    assert found.positive == ("Agree", "Strongly agree")


def test_every_order_of_the_same_answers_gives_the_same_scale() -> None:
    orders = [random.Random(n).sample(AGREE5, k=4) for n in range(10)]
    assert len({spec(order) for order in orders if set(order) == set(orders[0])}) == 1


def test_seven_point_agreement_needs_a_somewhat_answer() -> None:
    found = spec(["Agree", "Somewhat agree", "Strongly disagree"])
    assert found.base == "agree3"
    assert found.labels == ("Strongly disagree", "Somewhat agree", "Agree")
    assert found.positive == ("Agree",)
    assert "Seven-point agreement" in found.comment


def test_five_point_somewhat_scale_counts_somewhat_agree_and_says_agree7_would_not() -> None:
    found = spec(["Somewhat agree", "Strongly agree", "Somewhat disagree"])
    assert found.base == "agree3"
    assert found.positive == ("Somewhat agree", "Strongly agree")
    assert "agree7" in found.alternatives


@pytest.mark.parametrize(
    ("answers", "base", "labels", "positive"),
    [
        (["Yes", "no"], "yesno", ("no", "Yes"), ("Yes",)),
        (["TRUE", "False"], "truefalse", ("False", "TRUE"), ("TRUE",)),
        (
            ["Very important", "Not at all important"],
            "importance2",
            ("Not at all important", "Very important"),
            ("Very important",),
        ),
        (
            ["Very likely", "Unlikely", "Likely", "Very unlikely"],
            "likely4",
            ("Very unlikely", "Unlikely", "Likely", "Very likely"),
            ("Likely", "Very likely"),
        ),
        (
            ["Satisfied", "Very dissatisfied"],
            "satisfied2",
            ("Very dissatisfied", "Satisfied"),
            ("Satisfied",),
        ),
        (
            ["Always", "Rarely", "Never", "Often", "Sometimes"],
            "frequency5",
            ("Never", "Rarely", "Sometimes", "Often", "Always"),
            ("Often", "Always"),
        ),
        (
            ["Excellent", "Very good", "Poor"],
            "quality3",
            ("Poor", "Very good", "Excellent"),
            ("Very good", "Excellent"),
        ),
        (
            ["Helpful", "Not needed", "Necessary"],
            "necessity3",
            ("Not needed", "Helpful", "Necessary"),
            ("Helpful", "Necessary"),
        ),
        (
            ["Neccessary", "Not necessary"],
            "necessity2",
            ("Not necessary", "Neccessary"),
            ("Neccessary",),
        ),
        (
            ["Very favorable", "Somewhat unfavorable", "Very unfavorable", "Somewhat favorable"],
            "favour4",
            ("Very unfavorable", "Somewhat unfavorable", "Somewhat favorable", "Very favorable"),
            ("Somewhat favorable", "Very favorable"),
        ),
        (
            ["Increased", "Stayed the same", "Decreased"],
            "change3",
            ("Decreased", "Stayed the same", "Increased"),
            ("Increased",),
        ),
        (
            ["Less often", "More often", "About the same"],
            "often3",
            ("Less often", "About the same", "More often"),
            ("More often",),
        ),
        (["No", "Maybe", "Yes"], "yesno", ("No", "Maybe", "Yes"), ("Yes",)),
    ],
)
def test_known_vocabularies(
    answers: list[str], base: str, labels: tuple[str, ...], positive: tuple[str, ...]
) -> None:
    found = spec(answers)
    assert (found.base, found.labels, found.positive) == (base, labels, positive)


def test_spacing_case_and_curly_apostrophes_do_not_matter() -> None:
    assert spec(["  strongly   AGREE ", "Disagree."]).base == "agree2"


def test_a_four_point_quality_reading_is_flagged_because_it_counts_good_as_positive() -> None:
    found = spec(["Poor", "Good", "Excellent"])
    assert found.base == "quality3"
    assert found.alternatives == ("quality4",)


def test_dont_know_does_not_stop_a_match_but_is_reported() -> None:
    matched = match_scale(["Agree", "Don\u2019t know", "Disagree", "N/A"])
    assert matched is not None
    assert matched.spec.base == "agree2"
    assert matched.not_on_scale == ("Don\u2019t know", "N/A")
    # Proposed as missing, as written, and never among the labels.
    assert matched.spec.missing == ("Don\u2019t know", "N/A")
    assert matched.spec.labels == ("Disagree", "Agree")


@pytest.mark.parametrize(
    "answers",
    [
        ["In-house", "Consultant"],
        ["Agree", "Banana"],
        ["Neutral", "Neither agree nor disagree"],  # two spellings for one position
        ["N/A", "Don't know"],
        ["1", "2", "3"],
    ],
)
def test_answers_off_every_vocabulary_do_not_match(answers: list[str]) -> None:
    assert match_scale(answers) is None


def test_numeric_codes_make_a_placeholder_scale_from_one_to_the_highest_code() -> None:
    found = numeric_codes(["3", "1", "5", "4"])
    assert found is not None
    assert found.base == "codes5"
    assert found.labels == ("1", "2", "3", "4", "5")
    assert found.codes == (1, 2, 3, 4, 5)
    assert found.positive == ("4", "5")  # top-2 codes
    assert "placeholders" in found.comment


def test_zero_to_ten_is_an_eleven_point_scale() -> None:
    found = numeric_codes([str(n) for n in range(0, 11, 2)])
    assert found is not None
    assert found.codes == tuple(range(11))
    assert found.positive == ("9", "10")


def test_two_numeric_codes_count_the_higher_one() -> None:
    found = numeric_codes(["1", "2"])
    assert found is not None
    assert found.positive == ("2",)


@pytest.mark.parametrize(
    "answers", [["1", "101"], ["1.5", "2"], ["3"], ["-7", "2"], ["-1", "-3"], ["a", "1"]]
)
def test_other_numbers_are_not_codes(answers: list[str]) -> None:
    assert numeric_codes(answers) is None

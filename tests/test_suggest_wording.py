"""Reading perspective and topic from question wording, and naming themes and segments."""

from __future__ import annotations

import pytest

from insights.ingest.exports._model import Column
from insights.ingest.suggest._themes import Candidate, assign_themes
from insights.ingest.suggest._wording import read_wording, segment_name, tokens


@pytest.mark.parametrize(
    ("text", "perspective"),
    [
        ("I personally believe customer empathy drives loyalty", "personal"),
        ("I believe customer empathy drives loyalty", "personal"),
        ("In my opinion, customer empathy drives loyalty", "personal"),
        ("Personally, customer empathy drives loyalty", "personal"),
        ("Customer empathy drives loyalty, I think", "personal"),
        ("My organization believes customer empathy drives loyalty", "organization"),
        ("My organisation believes customer empathy drives loyalty", "organization"),
        ("My company thinks customer empathy drives loyalty", "organization"),
        ("Our company believes customer empathy drives loyalty", "organization"),
        ("Leadership at my company believes customer empathy drives loyalty", "organization"),
        ("My employer believes customer empathy drives loyalty", "organization"),
        ("How far do you agree? - I personally believe empathy drives loyalty", "personal"),
        ("I personally believe my company values empathy", "personal"),  # earliest phrase wins
        ("Leadership listens to customers", "organization"),
        ("Our leadership team listens to customers", "organization"),
        ("People in my community are wearing a mask", "organization"),
        ("Most people around me wear a mask", "organization"),
        ("My colleagues value empathy", "organization"),
        ("Customer empathy drives loyalty", None),
        ("How would you rate the support from your employer", None),  # prose, not a tag
    ],
)
def test_perspective_from_wording(text: str, perspective: str | None) -> None:
    assert read_wording(Column("Q1", text)).perspective == perspective


@pytest.mark.parametrize(
    ("column", "perspective", "words"),
    [
        (Column("necessity_personal", "necessity_personal"), "personal", ("necessity",)),
        (Column("value_org", "value_org"), "organization", ("value",)),
        (Column("valueCompany"), "organization", ("value",)),
        (Column("Q5", "Business value (organization)"), "organization", ("business", "value")),
        (Column("Q5", "Business value - personal"), "personal", ("business", "value")),
        (Column("personal"), None, ("personal",)),
    ],
)
def test_perspective_from_a_tag_in_the_header(
    column: Column, perspective: str | None, words: tuple[str, ...]
) -> None:
    wording = read_wording(column)
    assert (wording.perspective, wording.words) == (perspective, words)


def test_curly_apostrophes_read_like_straight_ones() -> None:
    wording = read_wording(Column("Q1", "My company\u2019s leadership thinks empathy matters"))
    assert (wording.perspective, wording.words) == ("organization", ("empathy", "matters"))


def test_perspective_phrase_and_opinion_verbs_are_not_topic_words() -> None:
    personal = read_wording(Column("Q1", "I personally believe customer empathy drives loyalty"))
    organization = read_wording(
        Column("Q2", "My company's leadership thinks customer empathy drives loyalty")
    )
    assert personal.words == organization.words == ("customer", "empathy", "drives", "loyalty")


def candidates(*texts: str, scale: str = "agree5") -> list[Candidate]:
    return [
        Candidate(f"Q{n}", scale, read_wording(Column(f"Q{n}", t))) for n, t in enumerate(texts)
    ]


def test_matching_statements_pair_and_the_theme_is_named_from_what_sets_it_apart() -> None:
    themes = assign_themes(
        candidates(
            "My organization believes customer empathy is necessary to create business value",
            "I personally believe customer empathy is necessary or helpful to define and implement"
            " CX improvements",
            "I personally believe customer empathy is necessary to create business value",
            "My organization believes customer empathy is necessary or helpful to define and "
            "implement CX improvements",
        ),
        set(),
    )
    by_column = {q.column: (q.theme, q.perspective) for q in themes.questions}
    assert by_column == {
        "Q0": ("business value", "organization"),
        "Q1": ("helpful cx improvements", "personal"),
        "Q2": ("business value", "personal"),
        "Q3": ("helpful cx improvements", "organization"),
    }
    # Every pairing is shown for a person to confirm, and nothing else needs a look.
    assert themes.notes == (
        "Paired for review: Q1 (personal) with Q3 (organization); confirm they ask the same "
        "thing from the two sides, or remove the perspective lines.",
        "Paired for review: Q2 (personal) with Q0 (organization); confirm they ask the same "
        "thing from the two sides, or remove the perspective lines.",
    )


def test_names_never_split_a_shared_phrase_such_as_customer_empathy() -> None:
    themes = assign_themes(
        candidates(
            "I personally believe customer empathy drives loyalty",
            "My organization believes customer empathy drives loyalty",
            "I personally believe empathy is necessary to create business value",
            "My organization believes empathy is necessary to create business value",
        ),
        set(),
    )
    assert [q.theme for q in themes.questions] == [
        "customer empathy drives loyalty",
        "customer empathy drives loyalty",
        "empathy necessary business value",
        "empathy necessary business value",
    ]


def test_loosely_similar_statements_do_not_pair() -> None:
    themes = assign_themes(
        candidates(
            "I personally believe customer empathy drives loyalty",
            "My organization measures customer empathy",
        ),
        set(),
    )
    assert [q.perspective for q in themes.questions] == [None, None]
    assert [q.theme for q in themes.questions] == [
        "customer empathy drives loyalty",
        "measures customer empathy",
    ]
    assert "No counterpart" in themes.notes[0]
    assert "Q0 (personal), Q1 (organization)" in themes.notes[0]


def test_grid_rows_are_named_by_the_words_that_differ() -> None:
    themes = assign_themes(
        candidates(
            "My organization is effective at helping senior leaders develop customer empathy",
            "My organization is effective at helping middle managers develop customer empathy",
            "My organization is effective at helping staff develop customer empathy",
            "My organization measures customer empathy",
        ),
        set(),
    )
    names = [q.theme for q in themes.questions]
    assert names == ["senior leaders", "middle managers", "staff", "measures"]


def test_a_second_equally_good_partner_is_reported_as_ambiguous() -> None:
    themes = assign_themes(
        candidates(
            "I personally believe empathy drives loyalty",
            "My organization believes empathy drives loyalty",
            "My company believes empathy drives loyalty",
        ),
        set(),
    )
    assert themes.questions[0].theme == themes.questions[1].theme
    assert themes.questions[2].perspective is None
    assert any("Q0 was paired with Q1, but Q2 reads almost as close" in n for n in themes.notes)


def test_statements_on_different_scales_are_not_paired() -> None:
    personal, organization = candidates(
        "I personally believe empathy drives loyalty",
        "My organization believes empathy drives loyalty",
    )
    themes = assign_themes([personal, Candidate("Q1", "agree7", organization.wording)], set())
    assert [q.perspective for q in themes.questions] == [None, None]
    assert any("different scales (agree5, agree7)" in n for n in themes.notes)
    assert len({q.theme for q in themes.questions}) == 2


def test_theme_names_are_unique_and_avoid_names_taken() -> None:
    taken = {"loyalty"}
    themes = assign_themes(candidates("Loyalty", "loyalty", "Loyalty?"), taken)
    assert [q.theme for q in themes.questions] == ["loyalty 2", "loyalty 3", "loyalty 4"]


@pytest.mark.parametrize(
    ("column", "name"),
    [
        (Column("Q10", "What is your role?"), "role"),
        (Column("Q11", "Which region do you work in?"), "region"),
        (Column("Job level"), "job level"),
        (Column("job_level", "job_level"), "job level"),
        (Column("Q12", "Which of the following best describes your seniority?"), "seniority"),
        (Column("Q13", "?"), "q13"),
    ],
)
def test_segment_names(column: Column, name: str) -> None:
    assert segment_name(column) == name


def test_a_link_in_a_question_is_not_its_wording() -> None:
    """A real export's question linked an article: its theme was named "https messari io
    article". A Markdown link keeps its text; a bare address goes."""
    text = "Did you read [the governance report](https://example.org/r-2020)? See www.example.org/x"
    assert tokens(text) == ["did", "you", "read", "the", "governance", "report", "see"]

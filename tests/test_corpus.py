"""The corpus test (issue 15): questions typed the way people type them in Slack must be
read as the strict query written beside each, for the demo survey and for a second survey
whose names are all different (``tests/corpus/``). The suite fails when fewer than 95%
are read right, and lists every miss (text, expected, got) so that a failure says what to
fix. ``python -m tests.corpus.measure`` prints the same measurement; ``pytest -s`` shows
it here too. Nothing is written: both surveys are loaded into an in-memory store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest
from corpus.measure import (
    NOT_UNDERSTOOD,
    REFUSE,
    TEAMS,
    THRESHOLD,
    Case,
    Outcome,
    accuracy,
    corpus_store,
    evaluate,
    expected_query,
    is_action,
    is_query,
    load_corpus,
    misses,
    reading_key,
    same_reading,
    summary,
    turns_of,
)
from corpus.pulse import PULSE_DIR
from corpus.pulse.generate import WAVES, render_wave

from insights import Store
from insights.answers.catalog import Catalog, load_catalog
from insights.answers.query import ACTIONS, Vocabulary, parse

# Every kind of question issue 15 names; each must be in the corpus, for both surveys.
INTENTS = {
    "overview",
    "filter",
    "negation",
    "combined",
    "comparison",
    "ranking",
    "time",
    "wording",
    "count",
    "meta",
    "typo",
    "refusal",
    "not understood",
    "action",
    "follow-up",
}
QUESTION_COMMANDS = ("gap", "overview", "count", "themes", "segments", "waves", "surveys", "help")


@pytest.fixture(scope="module")
def corpus() -> list[Case]:
    return load_corpus()


@pytest.fixture(scope="module")
def surveys() -> Iterator[Store]:
    store = corpus_store()
    yield store
    store.close()


@pytest.fixture(scope="module")
def catalogs(surveys: Store) -> dict[str, Catalog]:
    return {survey: load_catalog(surveys, team) for survey, team in TEAMS.items()}


@pytest.fixture(scope="module")
def outcomes(surveys: Store, corpus: list[Case]) -> list[Outcome]:
    return evaluate(surveys, corpus)


def test_corpus_is_large_and_covers_both_surveys_and_every_intent(corpus: list[Case]) -> None:
    turns = list(turns_of(corpus))
    assert len(turns) >= 300
    per_survey = Counter(turn.survey for turn in turns)
    assert set(per_survey) == {"demo", "pulse"}
    assert all(0.4 <= count / len(turns) <= 0.6 for count in per_survey.values()), per_survey
    for survey in per_survey:
        assert {t.intent for t in turns if t.survey == survey} == INTENTS, survey
    repeated = Counter((t.survey, t.text) for c in corpus if len(c.turns) == 1 for t in c.turns)
    assert [text for text, count in repeated.items() if count > 1] == []


def test_every_reading_is_an_action_a_verdict_or_a_strict_query_that_reads_back(
    corpus: list[Case], catalogs: dict[str, Catalog]
) -> None:
    """A reading the grammar cannot parse, or that does not survive its own canonical
    form, would make the corpus test measure the corpus instead of the parser."""
    for turn in turns_of(corpus):
        if is_action(turn.reading):
            assert turn.reading in ACTIONS, turn
        elif not is_query(turn.reading):
            assert turn.reading in (REFUSE, NOT_UNDERSTOOD), turn
        else:
            catalog = catalogs[turn.survey]
            query = expected_query(turn.reading, catalog)
            assert query.command in QUESTION_COMMANDS, turn
            again = replace(expected_query(query.canonical(), catalog), chart=query.chart)
            assert reading_key(again, catalog) == reading_key(query, catalog), turn


@pytest.mark.parametrize(
    ("got", "expected", "same"),
    [
        ("gap region=europe role=consultant", "gap role=Consultant region=Europe", True),
        ("gap region=asia-pacific,europe", "gap region=Europe,Asia-Pacific", True),
        ("gap wave 2022", "gap", True),
        ("gap survey empathy-in-action", "gap", True),
        ("gap role!=Consultant", "gap role=Consultant", False),
        ("gap role=In-house", "gap role!=Consultant", False),
        ("gap by role", "gap by role chart", False),
        ("gap by region", "gap by region widest", False),
        ("gap wave 2021-pilot", "gap vs 2021-pilot", False),
        ("gap by region region=Europe,Asia-Pacific", "gap region=Europe,Asia-Pacific", False),
    ],
)
def test_readings_are_the_same_only_when_they_ask_the_same_thing(
    catalogs: dict[str, Catalog], got: str, expected: str, same: bool
) -> None:
    """The harness forgives filter order, value order and naming the default survey or
    wave, and nothing else: a negation, a view or a chart dropped is a miss."""
    catalog = catalogs["demo"]
    got_query = parse(got, Vocabulary.from_catalog(catalog))
    assert same_reading(got_query, expected, catalog) is same


def test_pulse_waves_are_exactly_what_the_seeded_generator_writes() -> None:
    for index, wave in enumerate(WAVES):
        written = (PULSE_DIR / wave.file).read_text(encoding="utf-8")
        assert written == render_wave(index), f"regenerate {wave.file}"


def test_pulse_survey_has_groups_big_enough_to_answer(catalogs: dict[str, Catalog]) -> None:
    pulse = catalogs["pulse"]
    assert [wave.label for wave in pulse.waves] == ["Q1 2025", "Q3 2025", "Q1 2026"]
    assert [wave.respondents for wave in pulse.waves] == [240, 270, 300]
    names = {theme.name for theme in pulse.themes} | {s.name for s in pulse.segments}
    demo = catalogs["demo"]
    assert names.isdisjoint({t.name for t in demo.themes} | {s.name for s in demo.segments})


def test_questions_are_read_as_people_meant_them(outcomes: list[Outcome]) -> None:
    report = summary(outcomes)
    print(report)
    if accuracy(outcomes) < THRESHOLD:
        pytest.fail(f"{report}\n\nmisses:\n{misses(outcomes)}", pytrace=False)

"""The assistant surface's suggested prompts and working status come from the workspace's
own catalogue: two surveys with different names suggest different prompts, each prompt is
read as the question its title promises, and the status counts the wave asked about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support import TEAM

from insights import Store
from insights.answers import (
    Prompt,
    action_of,
    prompts_for,
    respondents_to_count,
    suggested_prompts,
    thread_title,
    working_status,
)
from insights.answers.catalog import load_catalog
from insights.answers.query import Query
from insights.answers.reply import interpret
from insights.ingest.codebook import load_codebook
from insights.ingest.importer import import_file
from tests.corpus.pulse import CODEBOOK_PATH, PULSE_DIR

PULSE_TEAM = "T-PULSE"


@pytest.fixture(scope="module")
def pulse_store() -> Iterator[Store]:
    """One wave of the corpus's second survey: other themes, segments and wave names."""
    store = Store.open(":memory:")
    import_file(
        store,
        PULSE_DIR / "wave_2026_q1.csv",
        load_codebook(CODEBOOK_PATH),
        team_id=PULSE_TEAM,
        wave="Q1 2026",
        actor="cli:test",
    )
    yield store
    store.close()


def test_the_demo_survey_suggests_a_theme_a_breakdown_the_trend_and_help(
    demo_store: Store,
) -> None:
    assert prompts_for(demo_store, TEAM) == (
        Prompt("What's the gap on necessity?", "What's the gap on necessity?"),
        Prompt("What's the gap by role?", "What's the gap by role?"),
        Prompt("How has the gap changed over time?", "How has the gap changed over time?"),
        Prompt("What can I ask?", "What can I ask?"),
    )


def test_a_single_wave_survey_suggests_its_own_themes_and_segment_and_no_trend(
    pulse_store: Store,
) -> None:
    titles = [prompt.title for prompt in prompts_for(pulse_store, PULSE_TEAM)]
    assert titles == [
        "What's the gap on listening?",
        "What's the gap on acts on feedback?",
        "What's the gap by department?",
        "What can I ask?",
    ]


def test_every_suggested_prompt_is_read_as_what_its_title_promises(
    demo_store: Store, pulse_store: Store
) -> None:
    for store, team in ((demo_store, TEAM), (pulse_store, PULSE_TEAM)):
        catalog = load_catalog(store, team)
        prompts = suggested_prompts(catalog)
        read = [interpret(store, team, p.message)[0] for p in prompts]
        themes = [Query("gap", theme=theme.name) for theme in catalog.themes]
        breakdown = Query("gap", by=catalog.segments[0].name)
        trend = [Query("gap", trend=True)] if len(catalog.waves) > 1 else []
        expected = [*themes[: 4 - 2 - len(trend)], breakdown, *trend, Query("help")]
        assert [q.canonical() for q in read] == [q.canonical() for q in expected]


def test_a_workspace_without_a_survey_is_told_how_to_import(store: Store) -> None:
    prompts = prompts_for(store, TEAM)
    assert [p.title for p in prompts] == ["How do I import a survey?", "What can I ask?"]
    assert action_of(prompts[0].message) == "import"
    assert interpret(store, TEAM, prompts[1].message)[0].command == "help"


def test_never_more_than_four_prompts_however_many_themes(demo_store: Store) -> None:
    catalog = load_catalog(demo_store, TEAM)
    assert len(catalog.themes) > 4
    assert len(suggested_prompts(catalog)) == 4


def test_the_status_counts_the_respondents_of_the_wave_asked_about(
    demo_store: Store, pulse_store: Store
) -> None:
    waves = {w.label: w.respondents for w in load_catalog(demo_store, TEAM).waves}
    assert respondents_to_count(demo_store, TEAM, "how are we doing?") == waves["2022"] == 197
    assert respondents_to_count(demo_store, TEAM, "gap by role in the pilot") == waves["2021-pilot"]
    assert (
        respondents_to_count(demo_store, TEAM, "and in the pilot?", "gap by role")
        == (waves["2021-pilot"])
    )
    assert respondents_to_count(demo_store, TEAM, "gap trend") == sum(waves.values())
    pulse = load_catalog(pulse_store, PULSE_TEAM).waves[-1].respondents
    assert respondents_to_count(pulse_store, PULSE_TEAM, "gap by office") == pulse


def test_nothing_is_counted_for_help_or_a_question_not_understood(demo_store: Store) -> None:
    assert respondents_to_count(demo_store, TEAM, "help") is None
    assert respondents_to_count(demo_store, TEAM, "is the London office open tomorrow?") is None
    assert respondents_to_count(demo_store, TEAM, "gap wave 1999") is None


def test_the_status_says_what_is_counted() -> None:
    assert working_status(197) == "Counting 197 responses…"
    assert working_status(1) == "Counting 1 response…"
    assert working_status(12500) == "Counting 12,500 responses…"
    assert working_status(None) == "Reading your question…"


def test_a_thread_is_titled_by_its_question_on_one_short_line() -> None:
    assert thread_title("  what's the gap\n for consultants?") == "what's the gap for consultants?"
    assert thread_title("how are   we doing?") == "how are we doing?"
    long = "how does the gap on necessity compare between " + "middle managers " * 10
    title = thread_title(long)
    assert len(title) <= 80 and title.endswith("…") and title.startswith("how does the gap")
    assert not title[:-1].endswith(" ")


def test_the_manifests_own_prompts_are_questions_the_bot_reads(demo_store: Store) -> None:
    """The assistant view's prompts in manifest.yml show before any survey is known: each
    is read as a question (not a miss) on the demo survey."""
    manifest = yaml.safe_load((Path(__file__).parent.parent / "manifest.yml").read_text())
    for prompt in manifest["features"]["assistant_view"]["suggested_prompts"]:
        query, _ = interpret(demo_store, TEAM, prompt["message"])
        assert query.command in ("overview", "gap", "help"), prompt

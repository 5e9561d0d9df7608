"""Natural language as people type it in Slack, read into the strict grammar: exclusions,
comparisons of named groups, rankings, time words, themes by their questions' wording,
counts, listings, refusals about individuals, and words that must never be skipped.

The broad measure is the corpus (tests/test_corpus.py); these pin each behaviour down."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TEAM

from insights import QueryError, RefusedError, Store, ask, top_misses
from insights.answers.catalog import load_catalog
from insights.answers.findings import Except, GapReport
from insights.answers.query import Vocabulary, action_of, is_follow_up, read
from insights.answers.reply import read_in_thread
from insights.ingest.codebook import load_codebook
from insights.ingest.demo import DEMO_DIR
from insights.ingest.demo_loader import load_demo
from insights.ingest.importer import import_file


@pytest.fixture(scope="module")
def vocab(demo_store: Store) -> Vocabulary:
    return Vocabulary.from_catalog(load_catalog(demo_store, TEAM))


def reads(text: str, vocab: Vocabulary) -> str:
    return read(text, vocab).query.canonical()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("everyone but consultants", "gap role!=Consultant"),
        ("gap without middle managers", 'gap seniority!="Middle manager"'),
        ("gap not counting europe", "gap region!=Europe"),
        ("non-consultants", "gap role!=Consultant"),
        ("excluding europe and north america", 'gap region!=Europe,"North America"'),
        ("necessity other than staff", "gap necessity seniority!=Staff"),
        ("excluding europe and consultants", "gap region!=Europe role!=Consultant"),
        ("in-house except senior leaders", 'gap role=In-house seniority!="Senior leader"'),
    ],
)
def test_exclusions(vocab: Vocabulary, text: str, expected: str) -> None:
    assert reads(text, vocab) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("middle managers versus staff", 'gap by seniority seniority="Middle manager",Staff'),
        ("contrast europe with asia-pacific", "gap by region region=Europe,Asia-Pacific"),
        ("compare consultants and in-house", "gap by role role=Consultant,In-house"),
        (
            "how do senior leaders compare with staff on necessity",
            'gap necessity by seniority seniority="Senior leader",Staff',
        ),
        ("how does europe compare", "gap by region"),
        ("europe vs everyone else", "gap by region"),
        ("are consultants more aligned than in-house", "gap by role role=Consultant,In-house"),
        ("europe and north america together", 'gap region=Europe,"North America"'),
    ],
)
def test_comparisons_of_named_groups(vocab: Vocabulary, text: str, expected: str) -> None:
    assert reads(text, vocab) == expected


def test_groups_of_different_segments_are_not_compared(vocab: Vocabulary) -> None:
    with pytest.raises(QueryError, match="different ones"):
        read("europe vs staff", vocab)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("where is the disconnect widest", "gap widest"),
        ("which region has the biggest gap", "gap by region widest"),
        ("top 3 regions", "gap by region widest top 3"),
        ("most aligned seniority", "gap by seniority narrowest"),
        ("which role is least aligned", "gap by role widest"),
        ("rank the regions", "gap by region widest"),
        ("what's our biggest gap", "gap"),
    ],
)
def test_rankings(vocab: Vocabulary, text: str, expected: str) -> None:
    assert reads(text, vocab) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("has it improved since the first wave", "gap vs 2021-pilot"),
        ("is the gap shrinking", "gap vs 2021-pilot"),
        ("gap in the pilot", "gap wave 2021-pilot"),
        ("what was the gap in 2021", "gap wave 2021-pilot"),
        ("necessity over time", "gap necessity trend"),
        ("gap in the latest wave", "gap wave 2022"),
        ("compared to last time", "gap vs 2021-pilot"),
        ("compare the pilot and 2022", "gap wave 2022 vs 2021-pilot"),
        ("compare 2022 with the pilot", "gap wave 2022 vs 2021-pilot"),
        ("how has business value changed", 'gap "business value" vs 2021-pilot'),
    ],
)
def test_time(vocab: Vocabulary, text: str, expected: str) -> None:
    assert reads(text, vocab) == expected


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("what fraction think their company tracks empathy", "measures empathy"),
        ("is empathy essential", "necessity"),
        ("how good are we at growing managers' empathy", "develops middle managers"),
        ("does leadership understand the value", "understands value"),
    ],
)
def test_themes_by_their_wording(vocab: Vocabulary, text: str, theme: str) -> None:
    reading = read(text, vocab)
    assert reading.query.theme == theme
    assert any("as the theme" in note for note in reading.notes)


def test_a_group_name_alone_is_a_group_not_a_theme(vocab: Vocabulary) -> None:
    """'staff' is a seniority; 'developing staff' is the theme "develops staff"."""
    assert reads("gap for staff", vocab) == "gap seniority=Staff"
    assert reads("how good are we at developing staff", vocab) == 'gap "develops staff"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how many answered", "count"),
        ("how many in europe", "count region=Europe"),
        ("how many consultants answered the pilot", "count role=Consultant wave 2021-pilot"),
        ("what can you do", "help"),
        ("which segments are there", "segments"),
        ("what themes do you have", "themes"),
        ("list waves", "waves"),
        ("how are we doing", "gap"),
    ],
)
def test_counts_and_meta(vocab: Vocabulary, text: str, expected: str) -> None:
    assert reads(text, vocab) == expected


@pytest.mark.parametrize(
    "text",
    [
        "who answered no",
        "list the respondents in europe",
        "show raw answers",
        "which people said their company doesn't measure empathy",
        "give me the names of the consultants",
    ],
)
def test_questions_about_individuals_are_refused(vocab: Vocabulary, text: str) -> None:
    with pytest.raises(QueryError, match="anonymous"):
        read(text, vocab)


@pytest.mark.parametrize("text", ["necessity not significant", "necessity except when it matters"])
def test_a_negation_that_cannot_be_placed_is_said_with_the_closest_reading(
    vocab: Vocabulary, text: str
) -> None:
    with pytest.raises(QueryError) as caught:
        read(text, vocab)
    assert "didn't understand" in caught.value.message
    assert caught.value.reading is not None


@pytest.mark.parametrize(
    ("text", "follow_up"),
    [
        ("and for europe?", True),
        ("what about consultants", True),
        ("now by region", True),
        ("same for last wave", True),
        ("as a chart", True),
        ("europe?", True),
        ("what's the gap for consultants by region", False),
        ("gap by role", False),
        ("how does the necessity gap look for senior leaders", False),
    ],
)
def test_follow_ups_are_recognised(text: str, follow_up: bool) -> None:
    assert is_follow_up(text) is follow_up


def test_a_thread_changes_only_what_a_follow_up_names(demo_store: Store) -> None:
    turns = [
        ("what's the gap on necessity for in-house", "gap necessity role=In-house"),
        ("and for consultants?", "gap necessity role=Consultant"),
        ("now by region", "gap necessity by region role=Consultant"),
        ("same for last wave", "gap necessity by region role=Consultant wave 2021-pilot"),
        ("and over time?", "gap necessity role=Consultant wave 2021-pilot trend"),
    ]
    previous = None
    for text, expected in turns:
        reading, _ = read_in_thread(demo_store, TEAM, text, previous)
        assert reading.query.canonical() == expected, text
        previous = reading.query.canonical()


@pytest.mark.parametrize(
    ("text", "action"),
    [("forget wave 2022", "forget"), ("audit", "audit"), ("Subscribe weekly", "subscribe")],
)
def test_actions_are_routed_not_answered(demo_store: Store, text: str, action: str) -> None:
    assert action_of(text) == action
    with pytest.raises(QueryError, match="not a question"):
        ask(demo_store, TEAM, text)


def test_everyone_but_a_group_counts_everyone_else(demo_store: Store) -> None:
    """The answer is for the group asked about: all but consultants, not consultants."""
    everyone = ask(demo_store, TEAM, "gap").finding
    consultants = ask(demo_store, TEAM, "gap for consultants").finding
    others = ask(demo_store, TEAM, "everyone but consultants").finding
    assert isinstance(everyone, GapReport) and isinstance(consultants, GapReport)
    assert isinstance(others, GapReport)
    assert others.context.respondents == everyone.context.respondents - (
        consultants.context.respondents
    )
    assert others.context.filters == (("role", Except(("Consultant",))),)
    assert "all but Consultant" in ask(demo_store, TEAM, "everyone but consultants").text


def test_an_excluded_value_merged_with_small_ones_excludes_them_all(demo_store: Store) -> None:
    """Latin America is reported with the other small regions: excluding it excludes them
    all (and says so) rather than counting anyone from it."""
    everyone = ask(demo_store, TEAM, "gap").finding
    merged = ask(demo_store, TEAM, "gap region=latin america").finding
    others = ask(demo_store, TEAM, "gap excluding latin america").finding
    assert isinstance(everyone, GapReport) and isinstance(merged, GapReport)
    assert isinstance(others, GapReport)
    assert others.context.respondents == everyone.context.respondents - (merged.context.respondents)
    assert "Other (small groups" in others.context.filter_text


def test_natural_answers_show_their_strict_reading(demo_store: Store) -> None:
    reply = ask(demo_store, TEAM, "gap by senority")
    assert "Read as `gap by seniority`" in reply.blocks[-1]["elements"][0]["text"]
    assert "senority" in reply.blocks[-1]["elements"][0]["text"]
    assert "Read as" not in ask(demo_store, TEAM, "gap by seniority").blocks[-1].get("text", "")


def test_questions_not_understood_are_logged_without_who_asked(store: Store) -> None:
    load_demo(store, TEAM, actor="cli:test")
    with pytest.raises(QueryError):
        ask(store, TEAM, "what's the wifi password in europe")
    ask(store, TEAM, "what about consultants, frobnicated")  # answered, a word read past
    with pytest.raises(RefusedError):
        ask(store, TEAM, "who answered no")  # refused by design: not a miss
    listing = top_misses(store, TEAM)
    said = {name: detail for name, detail in listing.items}
    assert "what's the wifi password in europe" in said
    assert "not understood" in said["what's the wifi password in europe"]
    assert "fallback" in said["what about consultants, frobnicated"]
    assert not any("who answered" in name for name in said)


def test_strict_text_reads_past_words_that_name_nothing_and_says_so(vocab: Vocabulary) -> None:
    reading = read("gap for consultant folks not in europe, the workers", vocab)
    assert reading.query.canonical() == "gap role=Consultant region!=Europe"
    assert "read past “workers”" in reading.notes
    assert reading.natural  # so the answer shows how it was read
    with pytest.raises(QueryError, match="I don't know 'foo'"):
        read("gap foo", vocab)  # nothing else understood: still an error


def test_a_survey_named_with_theme_words_is_the_survey(store: Store, tmp_path: Path) -> None:
    """`survey NAME` is that survey even when its name shares words with a theme's
    questions (it was taken for the theme, and the survey 'not found')."""
    load_demo(store, TEAM, actor="cli:test")
    codebook = (DEMO_DIR / "codebook.toml").read_text(encoding="utf-8")
    renamed = codebook.replace('name = "empathy-in-action"', 'name = "measures-empathy-pulse"')
    path = tmp_path / "codebook.toml"
    path.write_text(renamed, encoding="utf-8")
    import_file(
        store,
        DEMO_DIR / "wave_2022.csv",
        load_codebook(path),
        team_id=TEAM,
        wave="w",
        actor="cli:test",
    )
    reply = ask(store, TEAM, "gap survey measures-empathy-pulse")
    assert isinstance(reply.finding, GapReport)
    assert reply.finding.context.survey == "measures-empathy-pulse"

"""`gap vs benchmark`: the published study's figures, their file, and the team beside them."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError
from support import TEAM, TINY_CODEBOOK, Writer

from insights import Store
from insights.answers import ask, to_text
from insights.answers.benchmark import load_benchmark, parse_benchmark
from insights.answers.catalog import load_catalog
from insights.answers.findings import BenchmarkReport
from insights.answers.query import Vocabulary, parse
from insights.errors import CodebookError, NotFoundError, UserError
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file

# The press release's words, as printed: each figure the data file must hold.
RELEASE = {
    "necessity": ("all", {"personal": 0.91, "organization": 0.36}),  # "91% … only 36%"
    "business value": ("in-house", {"personal": 0.72, "organization": 0.30}),  # "72% … 30%"
    "measures empathy": ("in-house", {"organization": 0.35}),  # "65% … don't measure it"
}
APPROXIMATE = {  # words only: "just over half", "slightly better", "over a third … don't"
    "develops senior leaders",
    "develops middle managers",
    "develops staff",
    "understands value",
}


def test_the_data_file_holds_the_press_release_figures() -> None:
    study = load_benchmark()
    for key, (population, sides) in RELEASE.items():
        theme = study.theme(key)
        assert theme is not None and theme.population == population
        assert {side: share.share for side, share in theme.sides.items()} == sides
        assert all(share.exact for share in theme.sides.values())
    for key in APPROXIMATE:
        theme = study.theme(key)
        assert theme is not None and theme.population == "in-house"
        assert all(not s.exact and s.wording for s in theme.sides.values())
    assert study.populations["all"].base == 200  # "nearly 200"
    assert study.populations["in-house"].base_estimated  # the release gives no split
    assert "Empathy in Action" in study.source.title
    assert {"Alida", "Bodine & Co."} <= set(study.source.publishers)


def test_a_benchmark_file_with_an_approximate_figure_but_no_words_is_rejected() -> None:
    text = """
    [source]
    title = "T"
    publishers = ["P"]
    year = 2022
    document = "d"
    respondents = "r"
    [populations.all]
    label = "all"
    base = 200
    base_estimated = false
    base_note = "printed"
    [[themes]]
    key = "necessity"
    population = "all"
    source_text = "s"
    personal = { share = 0.5, exact = false }
    """
    with pytest.raises(ValidationError, match="wording"):
        parse_benchmark(text)
    with pytest.raises(ValidationError, match="unknown populations"):
        parse_benchmark(
            text.replace('population = "all"', 'population = "ceos"').replace("false }", "true }")
        )


def _z(team: int, n: int, study_share: float, base: int) -> float:
    """The pooled two-proportion z statistic, written out by hand."""
    published = round(study_share * base)
    pooled = (team + published) / (n + base)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / base))
    return (team / n - published / base) / se


def test_the_demo_against_the_study_end_to_end(demo_store: Store) -> None:
    reply = ask(demo_store, TEAM, "gap vs benchmark")
    report = reply.finding
    assert isinstance(report, BenchmarkReport)
    assert reply.query == "gap vs benchmark"
    necessity = next(t for t in report.themes if t.study_theme == "necessity")
    personal = necessity.figures[0]
    assert personal.team is not None and (personal.team.positive, personal.team.n) == (179, 197)
    assert personal.test is not None
    # z = (179/197 - 182/200) / sqrt(p(1-p)(1/197 + 1/200)), p = 361/397
    assert personal.test.statistic == pytest.approx(-0.047548415701342, abs=1e-12)
    assert personal.test.statistic == pytest.approx(_z(179, 197, 0.91, 200), abs=1e-12)
    assert personal.test.p_value == pytest.approx(math.erfc(0.047548415701342 / math.sqrt(2)))
    assert report.tested == 5  # necessity ×2, business value ×2, measures empathy
    assert {f.adjustment.tests for t in report.themes for f in t.figures if f.adjustment} == {5}
    text = to_text(report)
    assert "Holm-adjusted across the 5 figures tested" in text
    assert "is an estimate" in text and "100 (about half) is assumed" in text
    assert "just over half (the study's words; not tested)" in text
    assert "The study's figures are about in-house CX practitioners" in text  # no filter
    assert "Source: “Empathy in Action" in text


def test_in_house_filter_matches_the_in_house_figures(demo_store: Store) -> None:
    report = ask(demo_store, TEAM, "gap vs benchmark role=In-house").finding
    assert isinstance(report, BenchmarkReport)
    matches = {t.study_theme: t.matches for t in report.themes}
    assert matches["business value"] and matches["measures empathy"]
    assert not matches["necessity"]  # about everyone; warned
    assert report.context.filters == (("role", ("In-house",)),)


def test_the_population_warning_says_whom_the_team_figures_are_about(demo_store: Store) -> None:
    """Unfiltered, the team's figures are about whoever answered (the demo's in-house
    questions were answered by in-house people only): the warning says so rather than
    calling them "all respondents"; filtered, it names the filter."""
    plain = ask(demo_store, TEAM, "gap vs benchmark").text
    assert (
        "⚠ The study's figures are about in-house CX practitioners; the team's here are about"
        " everyone who answered, not only them: filter to the same people to compare like"
        " with like." in plain
    )
    assert "the team's here are about all respondents" not in plain
    filtered = ask(demo_store, TEAM, "gap vs benchmark role=In-house").text
    assert "the team's here are about role = In-house." in filtered


def test_a_group_below_the_minimum_shows_nothing(demo_store: Store) -> None:
    # The in-house group (150) and the whole wave (197) are below a minimum of 198.
    with pytest.raises(UserError) as refused:
        ask(demo_store, TEAM, "gap vs benchmark role=In-house", min_group_size=198)
    assert "%" not in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "gap vs benchmark",
        "how do we compare with the study?",
        "how are we doing vs the benchmark",
        "compared to the industry",
        "how do we stack up against the published study",
    ],
)
def test_phrasings_read_as_the_benchmark(demo_store: Store, text: str) -> None:
    vocab = Vocabulary.from_catalog(load_catalog(demo_store, TEAM))
    query = parse(text, vocab)
    assert query.benchmark and query.canonical() == "gap vs benchmark"


def test_in_house_phrasing_and_a_follow_up(demo_store: Store) -> None:
    vocab = Vocabulary.from_catalog(load_catalog(demo_store, TEAM))
    assert parse("in-house vs the benchmark", vocab).canonical() == (
        "gap role=In-house vs benchmark"
    )
    reply = ask(demo_store, TEAM, "and by region?", previous="gap vs benchmark")
    assert reply.query == "gap by region"  # a breakdown is a view of its own


def test_a_breakdown_against_the_study_is_refused_with_a_hint(demo_store: Store) -> None:
    with pytest.raises(UserError, match="Filter instead"):
        ask(demo_store, TEAM, "gap by role vs benchmark")


def test_the_overview_names_the_study_in_one_line(demo_store: Store) -> None:
    text = to_text(ask(demo_store, TEAM, "gap").finding)  # type: ignore[arg-type]
    lines = [line for line in text.splitlines() if "Study benchmark" in line]
    assert lines == ["Study benchmark: 91% / 36% on necessity — ask `gap vs benchmark`."]
    filtered = to_text(ask(demo_store, TEAM, "gap role=In-house").finding)  # type: ignore[arg-type]
    assert "Study benchmark" not in filtered


SECOND = (
    TINY_CODEBOOK.replace('theme = "care"', 'theme = "Necessity"')
    .replace('theme = "measures"', 'theme = "Measures  Empathy"')
    .replace('name = "tiny"', 'name = "pulse"')
)


def test_a_second_survey_maps_by_theme_name(store: Store, write_csv: Writer) -> None:
    # 20 people: all agree personally, none says the organization does; 4 say it measures.
    rows = [
        [i, "A" if i % 2 else "B", "X", "Agree", "Disagree", "Yes" if i < 4 else "No"]
        for i in range(20)
    ]
    path = write_csv(rows)
    import_file(store, path, parse_codebook(SECOND), team_id=TEAM, wave="w1", actor="cli:test")
    report = ask(store, TEAM, "gap vs benchmark").finding
    assert isinstance(report, BenchmarkReport)
    assert [t.study_theme for t in report.themes] == ["necessity", "measures empathy"]
    organization = report.themes[0].figures[1]
    assert organization.team is not None and organization.team.share == 0
    assert organization.significant  # 0 of 20 against 72 of 200, Holm across 3
    assert organization.adjustment is not None and organization.adjustment.tests == 3
    measures = report.themes[1].figures[0]
    assert measures.side == "organization" and measures.team is not None
    assert (measures.team.positive, measures.team.n) == (4, 20)


NAMED = TINY_CODEBOOK.replace(
    'theme = "care"\nperspective = "personal"',
    'theme = "care"\nperspective = "personal"\nbenchmark = "Necessity"',
).replace('theme = "measures"', 'theme = "measures"\nbenchmark = "measures-empathy"')


def test_a_codebook_names_the_study_theme_its_own_theme_is_compared_with(
    store: Store, write_csv: Writer
) -> None:
    """Themes called "care" and "measures" match no study theme by name; the codebook's
    ``benchmark`` (one side of a pair is enough; case and hyphens aside) maps them."""
    rows = [
        [i, "A" if i % 2 else "B", "X", "Agree", "Disagree", "Yes" if i < 4 else "No"]
        for i in range(20)
    ]
    path = write_csv(rows)
    import_file(store, path, parse_codebook(TINY_CODEBOOK), team_id=TEAM, wave="w1", actor="t")
    with pytest.raises(NotFoundError, match="matches the published study"):
        ask(store, TEAM, "gap vs benchmark")
    import_file(store, path, parse_codebook(NAMED), team_id=TEAM, wave="w2", actor="t")
    report = ask(store, TEAM, "gap vs benchmark").finding
    assert isinstance(report, BenchmarkReport)
    assert [(t.result.theme, t.study_theme) for t in report.themes] == [
        ("care", "necessity"),
        ("measures", "measures empathy"),
    ]
    assert "Study benchmark: 91% / 36% on care" in to_text(ask(store, TEAM, "gap").finding)  # type: ignore[arg-type]


def test_a_codebook_naming_no_study_theme_is_refused() -> None:
    with pytest.raises(CodebookError, match="'empathy', which is not a theme of the study"):
        parse_codebook(NAMED.replace('benchmark = "Necessity"', 'benchmark = "empathy"'))


def test_a_theme_naming_two_study_themes_is_refused() -> None:
    both = NAMED.replace(
        'perspective = "organization"', 'perspective = "organization"\nbenchmark = "business value"'
    )
    with pytest.raises(CodebookError, match="theme 'care' names two study themes"):
        parse_codebook(both)


def test_a_codebook_without_benchmarks_still_reads_as_before() -> None:
    assert all(q.benchmark is None for q in parse_codebook(TINY_CODEBOOK).questions)

"""Every answer about figures starts with one sentence that answers it, with its numbers:
the same numbers, rounded the same way, and the same (adjusted) verdicts as the detail
under it; bases under 30 called directional; hidden groups said to be hidden, never
ranked. Expected sentences are written out for hand-made surveys whose answers are known
one by one; properties check, on random surveys and on the demo, that every number a
sentence states is the report's and appears in the answer's detail."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hostile_survey import import_hostile
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from support import (
    TEAM,
    TINY_CODEBOOK,
    WAVE_1,
    WAVE_2,
    Importer,
    assert_valid_blocks,
    markup_from_data,
    rows_csv,
)
from test_rankings import TEAMS, engine

from insights import Store
from insights.answers.findings import BreakdownReport, Except, Finding, GapReport
from insights.answers.headline import headline
from insights.answers.render import to_blocks, to_text
from insights.answers.stats import (
    PairedTable,
    format_p,
    holm,
    independent_difference,
    interval_test,
    paired_difference,
    two_proportion_test,
)
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file
from insights.safe_text import escape_mrkdwn

MIN = 5

FIRST, SECOND = WAVE_1, WAVE_2  # see tests/support.py for their hand-computed figures
RANKED = "By team, the gap on care is widest for A: 75 points (n = 40), significantly wider"


def sentence(finding: Finding) -> str:
    said = headline(finding)
    assert said is not None
    return said


# -- gap -----------------------------------------------------------------------------------


def test_the_overview_leads_with_the_widest_gap(demo_store: Store) -> None:
    found, catalog = engine(demo_store)
    report = replace(found.gap(catalog.wave(None)), overview=True)
    assert sentence(report) == (
        "The gap is widest on necessity: 91% personally vs 36% for their organization,"
        " 55 points (n = 197), significant (adjusted p < 0.001)."
    )


def test_one_theme_says_its_gap_and_its_verdict(store: Store, import_rows: Importer) -> None:
    import_rows(FIRST)
    found, catalog = engine(store)
    report = found.gap(catalog.wave(None), theme="care")
    said = sentence(report)
    assert said == (
        "The gap on care is 58 points: 92% personally vs 33% for their organization"
        " (n = 12, directional), significant (p = 0.021)."
    )
    detail = to_text(report)
    assert "Personal: 92%†" in detail and "Organization: 33%†" in detail
    assert "Gap: 58 points" in detail and "p = 0.021" in detail


def test_a_single_question_says_its_share(store: Store, import_rows: Importer) -> None:
    import_rows(FIRST)
    found, catalog = engine(store)
    report = found.gap(catalog.wave(None), theme="measures")
    assert sentence(report) == "On measures, 50% answered Yes (n = 12, directional)."


def test_a_count_says_how_many_answered(store: Store, import_rows: Importer) -> None:
    import_rows([row for row in TEAMS if row[1] != "E"])  # A, B and C: 40 each
    found, catalog = engine(store)
    wave, team = catalog.wave(None), catalog.segment("team")
    everyone = replace(found.gap(wave), count=True)
    assert sentence(everyone) == "120 people answered wave w1."
    but_c = replace(found.gap(wave, ((team, Except(("C",))),)), count=True)
    assert sentence(but_c) == "80 people answered wave w1 (team = all but C)."
    detail = to_text(but_c)
    assert detail.startswith("How many answered\n=================\n80 people answered")
    assert "team = all but C · n = 80" in detail
    assert "Care: 80 answered both questions" in detail and "Measures: 80 answered" in detail


# -- change and trend ----------------------------------------------------------------------


def test_a_change_says_what_moved_by_how_much_and_whether_it_is_significant(
    store: Store, import_rows: Importer
) -> None:
    import_rows(FIRST, wave="w1")
    import_rows(SECOND, wave="w2")
    found, catalog = engine(store)
    report = found.change(catalog.wave("w2"), catalog.wave("w1"))
    # The gap moved from 58.3 to 40 points (independent waves: MOVER interval, test read
    # from it); Yes went from 6 of 12 to 15 of 20 (Fisher's exact). Holm across the two.
    care = interval_test(
        independent_difference(
            paired_difference(PairedTable(3, 8, 1, 0)), paired_difference(PairedTable(4, 10, 2, 4))
        ),
        "difference of paired gaps",
    )
    measures = two_proportion_test(
        *(c.single.share for c in (report.changes[1].before, report.changes[1].after))  # type: ignore[union-attr]
    )
    adjusted = holm([care.p_value, measures.p_value])[0]
    assert adjusted > 0.05
    assert sentence(report) == (
        "Since w1, the gap on care narrowed from 58 to 40 points (-18 pts; n = 12, then 20,"
        f" directional), not significant (adjusted {format_p(adjusted)})."
    )
    detail = to_text(report)
    assert "Gap now: 40 points · in w1: 58 points" in detail and "Change: -18 pts" in detail


def test_a_trend_says_how_the_headline_gap_moved_and_claims_no_test(
    store: Store, import_rows: Importer
) -> None:
    import_rows(FIRST, wave="w1")
    import_rows(SECOND, wave="w2")
    found, _ = engine(store)
    assert sentence(found.trend()) == (
        "From w1 to w2, the gap on care narrowed from 58 to 40 points (n = 12, then 20,"
        " directional); the trend itself is not tested."
    )


# -- breakdowns and rankings ---------------------------------------------------------------


def test_a_ranking_says_whether_the_leader_is_significantly_ahead(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    wave, team = catalog.wave(None), catalog.segment("team")
    # A's gap minus B's: p = 0.021, Holm-adjusted across the breakdown's 6 tests (it is
    # the fifth smallest): 2 × 0.021 = 0.043 (see test_rankings).
    widest = found.breakdown(wave, team, theme="care", rank="widest")
    assert sentence(widest) == (
        f"{RANKED} than for B (50 points, adjusted p = 0.043); 2 groups are hidden for"
        " privacy and not ranked."
    )
    narrowest = found.breakdown(wave, team, theme="care", rank="narrowest")
    assert sentence(narrowest) == (
        "By team, the gap on care is narrowest for B: 50 points (n = 40), significantly"
        " narrower than for A (75 points, adjusted p = 0.043); 2 groups are hidden for"
        " privacy and not ranked."
    )
    detail = to_text(widest)
    assert "1. A (n = 40): 100% vs 25% → gap 75 pts" in detail
    assert "2. B (n = 40): 50% vs 0% → gap 50 pts" in detail
    assert "Holm-adjusted across 6 tests, p = 0.043)" in detail
    assert "Hidden for privacy, not ranked: C, E." in detail


def test_a_leader_not_clearly_ahead_is_said_to_be_so(demo_store: Store) -> None:
    found, catalog = engine(demo_store)
    report = found.breakdown(catalog.wave(None), catalog.segment("seniority"), rank="widest")
    assert report.ranking is not None and report.ranking.difference is not None
    assert not report.ranking.difference.significant
    assert sentence(report) == (
        "By seniority, the gap on necessity is widest for Staff: 57 points (n = 61), but not"
        " significantly wider than for Senior leader (57 points, adjusted p = 1.000)."
    )


def test_two_named_groups_are_compared_with_each_other(store: Store, import_rows: Importer) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    team = catalog.segment("team")
    report = found.breakdown(catalog.wave(None), team, ((team, ("A", "B")),), "care")
    assert [g.label for g in report.groups] == ["A", "B"]
    # Each group's "versus the rest" is exactly A against B: p = 0.021 twice among the 5
    # tests (overall, A, B, A vs B, B vs A); Holm: 2 × 0.021.
    assert sentence(report) == (
        "The gap on care is 25 points wider for A than for B (75 vs 50 points; n = 40 and"
        " 40) — a significant difference (adjusted p = 0.043)."
    )
    assert "25 pts above the other groups, a significant difference" in to_text(report)


def test_a_breakdown_compares_its_widest_group_with_the_rest(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    report = found.breakdown(catalog.wave(None), catalog.segment("team"), theme="care")
    versus = report.groups[0].versus_rest[0]
    assert report.groups[0].label == "A" and versus is not None and versus.adjustment
    said = sentence(report)
    assert said == (
        "By team, the gap on care is widest for A: 75 points (n = 40), 35 points wider than"
        f" the other groups together, a significant difference (adjusted"
        f" {format_p(versus.adjustment.p_value)}); 2 groups are hidden for privacy."
    )
    assert "35 pts above the other groups, a significant difference" in to_text(report)


def test_gap_widest_leads_with_the_widest_group_of_every_segment(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    report = found.widest(catalog.wave(None))
    # Two tests now (one per segment): team's 0.021 is the smaller, so 2 × 0.021 again.
    assert sentence(report) == (
        "Across segments, the gap on care is widest for team = A: 75 points (n = 40),"
        " significantly wider than for team = B (50 points, adjusted p = 0.043); 2 groups"
        " are hidden for privacy and not ranked."
    )
    detail = to_text(report)
    assert "Where the gap is widest: care" in detail
    assert "Holm-adjusted across 2 tests, p = 0.043" in detail


# -- where the sentence goes ---------------------------------------------------------------


def test_the_sentence_comes_first_under_the_title(store: Store, import_rows: Importer) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    report = found.breakdown(catalog.wave(None), catalog.segment("team"), rank="widest")
    blocks = to_blocks(report)
    assert blocks[0]["type"] == "header"
    assert blocks[1] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": escape_mrkdwn(sentence(report))},
    }
    lines = to_text(report).split("\n")
    assert lines[2] == sentence(report)


def test_ranked_answers_are_valid_block_kit_and_names_are_not_markup(tmp_path: Path) -> None:
    store = Store.open(":memory:")
    import_hostile(store, TEAM, tmp_path)
    found, catalog = engine(store)
    wave = catalog.waves[-1]
    findings: list[Finding] = [found.widest(wave), found.widest(wave, rank="narrowest")]
    findings += [found.breakdown(wave, s, rank="widest") for s in catalog.segments]
    for finding in findings:
        blocks = to_blocks(finding)
        assert_valid_blocks(blocks, max_blocks=50)
        assert not markup_from_data({"blocks": blocks}, re.compile("(?!)"))
    store.close()


# -- properties ----------------------------------------------------------------------------

RANKING = re.compile(
    r"By team, the gap on care is (?P<order>widest|narrowest) for (?P<leader>.+?):"
    r" (?P<gap>-?\d+) points? \(n = (?P<n>\d+)(?P<directional>, directional)?\),"
    r" (?P<verdict>significantly|but not significantly) (?:wider|narrower) than for"
    r" (?P<runner>.+?) \((?P<runner_gap>-?\d+) points?, (?P<p>(?:adjusted )?p [=<] [\d.]+)\)"
    r"(?:; (?P<hidden>\d+) groups? (?:is|are) hidden for privacy and not ranked)?\.",
)

# A team's paired table (both, personally only, organization only, neither); a team of
# nobody is simply absent.
tables = st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.integers(0, 12))


def _rows(team: str, table: tuple[int, int, int, int]) -> list[list[str]]:
    both, personal_only, organization_only, neither = table
    answers = (
        [("Agree", "Agree")] * both
        + [("Agree", "Disagree")] * personal_only
        + [("Disagree", "Agree")] * organization_only
        + [("Disagree", "Disagree")] * neither
    )
    return [[f"{team}{i}", team, "s1", p, o, "Yes"] for i, (p, o) in enumerate(answers)]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    teams=st.lists(tables, min_size=2, max_size=4),
    order=st.sampled_from(["widest", "narrowest"]),
)
def test_a_rankings_sentence_states_the_reports_numbers(
    tmp_path: Path, teams: list[tuple[int, int, int, int]], order: str
) -> None:
    rows = [row for i, table in enumerate(teams) for row in _rows(f"T{i}", table)]
    assume(rows)
    store = Store.open(":memory:")
    path = tmp_path / "w1.csv"
    path.write_text(rows_csv(rows), encoding="utf-8")
    import_file(
        store, path, parse_codebook(TINY_CODEBOOK), team_id=TEAM, wave="w1", actor="cli:test"
    )
    found, catalog = engine(store)
    try:
        report = found.breakdown(
            catalog.wave(None),
            catalog.segment("team"),
            theme="care",
            rank=order,  # type: ignore[arg-type]
        )
    except Exception as error:  # too few respondents overall: refused, nothing to say
        assert type(error).__name__ in ("SuppressedError", "NotFoundError")
        event("refused")
        return
    finally:
        store.close()
    ranking = report.ranking
    assert ranking is not None
    said = sentence(report)
    match = RANKING.fullmatch(said)
    if ranking.runner_up is None or ranking.difference is None:
        assert match is None
        event("fewer than two groups ranked")
        return
    event("a leader and a runner-up")
    assert match is not None, said
    leader, runner = ranking.leader_result, ranking.runner_up_result
    assert leader is not None and runner is not None and leader.gap is not None
    difference = ranking.difference
    assert match["order"] == order
    assert match["leader"] == ranking.leader.label if ranking.leader else False
    assert match["runner"] == ranking.runner_up.label
    assert int(match["gap"]) == round_half_away(leader.gap)
    assert int(match["runner_gap"]) == round_half_away(runner.gap or 0.0)
    assert int(match["n"]) == leader.paired_n
    assert bool(match["directional"]) == (leader.paired_n < 30)
    assert (match["verdict"] == "significantly") == difference.significant
    adjusted = difference.adjustment
    expected_p = format_p(adjusted.p_value if adjusted else difference.test.p_value)
    assert match["p"].endswith(expected_p)
    assert int(match["hidden"] or 0) == len(ranking.hidden)
    # The detail states the same figures and the same verdict.
    detail = to_text(report)
    assert f"1. {ranking.leader.label} (n = " in detail  # type: ignore[union-attr]
    assert f"→ gap {match['gap']} pts" in detail
    assert expected_p in detail
    verdict_line = next(line for line in detail.split("\n") if ", the next:" in line)
    assert ("— significant:" in verdict_line) == difference.significant


def round_half_away(value: float) -> int:
    """Halves away from zero, written independently of insights.answers.stats.whole."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + 0.5 + 1e-9)


NUMBERS = re.compile(r"(-?\d+) points?|(\d+)%|n = (\d+)|p [=<] ([\d.]+)")


def _stated(sentence: str) -> list[str]:
    """How the detail would show each number the sentence states."""
    shown = []
    for points, share, base, p_value in NUMBERS.findall(sentence):
        if points:
            shown.append(f"{points} p")  # '57 pts', '57 points'
        elif share:
            shown.append(f"{share}%")
        elif base:
            shown.append(base)
        else:
            shown.append(p_value)
    return shown


def test_on_the_demo_every_number_of_every_sentence_is_in_its_answer(demo_store: Store) -> None:
    found, catalog = engine(demo_store)
    wave, previous = catalog.wave(None), catalog.wave("2021-pilot")
    findings: list[Finding] = [found.gap(wave), found.change(wave, previous), found.trend()]
    for theme in [None, *(t.name for t in catalog.themes)]:
        findings.append(found.gap(wave, theme=theme))
        for segment in catalog.segments:
            findings.append(found.breakdown(wave, segment, theme=theme))
            for order in ("widest", "narrowest"):
                findings.append(found.breakdown(wave, segment, theme=theme, rank=order))  # type: ignore[arg-type]
        findings.append(found.widest(wave, theme=theme))
    for finding in findings:
        said = sentence(finding)
        detail = to_text(finding).split("\n", 3)[3]  # the answer below its sentence
        for shown in _stated(said):
            assert shown in detail, (said, shown)
        if isinstance(finding, BreakdownReport | GapReport):
            assert ("directional" in said) <= ("†" in detail), said

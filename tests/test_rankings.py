"""Rankings: a breakdown's groups in order of their gap, the leader tested against the
runner-up (two disjoint groups: independent samples), that test adjusted with the
answer's others; groups privacy hides named, never ranked; ``gap widest`` ranks every
segment and adjusts the rankings' tests across them. Hand-made data on the tiny survey
(segments ``team`` and ``site``; the paired theme ``care``, the yes/no ``measures``)."""

from __future__ import annotations

import pytest
from support import TEAM, Importer

from insights import Store
from insights.answers.catalog import Catalog, load_catalog
from insights.answers.charts import chart_for
from insights.answers.engine import RANK_TEST, Engine
from insights.answers.findings import BreakdownReport, Except
from insights.answers.stats import (
    PairedTable,
    holm,
    independent_difference,
    interval_test,
    paired_difference,
)
from insights.store.columns import counts_for

MIN = 5


def people(team: str, count: int, personal: str, organization: str, start: int = 0) -> list:
    """``count`` members of ``team`` answering care so; sites alternate, a third say No."""
    return [
        [
            f"{team}{start + i}",
            team,
            f"s{(start + i) % 2 + 1}",
            personal,
            organization,
            "No" if i % 3 == 0 else "Yes",
        ]
        for i in range(count)
    ]


# A: 40 answer both, 30 agree personally only, 10 on both sides: gap 75 points.
# B: 40, 20 personally only, 20 on neither: gap 50. C: 40, 10 personally only: gap 25.
# E: 6 people, 3 of whom answered both: too few, so E is hidden, and so, beside the
# other answers, is C (its figures and the total's would show E's).
A_TABLE = PairedTable(10, 30, 0, 0)
B_TABLE = PairedTable(0, 20, 0, 20)
TEAMS = (
    people("A", 30, "Agree", "Disagree")
    + people("A", 10, "Agree", "Agree", 30)
    + people("B", 20, "Agree", "Disagree")
    + people("B", 20, "Disagree", "Disagree", 20)
    + people("C", 10, "Agree", "Disagree")
    + people("C", 30, "Disagree", "Disagree", 10)
    + people("E", 3, "Agree", "Disagree")
    + people("E", 3, "Agree", "", 3)
)


def engine(store: Store) -> tuple[Engine, Catalog]:
    catalog = load_catalog(store, TEAM, None)
    return Engine(counts_for(store), catalog, MIN), catalog


def ranked(store: Store, **kwargs: object) -> BreakdownReport:
    found, catalog = engine(store)
    return found.breakdown(catalog.wave(None), catalog.segment("team"), **kwargs)  # type: ignore[arg-type]


def test_groups_are_ordered_by_their_gap_and_hidden_ones_are_named_not_ranked(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    report = ranked(store, theme="care", rank="widest")
    ranking = report.ranking
    assert ranking is not None
    assert (ranking.theme, ranking.order, ranking.chosen) == ("care", "widest", False)
    assert ranking.ranked == ("A", "B")
    assert ranking.hidden == ("C", "E")
    assert ranking.groups == 4
    assert [g.label for g in report.groups] == ["A", "B", "C", "E"]
    assert ranking.leader is not None and ranking.leader.label == "A"
    assert ranking.runner_up is not None and ranking.runner_up.label == "B"
    narrowest = ranked(store, theme="care", rank="narrowest").ranking
    assert narrowest is not None and narrowest.ranked == ("B", "A")


def test_the_leader_is_tested_against_the_runner_up_among_the_answers_tests(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    report = ranked(store, theme="care", rank="widest")
    assert report.ranking is not None
    difference = report.ranking.difference
    assert difference is not None
    # A's gap minus B's: independent samples, so the MOVER interval of their two paired
    # intervals, and the test read from it.
    expected = independent_difference(paired_difference(B_TABLE), paired_difference(A_TABLE))
    assert difference.interval == expected
    assert difference.points == pytest.approx(25.0)
    assert difference.test == interval_test(expected, RANK_TEST)
    # Holm across the overall test, A's and B's tests and their comparisons with the rest,
    # and the ranking's (C and E are hidden: no tests).
    raw = [report.total[0].test]
    for group in report.groups:
        raw += [r.test for r in group.themes] + [c.test if c else None for c in group.versus_rest]
    p_values = [t.p_value for t in [*raw, difference.test] if t is not None]
    assert len(p_values) == 6
    assert difference.adjustment is not None
    assert difference.adjustment.p_value == holm(p_values)[-1]
    assert difference.adjustment.tests == 6
    assert any("This answer makes 6 tests" in note for note in report.notes)


def test_top_keeps_the_first_ranked_groups_and_counts_every_test(
    store: Store, import_rows: Importer
) -> None:
    shown = [row for row in TEAMS if row[1] != "E"]  # nobody hidden
    import_rows(shown + people("D", 40, "Agree", "Neutral"))  # D: gap 100
    full = ranked(store, theme="care", rank="widest")
    top = ranked(store, theme="care", top=2)  # top alone ranks widest first
    assert top.ranking is not None and full.ranking is not None
    assert [g.label for g in top.groups] == ["D", "A"]
    assert top.ranking.ranked == full.ranking.ranked == ("D", "A", "B", "C")
    assert top.ranking.groups == 4 and top.ranking.top == 2
    assert top.ranking.difference == full.ranking.difference  # same family, same Holm
    assert top.ranking.difference is not None and top.ranking.difference.adjustment
    assert top.ranking.difference.adjustment.tests == 10  # overall, 4 × (gap, vs rest), rank
    assert any("Only the first 2 of the 4 ranked groups" in note for note in top.notes)


def test_without_a_theme_the_ranking_is_on_the_widest_gap_overall(demo_store: Store) -> None:
    found, catalog = engine(demo_store)
    wave, seniority = catalog.wave(None), catalog.segment("seniority")
    overall = found.gap(wave)
    widest = max((r for r in overall.themes if r.gap is not None), key=lambda r: r.gap or 0.0)
    chosen = found.breakdown(wave, seniority, rank="narrowest").ranking
    assert chosen is not None and chosen.chosen and chosen.theme == widest.theme
    asked = found.breakdown(wave, seniority, theme="business value", rank="widest").ranking
    assert asked is not None and not asked.chosen and asked.theme == "business value"
    # The ranked groups are in order of that theme's gap.
    report = found.breakdown(wave, seniority, rank="widest")
    assert report.ranking is not None
    gaps = [g.themes[report.ranking.theme_index].gap for g in report.groups]
    assert gaps == sorted(gaps, reverse=True)


def test_a_single_question_is_ranked_by_its_share(store: Store, import_rows: Importer) -> None:
    import_rows(TEAMS)
    report = ranked(store, theme="measures", rank="widest")
    ranking = report.ranking
    assert ranking is not None and ranking.difference is not None
    shares = [
        g.themes[0].single.share.share  # type: ignore[union-attr]
        for g in report.groups
        if g.label in ranking.ranked
    ]
    assert shares == sorted(shares, reverse=True)
    # Two shares of independent groups: Fisher's exact test or the z-test.
    assert ranking.difference.test.method in ("Fisher's exact", "z-test")


def test_groups_that_were_not_asked_are_not_ranked(store: Store, import_rows: Importer) -> None:
    # F answered none of the care questions: it is shown (measures), not ranked.
    import_rows(TEAMS + [[f"F{i}", "F", "s1", "", "", "Yes"] for i in range(8)])
    ranking = ranked(store, theme="care", rank="widest").ranking
    assert ranking is not None
    assert "F" in ranking.unranked and "F" not in ranking.ranked + ranking.hidden


def test_an_exclusion_ranks_everyone_else(store: Store, import_rows: Importer) -> None:
    import_rows(TEAMS + people("D", 40, "Agree", "Neutral"))
    found, catalog = engine(store)
    team = catalog.segment("team")
    report = found.breakdown(
        catalog.wave(None), team, ((team, Except(("D",))),), "care", rank="widest"
    )
    assert report.ranking is not None
    assert "D" not in report.ranking.ranked + report.ranking.hidden + report.ranking.unranked


def test_gap_widest_ranks_every_segment_and_adjusts_across_them(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    report = found.widest(catalog.wave(None))
    assert [b.segment for b in report.breakdowns] == ["team", "site"]
    rankings = dict(report.rankings)
    assert rankings["team"].ranked == ("A", "B")
    assert set(rankings["site"].ranked) == {"s1", "s2"}
    assert report.leader == 0  # A's 75 points lead every segment's leader
    differences = [rankings[s].difference for s in ("team", "site")]
    assert all(d is not None for d in differences)
    raw = [d.test.p_value for d in differences if d is not None]
    adjusted = [d.adjustment.p_value for d in differences if d and d.adjustment]
    assert adjusted == holm(raw)
    assert all(d.adjustment.tests == 2 for d in differences if d and d.adjustment)
    narrowest = found.widest(catalog.wave(None), rank="narrowest")
    assert narrowest.leader is not None
    # B's 50 points are narrower than either site's gap (about 51 points).
    assert narrowest.breakdowns[narrowest.leader].segment == "team"


def test_a_ranked_answer_is_charted_on_its_ranked_theme_in_rank_order(
    store: Store, import_rows: Importer
) -> None:
    import_rows(TEAMS)
    found, catalog = engine(store)
    chart = chart_for(found.widest(catalog.wave(None)))
    assert chart.title.startswith("Empathy gap by team: care")
    # The rows follow the ranking: A (75 points) before B (50 points).
    assert chart.alt_text.index("A (n = 40)") < chart.alt_text.index("B (n = 40)")
    narrowest = chart_for(ranked(store, theme="care", rank="narrowest"))
    assert narrowest.alt_text.index("B (n = 40)") < narrowest.alt_text.index("A (n = 40)")

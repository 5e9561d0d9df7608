"""Issue 14's reproductions: a verdict can't contradict its number, small samples get exact
tests, many tests at once are adjusted and say so, and rounding is explained. Hand-made
data on the tiny survey; the arithmetic is in the comments."""

from __future__ import annotations

import pytest
from support import TEAM, Importer

from insights import Store, ask
from insights.answers.findings import BreakdownReport, ChangeReport, GapReport
from insights.answers.reply import answer_query, interpret
from insights.answers.stats import holm

MIN = 5


def rows(prefix: str, count: int, p: str, o: str, m: str = "", team: str = "A") -> list[list[str]]:
    return [[f"{prefix}{i}", team, "s1", p, o, m] for i in range(count)]


def finding(store: Store, text: str) -> object:
    query, catalog = interpret(store, TEAM, text)
    return answer_query(store, catalog, query, min_group_size=MIN)


def test_the_gap_and_its_test_use_the_same_people(store: Store, import_rows: Importer) -> None:
    # 30 answer both: 10 agree on both, 10 on the organization side only, 10 on neither.
    # 70 answer only the personal question (all agree), 70 only the organization one (all
    # disagree). Own bases would print a gap of +60 beside McNemar's "organization higher".
    import_rows(
        rows("a", 10, "Agree", "Agree")
        + rows("c", 10, "Disagree", "Agree")
        + rows("d", 10, "Disagree", "Disagree")
        + rows("p", 70, "Agree", "")
        + rows("o", 70, "", "Disagree")
    )
    report = finding(store, "gap care")
    assert isinstance(report, GapReport)
    [care] = report.themes
    # Among the 30: personal 10/30, organization 20/30: gap −33 points, and McNemar says
    # the organization side is higher (b = 0, c = 10): the same direction.
    assert care.paired_n == 30 and care.gap is not None and round(care.gap) == -33
    assert care.interval is not None and care.interval.high < 0
    assert care.test is not None and care.test.significant
    text = ask(store, TEAM, "gap care", min_group_size=MIN).text
    assert "all among the 30 who answered both" in text
    assert "answered only one (not counted): care 140" in text


def test_a_wave_change_on_the_same_people_is_not_significant(
    store: Store, import_rows: Importer
) -> None:
    # Wave 1: 10 agree on both, 10 disagree on both, and one answers only the personal
    # question (agreeing); wave 2: the same without that one. Own bases made this
    # "−2 pts — significant (z-test, p < 0.001)"; on the 20 who answered both it is 0.
    both = rows("a", 10, "Agree", "Agree") + rows("d", 10, "Disagree", "Disagree")
    import_rows([*both, ["x", "A", "s1", "Agree", "", ""]], wave="w1")
    import_rows(both, wave="w2")
    report = finding(store, "gap care vs w1")
    assert isinstance(report, ChangeReport)
    [care] = report.changes
    assert care.change == 0.0
    assert care.test is not None and care.test.p_value == 1.0 and not care.significant
    assert care.interval is not None and care.interval.low < 0 < care.interval.high


def test_small_samples_get_fishers_exact_test(store: Store, import_rows: Importer) -> None:
    # Yes/no: 0 of 5, then 5 of 5. The unpooled z-test had a standard error of 0 and said
    # "p < 0.001"; Fisher's exact test gives 2/C(10, 5) = 2/252 = 0.0079.
    import_rows(rows("a", 5, "Agree", "Agree", "No"), wave="w1")
    import_rows(rows("b", 5, "Agree", "Agree", "Yes"), wave="w2")
    report = finding(store, "gap measures vs w1")
    assert isinstance(report, ChangeReport)
    [measures] = report.changes
    assert measures.test is not None and measures.test.method == "Fisher's exact"
    assert measures.test.p_value == pytest.approx(2 / 252, rel=1e-12)
    text = ask(store, TEAM, "gap measures vs w1", min_group_size=MIN).text
    assert "Fisher's exact, p = 0.008" in text


def test_a_breakdown_adjusts_its_tests_and_says_so(store: Store, import_rows: Importer) -> None:
    # Two teams of 12 with the same modest gap (b = 5, c = 0 each): alone each McNemar
    # mid-p is 2·½·P(X = 0) = 1/32 = 0.03125, "significant"; the breakdown makes 5 tests
    # (overall, A, B, A vs the rest, B vs the rest) and Holm reads them together.
    team = rows("s", 5, "Agree", "Disagree") + rows("n", 7, "Disagree", "Disagree")
    import_rows([[f"{r[0]}{t}", t, *r[2:]] for t in ("A", "B") for r in team])
    report = finding(store, "gap care by team")
    assert isinstance(report, BreakdownReport)
    groups = [g.themes[0] for g in report.groups]
    assert [r.test.p_value for r in groups if r.test] == [1 / 32, 1 / 32]
    raw = [report.total[0].test, *(r.test for r in groups)]
    raw += [c.test for g in report.groups for c in g.versus_rest if c is not None]
    expected = holm([t.p_value for t in raw if t is not None])
    adjusted = [report.total[0].adjustment, *(r.adjustment for r in groups)]
    assert [a.p_value for a in adjusted if a is not None] == expected[:3]
    assert not any(r.significant for r in groups)  # 1/32 among 5 tests: not enough
    assert any("This answer makes 5 tests" in note for note in report.notes)


def test_rounding_is_explained_where_the_figures_do_not_subtract(
    store: Store, import_rows: Importer
) -> None:
    # 7 answer both: 5 agree personally (71.4% → 71%), 2 for the organization (28.6% →
    # 29%); the gap is 42.86 → 43 points, not 71 − 29 = 42.
    import_rows(
        rows("a", 2, "Agree", "Agree")
        + rows("b", 3, "Agree", "Disagree")
        + rows("d", 2, "Disagree", "Disagree")
    )
    text = ask(store, TEAM, "gap care", min_group_size=MIN).text
    assert "Personal: 71%†" in text and "Organization: 29%†" in text and "Gap: 43 points" in text
    assert "Gaps are computed from the unrounded shares" in text


def test_no_rounding_note_where_the_figures_subtract(store: Store, import_rows: Importer) -> None:
    import_rows(rows("a", 6, "Agree", "Agree") + rows("b", 4, "Agree", "Disagree"))
    text = ask(store, TEAM, "gap care", min_group_size=MIN).text
    assert "Gap: 40 points" in text and "unrounded" not in text

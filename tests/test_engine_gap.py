"""The engine turns respondent pairs into McNemar's counts and wave changes into z-tests;
checked on hand-made data whose answers are known one by one."""

from __future__ import annotations

import math

import pytest
from support import TEAM, Importer

from insights import NotFoundError, Store, ask
from insights.answer import answer_query, interpret
from insights.findings import ChangeReport, GapReport

# 12 respondents: 8 agree personally but not for their organization (b), 1 the reverse (c),
# 3 agree on both. Yes/no: 6 of 12 say Yes.
WAVE_1 = (
    [[f"b{i}", "A", "s1", "Agree", "Disagree", "Yes" if i < 4 else "No"] for i in range(8)]
    + [["c0", "A", "s1", "Neutral", "Agree", "No"]]
    + [[f"d{i}", "B", "s1", "Agree", "Agree", "Yes" if i < 2 else "No"] for i in range(3)]
)
# 20 respondents: b = 10, c = 2, 8 concordant (4 agree on both); 15 of 20 say Yes.
WAVE_2 = (
    [[f"b{i}", "A", "s1", "Agree", "Neutral", "Yes"] for i in range(10)]
    + [[f"c{i}", "A", "s1", "Disagree", "Agree", "Yes"] for i in range(2)]
    + [[f"d{i}", "B", "s1", "Agree", "Agree", "Yes" if i < 3 else "No"] for i in range(4)]
    + [[f"e{i}", "B", "s1", "Disagree", "Disagree", "No"] for i in range(4)]
)


def gap_report(store: Store, text: str) -> GapReport:
    query, catalog = interpret(store, TEAM, text)
    report = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(report, GapReport)
    return report


def test_paired_counts_and_exact_mcnemar(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1)
    care, measures = gap_report(store, "gap").themes
    assert care.personal and care.personal.share and care.organization
    assert (care.personal.share.positive, care.personal.share.n) == (11, 12)
    assert care.organization.share and care.organization.share.positive == 4
    assert (care.paired_n, care.personal_only, care.organization_only) == (12, 8, 1)
    # gap = (11 − 4)/12 = 58.33 points; exact: 2·(C(9,0) + C(9,1))/2⁹ = 20/512
    assert care.gap == pytest.approx(700 / 12)
    assert care.test and care.test.method == "McNemar exact"
    assert care.test.p_value == 20 / 512
    assert measures.single and measures.single.share
    assert (measures.single.share.positive, measures.single.share.n) == (6, 12)
    text = ask(store, TEAM, "gap", min_group_size=5).text
    assert "Gap: 58 points — significant: unlikely to be chance (McNemar exact, p = 0.039)" in text


def test_change_between_waves(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1, wave="w1")
    import_rows(WAVE_2, wave="w2")
    query, catalog = interpret(store, TEAM, "gap vs w1")
    report = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(report, ChangeReport)
    assert (report.context.wave, report.previous_wave) == ("w2", "w1")
    assert (report.context.respondents, report.previous_respondents) == (20, 12)
    care, measures = report.changes
    # Gap w1 = 7/12, w2 = (14 − 6)/20 = 8/20. Paired variances (b + c − (b − c)²)/n:
    #   w1: (8/12 + 1/12 − (7/12)²)/12,  w2: (10/20 + 2/20 − (8/20)²)/20
    var_1 = (9 / 12 - (7 / 12) ** 2) / 12
    var_2 = (12 / 20 - (8 / 20) ** 2) / 20
    z = (8 / 20 - 7 / 12) / math.sqrt(var_1 + var_2)
    assert care.change == pytest.approx((8 / 20 - 7 / 12) * 100)
    assert care.test and care.test.statistic == pytest.approx(z)
    assert care.test.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    # Yes: 6/12 → 15/20, unpooled: z = 0.25 / √(0.25/12 + 0.1875/20)
    z_yes = 0.25 / math.sqrt(0.25 / 12 + 0.1875 / 20)
    assert measures.change == pytest.approx(25.0)
    assert measures.test and measures.test.statistic == pytest.approx(z_yes)


def test_a_wave_cannot_be_compared_with_itself(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1, wave="w1")
    with pytest.raises(NotFoundError, match="cannot be compared with itself"):
        ask(store, TEAM, "gap vs w1")


def test_filters_with_no_respondents(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1)
    import_rows([["z1", "Z", "s9", "Agree", "Agree", "Yes"]], wave="w2")
    # 'Z' exists (in w2) but nobody in w1 has it.
    with pytest.raises(NotFoundError, match="No respondents match those filters"):
        ask(store, TEAM, "gap team=z wave w1")

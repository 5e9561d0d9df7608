"""The engine turns respondent pairs into McNemar's counts and the gap's interval, and wave
changes into intervals and tests; checked on hand-made data whose answers are known one by
one (the statistics themselves are checked against references in test_stats_*)."""

from __future__ import annotations

import pytest
from support import TEAM, WAVE_1, WAVE_2, Importer

from insights import NotFoundError, Store, ask
from insights.answers.findings import ChangeReport, GapReport
from insights.answers.reply import answer_query, interpret
from insights.answers.stats import (
    PairedTable,
    fisher_exact_p,
    independent_difference,
    interval_test,
    paired_difference,
    whole,
)


def gap_report(store: Store, text: str) -> GapReport:
    query, catalog = interpret(store, TEAM, text)
    report = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(report, GapReport)
    return report


def test_paired_counts_and_mid_p_mcnemar(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1)
    care, measures = gap_report(store, "gap").themes
    assert care.personal and care.personal.share and care.organization
    assert (care.personal.share.positive, care.personal.share.n) == (11, 12)
    assert care.organization.share and care.organization.share.positive == 4
    assert (care.paired_n, care.both_agree, care.personal_only, care.organization_only) == (
        12,
        3,
        8,
        1,
    )
    # gap = (11 − 4)/12 = 58.33 points. Mid-p with X ~ Bin(9, ½):
    # 2·(P(X = 0) + ½·P(X = 1)) = 2·(1 + 4.5)/512 = 11/512
    assert care.gap == pytest.approx(700 / 12)
    assert care.test and care.test.method == "McNemar mid-p"
    assert care.test.p_value == 11 / 512
    assert care.interval == paired_difference(PairedTable(3, 8, 1, 0))
    assert care.interval.low < 7 / 12 < care.interval.high
    assert measures.single and measures.single.share
    assert (measures.single.share.positive, measures.single.share.n) == (6, 12)
    text = ask(store, TEAM, "gap", min_group_size=5).text
    low, high = whole(care.interval.low * 100), whole(care.interval.high * 100)
    assert (
        f"Gap: 58 points (95% CI {low} to {high} pts) — significant: unlikely to be chance"
        " (McNemar mid-p, p = 0.021); all among the 12 who answered both"
    ) in text


def test_change_between_waves(store: Store, import_rows: Importer) -> None:
    import_rows(WAVE_1, wave="w1")
    import_rows(WAVE_2, wave="w2")
    query, catalog = interpret(store, TEAM, "gap vs w1")
    report = answer_query(store, catalog, query, min_group_size=5)
    assert isinstance(report, ChangeReport)
    assert (report.context.wave, report.previous_wave) == ("w2", "w1")
    assert (report.context.respondents, report.previous_respondents) == (20, 12)
    care, measures = report.changes
    # Gap w1 = 7/12 (a, b, c, d = 3, 8, 1, 0); w2 = (10 − 2)/20 (4, 10, 2, 4): independent
    # waves, so the change's interval combines the two paired intervals (MOVER).
    first = paired_difference(PairedTable(3, 8, 1, 0))
    second = paired_difference(PairedTable(4, 10, 2, 4))
    assert care.change == pytest.approx((8 / 20 - 7 / 12) * 100)
    assert care.interval == independent_difference(first, second)
    assert care.test == interval_test(care.interval, "difference of paired gaps")
    assert care.interval.low < 0 < care.interval.high and not care.significant
    # Yes: 6/12 → 15/20. A cell of the 2×2 table is expected to hold 11·12/32 = 4.1 < 5,
    # so Fisher's exact test.
    assert measures.change == pytest.approx(25.0)
    assert measures.test and measures.test.method == "Fisher's exact"
    assert measures.test.p_value == fisher_exact_p(6, 6, 15, 5)
    assert measures.adjustment and measures.adjustment.tests == 2


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

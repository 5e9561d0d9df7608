"""Two independent shares (a wave against another): Fisher's exact test for small expected
counts, the pooled z-test otherwise, Newcombe's interval for the difference, and Holm's
adjustment when several are read together. Worked out by hand."""

from __future__ import annotations

import math

import pytest

from insights.answers.stats import (
    Proportion,
    fisher_exact_p,
    holm,
    proportion_difference,
    two_proportion_test,
)


def test_none_of_five_against_all_of_five_is_fisher_not_a_zero_p() -> None:
    # Issue 14: the pooled z-test printed "p < 0.001" here. Expected cells: 5 · 5/10 = 2.5,
    # so Fisher. Margins fixed (5 per wave, 5 agreeing of 10): P(x before) =
    # C(5,x)·C(5,5−x)/C(10,5) = C(5,x)²/252. Observed x = 0 has 1/252, and only x = 5
    # is as unlikely: p = 2/252 = 0.007937, shown "p = 0.008".
    result = two_proportion_test(Proportion(0, 5), Proportion(5, 5))
    assert result.method == "Fisher's exact"
    assert result.p_value == pytest.approx(2 / 252, rel=1e-12)
    assert result.statistic is None


def test_one_of_six_against_all_of_six_is_fisher() -> None:
    # Issue 14: the z-test printed p = 4e-8. n = 12, 7 agree, 6 per wave; the first
    # wave's count x runs from 1 to 6 with weights C(6,x)·C(6,7−x):
    #   x = 1: 6, 2: 90, 3: 300, 4: 300, 5: 90, 6: 6   (sum 792 = C(12,7))
    # Observed x = 1 (weight 6); as unlikely: x = 6. p = 12/792 = 0.015152.
    result = two_proportion_test(Proportion(1, 6), Proportion(6, 6))
    assert result.method == "Fisher's exact"
    assert result.p_value == pytest.approx(12 / 792, rel=1e-12)
    assert result.significant


def test_fisher_below_an_expected_count_of_five() -> None:
    # 2/10 against 7/10: 9 agree of 20, expected 9 · 10/20 = 4.5 < 5, so Fisher.
    # Weights C(10,x)·C(10,9−x) for x = 0..9:
    #   10, 450, 5400, 25200, 52920, 52920, 25200, 5400, 450, 10   (sum 167960 = C(20,9))
    # Observed x = 2 (5400): as or less likely are x = 0, 1, 2, 7, 8, 9:
    # p = 2 · (10 + 450 + 5400) / 167960 = 11720 / 167960 = 0.069779
    result = two_proportion_test(Proportion(2, 10), Proportion(7, 10))
    assert result.method == "Fisher's exact"
    assert result.p_value == pytest.approx(11720 / 167960, rel=1e-12)
    assert fisher_exact_p(2, 8, 7, 3) == result.p_value


def test_pooled_z_test_at_an_expected_count_of_five() -> None:
    # 3/10 against 7/10: 10 agree of 20, expected 10 · 10/20 = 5, so the z-test.
    # Pooled p = 0.5; se = √(0.25 · (1/10 + 1/10)) = √0.05 = 0.223607
    # z = 0.4 / 0.223607 = 1.788854; p = erfc(z/√2) = 0.073638
    result = two_proportion_test(Proportion(3, 10), Proportion(7, 10))
    assert result.method == "z-test"
    assert result.statistic == pytest.approx(1.788854, abs=1e-6)
    assert result.p_value == pytest.approx(0.073638, abs=1e-6)


def test_pooled_z_test_large_samples() -> None:
    # 50/100 against 70/100: pooled p = 0.6; se = √(0.6 · 0.4 · 0.02) = √0.0048 = 0.069282
    # z = 0.2 / 0.069282 = 2.886751; p = 0.003892
    result = two_proportion_test(Proportion(50, 100), Proportion(70, 100))
    assert result.method == "z-test"
    assert result.statistic == pytest.approx(2.886751, abs=1e-6)
    assert result.p_value == pytest.approx(0.003892, abs=1e-6)
    assert result.significant


def test_z_is_signed_after_minus_before() -> None:
    falling = two_proportion_test(Proportion(70, 100), Proportion(50, 100))
    assert falling.statistic == pytest.approx(-2.886751, abs=1e-6)


def test_equal_extreme_shares_do_not_differ() -> None:
    assert two_proportion_test(Proportion(0, 10), Proportion(0, 12)).p_value == 1.0
    assert two_proportion_test(Proportion(10, 10), Proportion(12, 12)).p_value == 1.0
    assert two_proportion_test(Proportion(0, 0), Proportion(3, 4)).p_value == 1.0


def test_fisher_balanced_table_is_one() -> None:
    # [[1, 1], [1, 1]]: weights C(2,x)·C(2,2−x) = 1, 4, 1; the observed x = 1 is the
    # most likely, so every table counts: p = 6/6 = 1.
    assert fisher_exact_p(1, 1, 1, 1) == pytest.approx(1.0, abs=1e-15)


def test_fisher_large_base_small_margin() -> None:
    # 0 of 100 000 against 3 of 100 000: x before runs over 0..3; x = 0 and x = 3 are
    # equally (and most) unlikely: p = 2 · C(100000,3) / C(200000,3)
    #   = 2 · (100000 · 99999 · 99998) / (200000 · 199999 · 199998) = 0.2499962500
    expected = 2 * math.comb(100_000, 3) / math.comb(200_000, 3)
    assert fisher_exact_p(0, 100_000, 3, 99_997) == pytest.approx(expected, rel=1e-12)


def test_newcombe_difference_none_to_all_of_ten() -> None:
    # after − before = 10/10 − 0/10 = 1. Wilson: 0/10 → (0, 0.277533), 10/10 → (0.722467, 1).
    # low = 1 − √((1 − 0.722467)² + (0.277533 − 0)²) = 1 − √2 · 0.277533 = 0.607509
    # high = 1 + √((1 − 1)² + (0 − 0)²) = 1
    change = proportion_difference(Proportion(0, 10), Proportion(10, 10))
    assert change.estimate == 1.0
    assert change.low == pytest.approx(0.607509, abs=1e-6)
    assert change.high == pytest.approx(1.0, abs=1e-12)
    assert change.excludes_zero


def test_holm_step_down() -> None:
    # Sorted: 0.005 · 4 = 0.02, 0.01 · 3 = 0.03, 0.03 · 2 = 0.06, 0.04 · 1 = 0.04 → 0.06
    # (never below the one before), back in the original order:
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-15)


def test_holm_caps_at_one_and_keeps_order() -> None:
    # 0.5 · 2 = 1.0; 0.6 · 1 = 0.6 → 1.0 (the running maximum).
    assert holm([0.6, 0.5]) == [1.0, 1.0]
    assert holm([]) == []
    assert holm([0.02]) == [0.02]

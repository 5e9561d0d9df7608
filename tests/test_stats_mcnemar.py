"""McNemar's test (exact and chi-square) and the wave-change z-tests, by hand."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from insights.stats import (
    EXACT_BELOW,
    Proportion,
    binomial_two_sided_p,
    change_test,
    chi2_1df_sf,
    mcnemar,
    paired_difference_variance,
    two_proportion_test,
)


def test_exact_one_against_nine() -> None:
    # b = 1, c = 9: 10 discordant pairs, under H0 each is heads/tails with p = 1/2.
    # P(X ≤ 1) = (C(10,0) + C(10,1)) / 2¹⁰ = (1 + 10) / 1024 = 11/1024
    # two-sided p = 2 · 11/1024 = 22/1024 = 0.021484375
    result = mcnemar(1, 9)
    assert result.method == "McNemar exact"
    assert result.p_value == 22 / 1024
    assert result.statistic is None
    assert result.significant


def test_exact_is_symmetric_in_b_and_c() -> None:
    assert mcnemar(9, 1).p_value == mcnemar(1, 9).p_value


def test_exact_balanced_is_capped_at_one() -> None:
    # b = c = 3: doubling P(X ≤ 3) = 2 · 42/64 > 1, so p is 1.
    assert binomial_two_sided_p(3, 6) == 1.0
    assert mcnemar(3, 3).p_value == 1.0


def test_exact_just_below_the_switch() -> None:
    # b = 16, c = 8: 24 discordant < 25, still exact.
    # Σ C(24,i) for i = 0..8 = 1 + 24 + 276 + 2024 + 10626 + 42504 + 134596 + 346104 + 735471
    #                        = 1 271 626;  p = 2 · 1 271 626 / 2²⁴ = 0.151590
    result = mcnemar(16, 8)
    assert result.method == "McNemar exact"
    expected = Fraction(2 * 1_271_626, 2**24)
    assert result.p_value == pytest.approx(float(expected), rel=1e-12)
    assert result.p_value == pytest.approx(0.151590, abs=1e-6)


def test_chi_square_at_the_switch() -> None:
    # b = 17, c = 8: 25 discordant, so chi-square with continuity correction:
    # (|17 − 8| − 1)² / 25 = 64/25 = 2.56. One df: χ² = Z², √2.56 = 1.6, and the
    # two-sided normal tail at 1.6 is 0.109599.
    assert EXACT_BELOW == 25
    result = mcnemar(17, 8)
    assert result.method == "McNemar chi-square"
    assert result.statistic == pytest.approx(2.56, abs=1e-12)
    assert result.p_value == pytest.approx(0.109599, abs=1e-6)
    assert not result.significant


def test_chi_square_headline_sized_discordance() -> None:
    # b = 112, c = 4: (|112 − 4| − 1)² / 116 = 107² / 116 = 11449 / 116 = 98.698276
    result = mcnemar(112, 4)
    assert result.method == "McNemar chi-square"
    assert result.statistic == pytest.approx(11449 / 116, rel=1e-12)
    assert result.p_value < 1e-20
    assert result.significant


def test_no_discordant_pairs_means_no_evidence() -> None:
    result = mcnemar(0, 0)
    assert result.p_value == 1.0
    assert result.method == "McNemar exact"


def test_chi2_one_df_tail_known_points() -> None:
    # 3.841459 = 1.959964², the 5% critical value; 0 has the whole distribution above it.
    assert chi2_1df_sf(3.841458820694124) == pytest.approx(0.05, abs=1e-9)
    assert chi2_1df_sf(0.0) == 1.0


def test_change_test_with_equal_variances() -> None:
    # 0.5 → 0.7 with variances 0.01 each: se = √0.02, z = 0.2/√0.02 = √2, p = erfc(1).
    result = change_test(0.5, 0.01, 0.7, 0.01)
    assert result.method == "z-test"
    assert result.statistic == pytest.approx(math.sqrt(2), rel=1e-12)
    assert result.p_value == pytest.approx(math.erfc(1), rel=1e-12)
    assert result.p_value == pytest.approx(0.157299, abs=1e-6)


def test_change_test_without_variance() -> None:
    assert change_test(0.3, 0.0, 0.3, 0.0).p_value == 1.0
    assert change_test(0.3, 0.0, 0.4, 0.0).p_value == 0.0


def test_two_proportion_test_unpooled() -> None:
    # 50/100 vs 70/100: var = 0.5·0.5/100 + 0.7·0.3/100 = 0.0025 + 0.0021 = 0.0046
    # z = 0.2 / √0.0046 = 2.948839; p = erfc(z/√2) = 0.003190
    result = two_proportion_test(Proportion(50, 100), Proportion(70, 100))
    assert result.statistic == pytest.approx(2.948839, abs=1e-6)
    assert result.p_value == pytest.approx(0.003190, abs=1e-6)
    assert result.significant


def test_paired_difference_variance() -> None:
    # n = 100, b = 20, c = 10: (0.2 + 0.1 − (0.2 − 0.1)²) / 100 = 0.29 / 100 = 0.0029
    assert paired_difference_variance(100, 20, 10) == pytest.approx(0.0029, rel=1e-12)
    assert paired_difference_variance(0, 0, 0) == 0.0

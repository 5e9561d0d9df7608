"""McNemar's test (mid-p for few discordant pairs, asymptotic without correction above),
and the binomial tails under it, worked out by hand."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from insights.answers.stats import (
    EXACT_BELOW,
    binomial_mid_p,
    chi2_1df_sf,
    mcnemar,
)


def test_mid_p_one_against_nine() -> None:
    # b = 1, c = 9: 10 discordant pairs, under H0 each falls either way with p = 1/2.
    # Exact: 2 · P(X ≤ 1) = 2 · (C(10,0) + C(10,1)) / 2¹⁰ = 22/1024.
    # Mid-p counts the observed outcome (and its mirror, 9) half:
    # 22/1024 − P(X = 1) = 22/1024 − 10/1024 = 12/1024 = 0.01171875
    result = mcnemar(1, 9)
    assert result.method == "McNemar mid-p"
    assert result.p_value == 12 / 1024
    assert result.statistic is None
    assert result.significant


def test_mid_p_is_symmetric_in_b_and_c() -> None:
    assert mcnemar(9, 1).p_value == mcnemar(1, 9).p_value
    assert mcnemar(9, 1).method == mcnemar(1, 9).method


def test_mid_p_balanced_counts_the_observed_outcome_half() -> None:
    # b = c = 3: no outcome is rarer than the observed one, which is counted half
    # (Fagerland, Lydersen & Laake 2013): 1 − P(X = 3)/2 = 1 − (20/64)/2 = 108/128.
    assert binomial_mid_p(3, 6) == 108 / 128
    assert mcnemar(3, 3).p_value == 0.84375
    # b = c = 1: 1 − P(X = 1)/2 = 1 − (2/4)/2 = 0.75, not a capped 1.
    assert mcnemar(1, 1).p_value == 0.75


def test_mid_p_bentur_table() -> None:
    # The table of Fagerland et al.'s (2013) worked example (Bentur et al. 2009): b = 1,
    # c = 7. Exact: 2 · (1 + 8)/256 = 18/256 = 0.0703; mid-p: 18/256 − 8/256 = 10/256.
    result = mcnemar(1, 7)
    assert result.p_value == 10 / 256


def test_mid_p_cavo_example() -> None:
    # Fagerland, Lydersen & Laake's example (Cavo et al. 2012): b = 6, c = 16, 22 pairs.
    # Their mid-p (book ch. 8, and their R package contingencytables): 0.034690.
    result = mcnemar(6, 16)
    assert result.method == "McNemar mid-p"
    assert result.p_value == pytest.approx(0.034690, abs=5e-7)


def test_mid_p_just_below_the_switch() -> None:
    # b = 16, c = 8: 24 discordant < 25, still mid-p.
    # Σ C(24,i) for i = 0..8 = 1 + 24 + 276 + 2024 + 10626 + 42504 + 134596 + 346104 + 735471
    #                        = 1 271 626;  exact p = 2 · 1 271 626 / 2²⁴
    # mid-p = (2 543 252 − C(24,8)) / 2²⁴ = (2 543 252 − 735 471) / 16 777 216
    #       = 1 807 781 / 16 777 216 = 0.107752
    result = mcnemar(16, 8)
    assert result.method == "McNemar mid-p"
    assert result.p_value == float(Fraction(1_807_781, 2**24))
    assert result.p_value == pytest.approx(0.107752, abs=1e-6)


def test_asymptotic_at_the_switch() -> None:
    # b = 17, c = 8: 25 discordant, so the asymptotic test without continuity correction:
    # (17 − 8)² / 25 = 81/25 = 3.24. One df: χ² = Z², √3.24 = 1.8, and the two-sided
    # normal tail at 1.8 is 0.071861.
    assert EXACT_BELOW == 25
    result = mcnemar(17, 8)
    assert result.method == "McNemar asymptotic"
    assert result.statistic == pytest.approx(3.24, abs=1e-12)
    assert result.p_value == pytest.approx(0.071861, abs=1e-6)
    assert not result.significant


def test_asymptotic_headline_sized_discordance() -> None:
    # b = 112, c = 4: (112 − 4)² / 116 = 11664 / 116 = 100.551724
    result = mcnemar(112, 4)
    assert result.method == "McNemar asymptotic"
    assert result.statistic == pytest.approx(11664 / 116, rel=1e-12)
    assert result.p_value < 1e-20
    assert result.significant


def test_asymptotic_cavo_example() -> None:
    # The same Cavo table through the asymptotic test: (6 − 16)² / 22 = 4.545455;
    # theirs: P = 0.033006 (Z = −2.132).
    assert chi2_1df_sf(100 / 22) == pytest.approx(0.033006, abs=5e-7)


def test_no_discordant_pairs_means_no_evidence() -> None:
    result = mcnemar(0, 0)
    assert result.p_value == 1.0
    assert result.method == "McNemar mid-p"
    assert not result.significant


def test_mid_p_of_many_trials_is_exact_and_does_not_overflow() -> None:
    # C(2000, 1000) is about 2·10⁶⁰⁰, beyond a float: the tail must stay in integers.
    # b = c = 1000: 1 − C(2000,1000)/2²⁰⁰¹ = 0.991080.
    expected = 1 - Fraction(math.comb(2000, 1000), 2**2001)
    assert binomial_mid_p(1000, 2000) == float(expected)
    assert binomial_mid_p(1000, 2000) == pytest.approx(0.991080, abs=1e-6)
    # b = 900, c = 1100: (2 · Σ_{i<900} C(2000,i) + C(2000,900)) / 2²⁰⁰⁰.
    tail = 2 * sum(math.comb(2000, i) for i in range(900)) + math.comb(2000, 900)
    assert binomial_mid_p(900, 2000) == float(Fraction(tail, 2**2000))


def test_binomial_tails_of_no_trials() -> None:
    assert binomial_mid_p(0, 0) == 1.0


def test_chi2_one_df_tail_known_points() -> None:
    # 3.841459 = 1.959964², the 5% critical value; 0 has the whole distribution above it.
    assert chi2_1df_sf(3.841458820694124) == pytest.approx(0.05, abs=1e-9)
    assert chi2_1df_sf(0.0) == 1.0

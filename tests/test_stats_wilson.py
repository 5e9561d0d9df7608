"""Wilson score intervals, checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from insights.answers.stats import Z95, Proportion, wilson_interval

Z2 = Z95 * Z95  # 3.841459...


def test_z95_is_the_two_sided_95_percent_normal_quantile() -> None:
    # P(|Z| > z) = erfc(z / √2) must be 0.05.
    assert math.erfc(Z95 / math.sqrt(2)) == pytest.approx(0.05, abs=1e-12)


def test_headline_necessity_personal_179_of_197() -> None:
    # p = 179/197 = 0.908629, z² = 3.841459, n = 197
    # centre = (p + z²/2n) / (1 + z²/n) = (0.908629 + 0.009750) / 1.019500 = 0.900813
    # half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
    #        = 1.959964 · √(0.00042144 + 0.00002475) / 1.019500 = 0.040608
    # → (0.860205, 0.941422), shown as 86–94%.
    low, high = wilson_interval(179, 197)
    assert low == pytest.approx(0.860205, abs=1e-6)
    assert high == pytest.approx(0.941422, abs=1e-6)


def test_headline_necessity_organization_71_of_197() -> None:
    # p = 0.360406; centre = (0.360406 + 0.009750) / 1.019500 = 0.363076
    # half = 1.959964 · √(0.00117084 + 0.00002475) / 1.019500 = 0.066454 → 30–43%.
    low, high = wilson_interval(71, 197)
    assert low == pytest.approx(0.296622, abs=1e-6)
    assert high == pytest.approx(0.429530, abs=1e-6)


def test_none_of_ten() -> None:
    # With p = 0 the centre and the half-width are equal: both z²/2n / (1 + z²/n),
    # so the interval is (0, z²/(n + z²)) = (0, 3.841459/13.841459) = (0, 0.277533).
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(Z2 / (10 + Z2), abs=1e-12)
    assert high == pytest.approx(0.277533, abs=1e-6)


def test_all_of_ten_mirrors_none_of_ten() -> None:
    low, high = wilson_interval(10, 10)
    assert low == pytest.approx(1 - Z2 / (10 + Z2), abs=1e-12)
    assert low == pytest.approx(0.722467, abs=1e-6)
    assert high == pytest.approx(1.0, abs=1e-12)


def test_half_of_ten_is_symmetric_about_one_half() -> None:
    # p = 0.5: centre = 0.5 exactly; half = z·√(0.025 + z²/400) / (1 + z²/10) = 0.263407.
    low, high = wilson_interval(5, 10)
    assert (low + high) / 2 == pytest.approx(0.5, abs=1e-12)
    assert high - 0.5 == pytest.approx(0.263407, abs=1e-6)


def test_empty_base_is_the_whole_unit_interval() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_proportion_share_interval_and_directional_flag() -> None:
    headline = Proportion(179, 197)
    assert headline.share == pytest.approx(0.908629, abs=1e-6)
    assert headline.interval == wilson_interval(179, 197)
    assert headline.directional is False
    assert Proportion(10, 29).directional is True
    assert Proportion(10, 30).directional is False
    assert Proportion(0, 0).share == 0.0

"""The gap on the people who answered both questions (Newcombe's paired method 10 or
Tango's score interval, whichever paired_difference implements), the change between two
waves' gaps (MOVER), and the p-value read from an interval: hand-worked cases, and the
properties the issue asks for (no zero-width interval, so no zero standard error;
p < 0.05 exactly when the interval excludes zero)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from insights.answers.stats import (
    SIGNIFICANCE,
    Z95,
    Interval,
    PairedTable,
    independent_difference,
    interval_test,
    paired_difference,
)

Z2 = Z95 * Z95


# The gap's interval is Tango's (1998) score interval, which Fagerland, Lydersen & Laake
# recommend (issue 14 allows it or Newcombe's method 10). Their example (book ch. 8, and
# their R package contingencytables), Cavo et al. (2012): 59, 6, 16, 80; n = 161, gap
# −10/161 = −0.0621; Tango: the Δ where his score is ±1.96 → −0.1240 to −0.0054.
CAVO = PairedTable(59, 6, 16, 80)


def test_cavo_example_matches_the_published_tango_interval() -> None:
    gap = paired_difference(CAVO)
    assert gap.estimate == pytest.approx(-10 / 161, abs=1e-15)
    assert (round(gap.low, 4), round(gap.high, 4)) == (-0.1240, -0.0054)


def test_everybody_answering_alike_still_has_an_interval() -> None:
    # 5 agree on both, 5 on neither, no discordant pair: gap 0. (Newcombe's square-and-add
    # with the plain φ = 1 collapses to 0 to 0 here.)
    # Tango: with b = c = 0 the restricted p21 is 0 for Δ > 0, the score is
    # −nΔ / √(nΔ(1 − Δ)), and it reaches −z where nΔ/(1 − Δ) = z²: Δ = z²/(n + z²)
    # = 3.841459/13.841459 = 0.277533; the lower limit mirrors it.
    half = Z2 / (10 + Z2)
    gap = paired_difference(PairedTable(5, 0, 0, 5))
    assert gap.estimate == 0.0
    assert gap.low == pytest.approx(-half, abs=1e-6)
    assert gap.high == pytest.approx(half, abs=1e-6)
    # [[1, 0], [0, 1]]: as above with n = 2: ±z²/(2 + z²) = ±0.657620.
    half = 0.6576
    one_each = paired_difference(PairedTable(1, 0, 0, 1))
    assert (round(one_each.low, 4), round(one_each.high, 4)) == (-half, half)


def test_everybody_agreeing_to_both() -> None:
    # 10 of 10 on both questions. Newcombe: a margin is empty, so ψ = 0. Both shares are
    # 10/10, Wilson (1 − z²/(10 + z²), 1) = (0.722467, 1): below = (1 − 0.722467)² +
    # (1 − 1)², so each side is z²/(10 + z²) = 0.277533. Tango: b = c = 0 and n = 10, as
    # in the test above: the same z²/(10 + z²).
    gap = paired_difference(PairedTable(10, 0, 0, 0))
    assert gap.estimate == 0.0
    assert gap.low == pytest.approx(-Z2 / (10 + Z2), abs=1e-12)
    assert gap.high == pytest.approx(Z2 / (10 + Z2), abs=1e-12)


def test_one_respondent() -> None:
    # One person, agreeing personally but not for the organization: gap 1, high limit 1.
    # Tango: with b = n and c = 0 the restricted p21 is (1 − Δ)/2, the score is
    # √(n(1 − Δ)/(1 + Δ)), and it is z where Δ = (n − z²)/(n + z²) = −2.841459/4.841459
    # = −0.586901. (With n = 3 that is −0.1230, which contingencytables checks.)
    low = (1 - Z2) / (1 + Z2)
    gap = paired_difference(PairedTable(0, 1, 0, 0))
    assert gap.estimate == 1.0
    assert gap.low == pytest.approx(low, abs=1e-12)
    assert gap.high == 1.0


def test_nobody_answered_both() -> None:
    assert paired_difference(PairedTable(0, 0, 0, 0)) == Interval(0.0, -1.0, 1.0)


def test_mover_difference_by_hand() -> None:
    # second − first = 0.5 − 0.3 = 0.2
    # low  = 0.2 − √((0.5 − 0.35)² + (0.45 − 0.3)²) = 0.2 − √0.045 = −0.012132
    # high = 0.2 + √((0.6 − 0.5)² + (0.3 − 0.2)²) = 0.2 + √0.02 = 0.341421
    first, second = Interval(0.3, 0.2, 0.45), Interval(0.5, 0.35, 0.6)
    change = independent_difference(first, second)
    assert change.estimate == pytest.approx(0.2, abs=1e-15)
    assert change.low == pytest.approx(-0.012132, abs=1e-6)
    assert change.high == pytest.approx(0.341421, abs=1e-6)
    assert not change.excludes_zero


def test_interval_test_by_hand() -> None:
    # 0.2 (0.1 to 0.3): the half towards zero is 0.1, se = 0.1/1.959964 = 0.051021,
    # z = 3.919928, p = 0.0000886.
    result = interval_test(Interval(0.2, 0.1, 0.3), "gap")
    assert result.method == "gap"
    assert result.statistic == pytest.approx(3.919928, abs=1e-6)
    assert result.p_value == pytest.approx(8.857544e-5, rel=1e-6)
    # −0.2 (−0.35 to −0.05): the half towards zero is −0.05 − (−0.2) = 0.15,
    # z = −0.2 / (0.15/1.959964) = −2.613285, p = 0.008968.
    falling = interval_test(Interval(-0.2, -0.35, -0.05), "change")
    assert falling.statistic == pytest.approx(-2.613285, abs=1e-6)
    assert falling.p_value == pytest.approx(0.008968, abs=1e-6)
    # An estimate of 0 is no evidence at all.
    assert interval_test(Interval(0.0, -0.1, 0.1), "gap").p_value == 1.0


counts = st.one_of(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=60))
tables = st.builds(PairedTable, counts, counts, counts, counts).filter(lambda t: t.n > 0)


def with_edge_tables(test: Callable[[PairedTable], None]) -> Callable[[PairedTable], None]:
    """Always try the tables where the plain φ coefficient is 1 or near it, and the ends."""
    for table in (
        PairedTable(5, 0, 0, 5),  # no discordant pair: φ = 1
        PairedTable(40, 1, 0, 40),  # φ close to 1
        PairedTable(60, 0, 0, 1),
        PairedTable(0, 3, 0, 0),  # the gap at +1
        PairedTable(0, 0, 1, 0),  # the gap at −1
    ):
        test = example(table)(test)
    return test


@given(tables)
@with_edge_tables
def test_paired_interval_is_never_zero_width(table: PairedTable) -> None:
    gap = paired_difference(table)
    assert -1.0 <= gap.low <= gap.estimate <= gap.high <= 1.0
    # Only a gap already at ±1 may touch its own end of the range.
    assert gap.low < gap.estimate or gap.estimate == -1.0
    assert gap.high > gap.estimate or gap.estimate == 1.0


@given(tables)
def test_paired_interval_mirrors_when_the_questions_swap(table: PairedTable) -> None:
    gap = paired_difference(table)
    swapped = paired_difference(
        PairedTable(table.both, table.organization_only, table.personal_only, table.neither)
    )
    assert swapped.estimate == pytest.approx(-gap.estimate, abs=1e-15)
    assert swapped.low == pytest.approx(-gap.high, abs=1e-12)
    assert swapped.high == pytest.approx(-gap.low, abs=1e-12)


@given(tables)
@with_edge_tables
def test_p_from_the_gap_interval_agrees_with_the_interval(table: PairedTable) -> None:
    gap = paired_difference(table)
    result = interval_test(gap, "gap")
    assert result.statistic is not None  # a standard error, never 0
    assert 0.0 <= result.p_value <= 1.0
    assert (result.p_value < SIGNIFICANCE) == gap.excludes_zero


@given(tables, tables)
def test_wave_change_of_two_gaps(before: PairedTable, after: PairedTable) -> None:
    first, second = paired_difference(before), paired_difference(after)
    change = independent_difference(first, second)
    assert change.estimate == pytest.approx(second.estimate - first.estimate, abs=1e-15)
    # Wider than either gap's own side: the two uncertainties add.
    assert change.estimate - change.low >= second.estimate - second.low - 1e-15
    assert change.estimate - change.low >= first.high - first.estimate - 1e-15
    assert change.low < change.estimate or change.estimate == -2.0
    assert change.high > change.estimate or change.estimate == 2.0
    result = interval_test(change, "change")
    assert result.statistic is not None
    assert (result.p_value < SIGNIFICANCE) == change.excludes_zero
    # Swapping the waves mirrors the change.
    back = independent_difference(second, first)
    assert back.estimate == pytest.approx(-change.estimate, abs=1e-15)
    assert back.low == pytest.approx(-change.high, abs=1e-15)
    assert back.high == pytest.approx(-change.low, abs=1e-15)

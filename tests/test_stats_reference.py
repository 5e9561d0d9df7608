"""insights.answers.stats against reference values computed once with scipy and statsmodels.

tests/reference/make_stats_reference.py computed them (in its own environment: neither
library is a dependency) and wrote tests/reference/stats_reference.json; its docstring
names the reference for each function. Tolerances:

* exact probabilities (binomial tails, mid-p, Fisher): relative 1e-12. The references
  are exact rationals rounded once, which the script checked scipy agrees with.
* asymptotic p-values and statistics (McNemar, pooled z): relative 1e-12 (a tail at
  z = 40 amplifies the last bit of z about 1600 times).
* interval limits (Wilson, Newcombe independent, and the paired gap: Newcombe's method 10
  or Tango's score interval, whichever paired_difference implements): absolute 1e-12;
  scipy's and our 97.5% normal quantile differ in the 16th digit, the limits by less than
  1e-15.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from insights.answers.stats import (
    EXACT_BELOW,
    Z95,
    Interval,
    PairedTable,
    Proportion,
    binomial_mid_p,
    fisher_exact_p,
    holm,
    mcnemar,
    paired_difference,
    proportion_difference,
    two_proportion_test,
    wilson_interval,
)

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "reference" / "stats_reference.json").read_text()
)
EXACT = 1e-12  # relative
ASYMPTOTIC = 1e-12  # relative
LIMITS = 1e-12  # absolute


def close(got: float | None, want: float, *, rel: float = 0.0, absolute: float = 0.0) -> bool:
    return got is not None and got == pytest.approx(want, rel=rel, abs=absolute)


def interval_close(got: Interval, estimate: float, low: float, high: float) -> bool:
    return all(
        close(value, want, absolute=LIMITS)
        for value, want in ((got.estimate, estimate), (got.low, low), (got.high, high))
    )


def assert_none_differ(differences: Iterable[Any]) -> None:
    found = list(differences)
    assert not found, f"{len(found)} cases differ, first: {found[:5]}"


def test_normal_quantile_matches_scipy() -> None:
    assert abs(Z95 - REFERENCE["z95"]) <= 1e-15


def test_wilson_interval_matches_statsmodels() -> None:
    assert_none_differ(
        (k, n, wilson_interval(k, n), (low, high))
        for k, n, low, high in REFERENCE["wilson"]
        if not (
            close(wilson_interval(k, n)[0], low, absolute=LIMITS)
            and close(wilson_interval(k, n)[1], high, absolute=LIMITS)
        )
    )


def test_mid_p_matches_fagerland_definition() -> None:
    assert_none_differ(
        (k, n, binomial_mid_p(k, n), mid_p)
        for k, n, _, mid_p in REFERENCE["binomial"]
        if not close(binomial_mid_p(k, n), mid_p, rel=EXACT)
    )


def test_mcnemar_mid_p_below_the_switch_asymptotic_above() -> None:
    differences = []
    for b, c, mid_p, statistic, asymptotic_p in REFERENCE["mcnemar"]:
        result = mcnemar(b, c)
        if b + c < EXACT_BELOW:
            agrees = result.method == "McNemar mid-p" and close(result.p_value, mid_p, rel=EXACT)
        else:
            agrees = (
                result.method == "McNemar asymptotic"
                and close(result.statistic, statistic, rel=ASYMPTOTIC)
                and close(result.p_value, asymptotic_p, rel=ASYMPTOTIC)
            )
        if not agrees:
            differences.append((b, c, result))
    assert_none_differ(differences)


def test_fisher_exact_matches_scipy() -> None:
    assert_none_differ(
        (a, b, c, d, fisher_exact_p(a, b, c, d), p)
        for a, b, c, d, p in REFERENCE["fisher"]
        if not close(fisher_exact_p(a, b, c, d), p, rel=EXACT)
    )


def test_two_proportion_test_chooses_and_matches() -> None:
    differences = []
    fisher_p = {tuple(row[:4]): row[4] for row in REFERENCE["fisher"]}
    for x1, n1, x2, n2, smallest_expected, z, z_p in REFERENCE["two_proportion"]:
        result = two_proportion_test(Proportion(x1, n1), Proportion(x2, n2))
        if smallest_expected < 5:
            p = fisher_p[(x1, n1 - x1, x2, n2 - x2)]
            agrees = result.method == "Fisher's exact" and close(result.p_value, p, rel=EXACT)
        else:
            agrees = (
                result.method == "z-test"
                and close(result.statistic, z, rel=ASYMPTOTIC)
                and close(result.p_value, z_p, rel=ASYMPTOTIC)
            )
        if not agrees:
            differences.append((x1, n1, x2, n2, result))
    assert_none_differ(differences)


def test_proportion_difference_matches_statsmodels_newcombe() -> None:
    differences = []
    for x1, n1, x2, n2, estimate, low, high in REFERENCE["proportion_difference"]:
        got = proportion_difference(Proportion(x1, n1), Proportion(x2, n2))
        if not interval_close(got, estimate, low, high):
            differences.append((x1, n1, x2, n2, got, (low, high)))
    assert_none_differ(differences)


def test_paired_difference_matches_tangos_reference() -> None:
    # Tango's limits are roots, found here and in the script to far below LIMITS.
    differences = []
    for a, b, c, d, estimate, low, high in REFERENCE["paired_tango"]:
        got = paired_difference(PairedTable(a, b, c, d))
        if not interval_close(got, estimate, low, high):
            differences.append((a, b, c, d, got, (low, high)))
    assert_none_differ(differences)


def test_paired_difference_published_examples() -> None:
    cases = REFERENCE["paired_published"]["tango"]
    assert_none_differ(
        (case, gap)
        for case in cases
        for gap in [paired_difference(PairedTable(*case["table"]))]
        if (round(gap.low, 4), round(gap.high, 4)) != (case["low"], case["high"])
    )


@pytest.mark.parametrize("case", REFERENCE["mid_p_published"], ids=lambda case: case["source"])
def test_mid_p_published_examples(case: dict[str, Any]) -> None:
    assert round(mcnemar(case["b"], case["c"]).p_value, case["decimals"]) == case["mid_p"]


def test_holm_matches_statsmodels() -> None:
    assert_none_differ(
        (family["p"], holm(family["p"]), family["adjusted"])
        for family in REFERENCE["holm"]
        if holm(family["p"]) != pytest.approx(family["adjusted"], rel=1e-15, abs=1e-15)
    )


def test_reference_holds_the_issue_edge_cases() -> None:
    # Issue 14's small samples, so that a regenerated file cannot silently drop them.
    two_sample = {tuple(row[:4]) for row in REFERENCE["two_proportion"]}
    assert {(0, 5, 5, 5), (1, 6, 6, 6), (0, 1, 1, 1), (0, 100_000, 3, 100_000)} <= two_sample
    paired = {tuple(row[:4]) for row in REFERENCE["paired_newcombe"]}
    assert paired == {tuple(row[:4]) for row in REFERENCE["paired_tango"]}
    everybody_alike, everybody_agrees, one_person = (100, 0, 0, 97), (197, 0, 0, 0), (0, 1, 0, 0)
    assert {
        everybody_alike,
        everybody_agrees,
        one_person,
        (50_000, 20_000, 10_000, 20_000),
    } <= paired
    discordant = {(b, c) for b, c, *_ in REFERENCE["mcnemar"]}
    assert {(1, 1), (0, 24), (0, 25), (112, 4)} <= discordant

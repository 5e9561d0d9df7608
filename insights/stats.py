"""The statistics every answer quotes, as small pure functions.

Conventions: proportions are fractions in [0, 1] here and turned into percentages only
when rendered; ``n`` is always the base the proportion was computed on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95% quantile of the standard normal
SIGNIFICANCE = 0.05
DIRECTIONAL_BASE = 30  # bases under this are flagged as directional only
EXACT_BELOW = 25  # McNemar: exact binomial test when fewer discordant pairs than this


def wilson_interval(positive: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``positive`` successes out of ``n``; (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = positive / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Proportion:
    """``positive`` out of ``n`` with its 95% Wilson interval."""

    positive: int
    n: int

    @property
    def share(self) -> float:
        return self.positive / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.positive, self.n)

    @property
    def directional(self) -> bool:
        return self.n < DIRECTIONAL_BASE


def binomial_two_sided_p(k: int, n: int) -> float:
    """Exact two-sided p for k successes in n trials at p = 0.5 (doubling the smaller tail)."""
    if n == 0:
        return 1.0
    tail = min(k, n - k)
    mass: float = sum(math.comb(n, i) for i in range(tail + 1)) / 2**n
    return min(1.0, 2 * mass)


def chi2_1df_sf(statistic: float) -> float:
    """Upper tail of the chi-square distribution with one degree of freedom."""
    return math.erfc(math.sqrt(max(statistic, 0.0) / 2))


def normal_two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class TestResult:
    """Outcome of a significance test, with what was used to get it."""

    method: str
    p_value: float
    statistic: float | None = None

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE


def mcnemar(personal_only: int, organization_only: int) -> TestResult:
    """McNemar's test on the discordant pairs of a paired yes/no comparison.

    ``personal_only`` agree personally but not for their organization (b), and
    ``organization_only`` the reverse (c). With fewer than ``EXACT_BELOW`` discordant
    pairs the exact binomial test is used; otherwise the chi-square statistic with
    Edwards' continuity correction, (|b - c| - 1)² / (b + c).
    """
    b, c = personal_only, organization_only
    discordant = b + c
    if discordant == 0:
        return TestResult("McNemar exact", 1.0, None)
    if discordant < EXACT_BELOW:
        return TestResult("McNemar exact", binomial_two_sided_p(b, discordant), None)
    statistic = (abs(b - c) - 1) ** 2 / discordant
    return TestResult("McNemar chi-square", chi2_1df_sf(statistic), statistic)


def paired_difference_variance(n: int, personal_only: int, organization_only: int) -> float:
    """Variance of p_personal − p_organization when both come from the same ``n`` people."""
    if n == 0:
        return 0.0
    b, c = personal_only / n, organization_only / n
    return max((b + c - (b - c) ** 2) / n, 0.0)


def proportion_variance(p: Proportion) -> float:
    return p.share * (1 - p.share) / p.n if p.n else 0.0


def change_test(before: float, var_before: float, after: float, var_after: float) -> TestResult:
    """Two-sided z-test that a quantity changed between two independent samples (waves)."""
    se = math.sqrt(var_before + var_after)
    if se == 0:
        return TestResult("z-test", 1.0 if after == before else 0.0, None)
    z = (after - before) / se
    return TestResult("z-test", normal_two_sided_p(z), z)


def two_proportion_test(before: Proportion, after: Proportion) -> TestResult:
    """Unpooled two-proportion z-test between independent samples."""
    return change_test(
        before.share, proportion_variance(before), after.share, proportion_variance(after)
    )


def whole(value: float) -> int:
    """Round to a whole number, halves away from zero (42.5 → 43, -42.5 → -43).

    Python's round() sends halves to the even number, which reads as a bug in a report.
    The tiny nudge absorbs binary noise such as 0.725 * 100 = 72.49999….
    """
    magnitude = math.floor(abs(value) + 0.5 + 1e-9)
    return magnitude if value >= 0 else -magnitude


def percent(share: float) -> int:
    """A share in [0, 1] as whole percent, rounded as people expect (0.725 → 73)."""
    return whole(share * 100)


def format_p(p_value: float) -> str:
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.3f}"

"""The statistics every answer quotes, as small pure functions.

Conventions: proportions are fractions in [0, 1] here and turned into percentages only
when rendered; ``n`` is always the base the proportion was computed on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

Z95 = 1.959963984540054  # two-sided 95% quantile of the standard normal
SIGNIFICANCE = 0.05
DIRECTIONAL_BASE = 30  # bases under this are flagged as directional only
EXACT_BELOW = 25  # McNemar: mid-p binomial test when fewer discordant pairs than this


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


def binomial_mid_p(k: int, n: int) -> float:
    """Two-sided mid-p for ``k`` successes in ``n`` trials at p = 0.5: the probability of
    the outcomes rarer than ``k``, plus half that of those as rare (``k`` and ``n − k``)
    (Lancaster 1961). So 1 − P(X = k)/2 when k = n − k, as Fagerland, Lydersen & Laake
    (2013) give it; 1 when n is 0. Integer sums, so exact to the last bit at any n."""
    if n == 0:
        return 1.0
    tail = min(k, n - k)
    rarer = 2 * sum(math.comb(n, i) for i in range(tail))
    as_rare = math.comb(n, tail) * (1 if 2 * tail == n else 2)
    p_value: float = (2 * rarer + as_rare) / 2 ** (n + 1)
    return p_value


def mcnemar(personal_only: int, organization_only: int) -> TestResult:
    """McNemar's test on the discordant pairs of a paired yes/no comparison.

    ``personal_only`` agree personally but not for their organization (b), and
    ``organization_only`` the reverse (c). With fewer than ``EXACT_BELOW`` discordant
    pairs, the mid-p binomial test; otherwise the asymptotic test without continuity
    correction, (b − c)² / (b + c): the two Fagerland, Lydersen & Laake (2013) recommend.
    """
    b, c = personal_only, organization_only
    discordant = b + c
    if discordant == 0:
        return TestResult("McNemar mid-p", 1.0, None)
    if discordant < EXACT_BELOW:
        return TestResult("McNemar mid-p", binomial_mid_p(b, discordant), None)
    statistic = (b - c) ** 2 / discordant
    return TestResult("McNemar asymptotic", chi2_1df_sf(statistic), statistic)


@dataclass(frozen=True)
class Interval:
    """An estimate with its 95% interval, as fractions (a difference lies in [-1, 1])."""

    estimate: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class PairedTable:
    """The respondents who answered both questions of a theme: how many agreed on both,
    personally only, for their organization only, and on neither."""

    both: int
    personal_only: int
    organization_only: int
    neither: int

    @property
    def n(self) -> int:
        return self.both + self.personal_only + self.organization_only + self.neither

    @property
    def personal(self) -> Proportion:
        return Proportion(self.both + self.personal_only, self.n)

    @property
    def organization(self) -> Proportion:
        return Proportion(self.both + self.organization_only, self.n)


def paired_difference(table: PairedTable) -> Interval:
    """Personal minus organization share on the same people, with Tango's (1998) score
    interval (see :func:`paired_differences`)."""
    return paired_differences([table])[0]


def paired_differences(tables: Sequence[PairedTable]) -> list[Interval]:
    """Each table's personal minus organization share, with Tango's (1998) score interval:
    every difference whose score test on these counts is not significant at 5%.
    Fagerland, Lydersen & Laake (2014) recommend it; unlike the square-and-add interval it
    never has zero width, even with no discordant pairs. (0, -1, 1) where nobody answered
    both."""
    found = []
    for table in tables:
        n = table.n
        if n == 0:
            found.append(Interval(0.0, -1.0, 1.0))
            continue
        low, high = _tango_limits(table.personal_only, table.organization_only, n)
        found.append(Interval((table.personal_only - table.organization_only) / n, low, high))
    return found


@lru_cache(maxsize=65_536)
def _tango_limits(b: int, c: int, n: int) -> tuple[float, float]:
    """Where Tango's score crosses ±z (it decreases in Δ), or the end of the range."""

    def score(delta: float) -> float:
        return _tango_score(b, c, n, delta)

    estimate = (b - c) / n
    edge = 1.0 - 1e-12
    low = -1.0 if score(-edge) < Z95 else _crossing(score, Z95, -1.0, estimate)
    high = 1.0 if score(edge) > -Z95 else _crossing(score, -Z95, estimate, 1.0)
    return low, high


def _tango_score(b: int, c: int, n: int, delta: float) -> float:
    """Tango's score statistic for a paired difference Δ: (b − c − nΔ) over its standard
    error, with the no/yes cell's probability at its maximum likelihood under Δ."""
    a_ = 2 * n
    b_ = -b - c + (2 * n - b + c) * delta
    c_ = -c * delta * (1 - delta)
    q21 = (math.sqrt(max(b_ * b_ - 4 * a_ * c_, 0.0)) - b_) / (2 * a_)
    variance = n * (2 * q21 + delta * (1 - delta))
    numerator = b - c - n * delta
    if variance <= 0:
        return 0.0 if numerator == 0 else math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def _crossing(score: Callable[[float], float], target: float, low: float, high: float) -> float:
    """The Δ in [low, high] where the decreasing ``score`` crosses ``target``: regula falsi
    with the Illinois correction (a few steps), halving instead where a value is infinite."""
    f_low, f_high = score(low) - target, score(high) - target
    side = 0
    for _ in range(200):
        if high - low <= 1e-15:
            break
        if math.isfinite(f_low) and math.isfinite(f_high) and f_low != f_high:
            middle = high - f_high * (high - low) / (f_high - f_low)
            if not low < middle < high:
                middle = (low + high) / 2
        else:
            middle = (low + high) / 2
        f_middle = score(middle) - target
        if f_middle == 0:
            return middle
        if f_middle > 0:
            low, f_low = middle, f_middle
            if side == 1:
                f_high /= 2  # Illinois: the end kept twice weighs half
            side = 1
        else:
            high, f_high = middle, f_middle
            if side == -1:
                f_low /= 2
            side = -1
    return (low + high) / 2


def independent_difference(first: Interval, second: Interval) -> Interval:
    """``second`` minus ``first``, from independent samples, with the MOVER interval
    (Zou & Donner 2008): each side's distance to its own limits, squared and added."""
    estimate = second.estimate - first.estimate
    low = estimate - math.hypot(second.estimate - second.low, first.high - first.estimate)
    high = estimate + math.hypot(second.high - second.estimate, first.estimate - first.low)
    return Interval(estimate, max(-2.0, low), min(2.0, high))


def interval_test(interval: Interval, method: str) -> TestResult:
    """A two-sided p-value from a 95% interval (Altman & Bland 2011), using the half of it
    on the side of zero, so that p < 0.05 exactly when the interval excludes zero. The
    interval never has zero width, so neither has the standard error."""
    half = (
        interval.estimate - interval.low
        if interval.estimate >= 0
        else (interval.high - interval.estimate)
    )
    if half <= 0:
        return TestResult(method, 1.0 if interval.estimate == 0 else 0.0, None)
    z = interval.estimate / (half / Z95)
    return TestResult(method, normal_two_sided_p(z), z)


def proportion_difference(before: Proportion, after: Proportion) -> Interval:
    """``after`` minus ``before`` (independent samples) with Newcombe's (1998) method 10
    interval: the two Wilson intervals, squared and added."""
    return independent_difference(_wilson(before), _wilson(after))


def _wilson(share: Proportion) -> Interval:
    low, high = share.interval
    return Interval(share.share, low, high)


def two_proportion_test(before: Proportion, after: Proportion) -> TestResult:
    """Whether two independent shares differ: Fisher's exact test when a cell of the 2×2
    table is expected to hold fewer than 5, otherwise the pooled z-test (Pearson's
    chi-square without correction). Two shares of 0% or of 100% do not differ (p = 1)."""
    a, b = before.positive, before.n - before.positive
    c, d = after.positive, after.n - after.positive
    n = a + b + c + d
    if not before.n or not after.n:
        return TestResult("z-test", 1.0, None)
    positive = a + c
    expected = min(positive, n - positive) * min(before.n, after.n) / n
    if expected < 5:
        return TestResult("Fisher's exact", fisher_exact_p(a, b, c, d), None)
    pooled = positive / n
    se = math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n))
    if se == 0:
        return TestResult("z-test", 1.0, None)
    z = (after.share - before.share) / se
    return TestResult("z-test", normal_two_sided_p(z), z)


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher's exact p for the table [[a, b], [c, d]]: the probability, with
    the margins fixed, of every table no more likely than this one.

    Each table's probability is taken relative to the most likely one, stepping out from
    it by the ratio of neighbouring hypergeometric terms, so that no large factorials
    cancel: the result is good to about 1e-13 even with 100 000 respondents a side."""
    row, column, n = a + b, a + c, a + b + c + d
    low, high = max(0, column - (n - row)), min(row, column)
    mode = (row + 1) * (column + 1) // (n + 2)
    relative = {mode: 1.0}
    for x in range(mode, high):  # P(x + 1) / P(x)
        ratio = (row - x) * (column - x) / ((x + 1) * (n - row - column + x + 1))
        relative[x + 1] = relative[x] * ratio
    for x in range(mode, low, -1):  # P(x − 1) / P(x)
        ratio = x * (n - row - column + x) / ((row - x + 1) * (column - x + 1))
        relative[x - 1] = relative[x] * ratio
    observed = relative[a] * (1 + 1e-7)  # ties within rounding count, as R does
    tail = sum(weight for weight in relative.values() if weight <= observed)
    return min(1.0, tail / sum(relative.values()))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's (1979) step-down adjustment: each p-value as it must be read when all of
    ``p_values`` are tested together, controlling the family-wise error rate."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


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

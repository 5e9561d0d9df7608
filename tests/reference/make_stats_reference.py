"""Write stats_reference.json: reference values for insights.answers.stats, from scipy and
statsmodels.

Run once, from the repository root, in a separate environment (scipy and statsmodels are
not dependencies of Empathy Gap, and the tests only read the JSON this writes):

    python3 -m venv /tmp/refenv
    /tmp/refenv/bin/pip install scipy statsmodels numpy
    /tmp/refenv/bin/python tests/reference/make_stats_reference.py

Where each reference comes from:

* Wilson interval: ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
* Exact binomial test at p = 1/2 (McNemar exact conditional): ``scipy.stats.binomtest``.
* McNemar mid-p: the exact conditional p-value minus the point probability of the
  observed count, and ``1 − P(X = b)/2`` when b = c, as Fagerland, Lydersen & Laake (2013,
  BMC Med Res Methodol 13:91, and its supplement "How to calculate the McNemar mid-p
  test") define it; from ``scipy.stats.binomtest`` and ``scipy.stats.binom.pmf``.
* McNemar asymptotic: ``statsmodels.stats.contingency_tables.mcnemar(exact=False,
  correction=False)``.
* Fisher's exact test: ``scipy.stats.fisher_exact`` (two-sided).

  For these three exact probabilities the stored value is the exact rational (integer
  binomial coefficients, ``fractions.Fraction``) rounded once, after checking that scipy
  agrees with it to 1e-10 relative: scipy is a few 1e-13 off at most for the binomial
  tails, but 1.5e-11 off for Fisher's test on 0 of 100 000 against 3 of 100 000, which
  would be looser than the tests' tolerance. The script prints the largest distances.
* Pooled two-proportion z-test: ``statsmodels.stats.proportion.proportions_ztest`` for z,
  and ``scipy.stats.chi2_contingency(correction=False)`` for p (the script checks that
  the two agree: z² = χ²).
* Smallest expected cell: ``scipy.stats.contingency.expected_freq``.
* Newcombe's method 10 for independent proportions:
  ``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``.
* Holm: ``statsmodels.stats.multitest.multipletests(method="holm")``.
* Newcombe's method 10 for *paired* proportions: no released scipy or statsmodels has
  it, and R was not at hand, so this script has a second implementation, written from
  the formulas of Newcombe (1998, Stat Med 17:2635-2650) as Fagerland, Lydersen & Laake
  state them ("Recommended tests and confidence intervals for paired binomial
  proportions", Stat Med 2014, 33:2850-2875; and their book "Statistical Analysis of
  Contingency Tables", 2017, chapter 8) — not from insights/answers/stats.py. Its Wilson
  intervals come from statsmodels.
* Tango's (1998, Stat Med 17:891-908) asymptotic score interval for paired proportions,
  the other method issue 14 allows: likewise no library here has it, so the script
  solves Tango's score equation with ``scipy.optimize.brentq``, the score written from
  Tango's paper as Fagerland, Lydersen & Laake state it.

  Both paired methods are checked against published worked examples (``PUBLISHED_PAIRED``
  below) before anything is written, and the script stops if any differs in the fourth
  decimal. The tests find which of the two ``paired_difference`` implements and hold it
  to that method's values.

The MOVER difference of two independent intervals (Zou & Donner 2008) and the p-value
from an interval (Altman & Bland 2011) have no library counterpart: the tests check them
by hand-worked cases and by their properties, not from this file.

Cases: complete grids over small counts (where the methods switch and break), seeded
random cases from small to large samples, and the edge cases of issue 14 (0 of 5 against
5 of 5, 1 of 6 against 6 of 6, no discordant pairs, everybody agreeing, n = 1, large n).
The output is deterministic for given library versions, which it records.
"""

from __future__ import annotations

import itertools
import json
import math
import platform
import zlib
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import statsmodels
from scipy import optimize, stats
from scipy.stats.contingency import expected_freq
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

OUTPUT = Path(__file__).with_name("stats_reference.json")
SEED = 20240614
ALPHA = 0.05
TINY = Fraction(1, 10**300)
LIBRARY_ERROR: dict[str, float] = {}  # largest relative distance of a library from exact

# The paired methods' published examples: (both, first only, second only, neither) and
# the 95% limits as printed (four decimals).
PUBLISHED_PAIRED = {
    "newcombe": [
        # Newcombe (1998), the worked example a = 36, b = 12, c = 2, d = 0.
        {"table": [36, 12, 2, 0], "low": 0.0569, "high": 0.3404, "source": "Newcombe 1998"},
        # Fagerland, Lydersen & Laake (book, ch. 8): Cavo et al. (2012), complete response
        # before and after consolidation therapy, as the R package contingencytables
        # (their companion code) checks it in its tests.
        {"table": [59, 6, 16, 80], "low": -0.1186, "high": -0.0046, "source": "Cavo"},
        # contingencytables' test of [[1, 0], [0, 1]]: no discordant pair.
        {"table": [1, 0, 0, 1], "low": -0.5734, "high": 0.5734, "source": "contingencytables"},
    ],
    "tango": [
        # The same Cavo table, and contingencytables' tests of all three pairs discordant
        # one way, then the other.
        {"table": [59, 6, 16, 80], "low": -0.1240, "high": -0.0054, "source": "Cavo"},
        {"table": [0, 3, 0, 0], "low": -0.1230, "high": 1.0, "source": "contingencytables"},
        {"table": [0, 0, 3, 0], "low": -1.0, "high": 0.1230, "source": "contingencytables"},
    ],
}

# McNemar mid-p, as published: Fagerland, Lydersen & Laake (book, ch. 8, and the tests of
# contingencytables): Cavo et al. (2012), b = 6, c = 16; mid-p 0.034690.
PUBLISHED_MID_P = [
    {"b": 6, "c": 16, "mid_p": 0.034690, "decimals": 6, "source": "Fagerland et al. (Cavo)"},
]


def wilson(positive: int, n: int) -> tuple[float, float]:
    low, high = proportion_confint(positive, n, alpha=ALPHA, method="wilson")
    return float(low), float(high)


def agreed(exact: Fraction, library: float, what: str) -> float:
    """The exact value, rounded once, after checking the library agrees with it."""
    distance = abs(Fraction(library) - exact)
    if distance > exact / 10**10 + TINY:  # below TINY both may underflow to 0
        raise SystemExit(f"{what}: library {library!r} against exact {float(exact)!r}")
    if exact > TINY:
        LIBRARY_ERROR[what] = max(LIBRARY_ERROR.get(what, 0.0), float(distance / exact))
    return float(exact)


def exact_binomial_p(k: int, n: int) -> float:
    """Two-sided exact p at 1/2: both tails as far out as k (1 when k = n − k)."""
    tail = min(k, n - k)
    exact = min(Fraction(1), Fraction(2 * sum(math.comb(n, i) for i in range(tail + 1)), 2**n))
    return agreed(exact, float(stats.binomtest(k, n, 0.5).pvalue), "binomtest")


def mid_p(k: int, n: int) -> float:
    """Fagerland et al. (2013): exact p minus P(X = k); 1 − P(X = k)/2 when k = n − k."""
    point = Fraction(math.comb(n, k), 2**n)
    library = float(stats.binom.pmf(k, n, 0.5))
    if 2 * k == n:
        return agreed(1 - point / 2, 1.0 - library / 2, "binom mid-p")
    tail = min(k, n - k)
    exact = Fraction(2 * sum(math.comb(n, i) for i in range(tail + 1)), 2**n) - point
    library_p = float(stats.binomtest(k, n, 0.5).pvalue) - library
    return agreed(exact, library_p, "binom mid-p")


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher's exact p: the probability, margins fixed, of every table no more
    likely than the observed one; the weights are integers, so ties are exact."""
    row, column, n = a + b, a + c, a + b + c + d
    low, high = max(0, column - (n - row)), min(row, column)
    weights = [math.comb(row, x) * math.comb(n - row, column - x) for x in range(low, high + 1)]
    observed = weights[a - low]
    near = [w for w in weights if w != observed and abs(w - observed) * 10**7 <= observed]
    if near:  # R (1e-7) and scipy (1e-14) would count these tables differently
        raise SystemExit(f"near-tie in Fisher's test for {[a, b, c, d]}")
    exact = Fraction(sum(w for w in weights if w <= observed), math.comb(n, column))
    library = float(stats.fisher_exact([[a, b], [c, d]]).pvalue)
    return agreed(exact, library, "fisher_exact")


def newcombe_paired(a: int, b: int, c: int, d: int) -> tuple[float, float, float]:
    """Newcombe (1998) method 10 for p1 − p2, p1 = (a + b)/n and p2 = (a + c)/n.

    With the Wilson limits (l1, u1) and (l2, u2):
        L = D − √((p1 − l1)² − 2ψ(p1 − l1)(u2 − p2) + (u2 − p2)²)
        U = D + √((p2 − l2)² − 2ψ(p2 − l2)(u1 − p1) + (u1 − p1)²)
    where ψ estimates the correlation of the two answers from A = ad − bc and the
    margins' product M: ψ = (A − n/2)/√M if A > n/2, 0 if 0 ≤ A ≤ n/2, A/√M if A < 0,
    and 0 when a margin is empty.
    """
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n)
    l2, u2 = wilson(a + c, n)
    margins = [a + b, c + d, a + c, b + d]
    cross = a * d - b * c
    if 0 in margins:
        psi = 0.0
    elif cross > n / 2:
        psi = (cross - n / 2) / math.sqrt(math.prod(margins))
    elif cross >= 0:
        psi = 0.0
    else:
        psi = cross / math.sqrt(math.prod(margins))
    below = (p1 - l1) ** 2 - 2 * psi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2
    above = (p2 - l2) ** 2 - 2 * psi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2
    return p1 - p2, p1 - p2 - math.sqrt(below), p1 - p2 + math.sqrt(above)


def tango_score(b: int, c: int, n: int, delta: float) -> float:
    """Tango's score for H0: p12 − p21 = Δ: (b − c − nΔ) / √(n(2·q + Δ(1 − Δ))), where q
    is the maximum-likelihood p21 under H0, the positive root of
    2n·q² + (−b − c + (2n − b + c)Δ)·q − cΔ(1 − Δ) = 0."""
    numerator = b - c - n * delta
    if numerator == 0:
        return 0.0
    linear = -b - c + (2 * n - b + c) * delta
    constant = -c * delta * (1 - delta)
    q = (-linear + math.sqrt(linear**2 - 8 * n * constant)) / (4 * n)
    return numerator / math.sqrt(n * (2 * q + delta * (1 - delta)))


def tango_paired(a: int, b: int, c: int, d: int) -> tuple[float, float, float]:
    """Tango's interval for (b − c)/n: the Δ where his score is ±z. The score falls as Δ
    rises and grows without bound towards Δ = ±1, so each limit is a root in between,
    or ±1 itself when the estimate is there."""
    n = a + b + c + d
    z = float(stats.norm.isf(ALPHA / 2))
    estimate = (b - c) / n
    edge = 1 - 1e-12

    def crossing(target: float, low: float, high: float) -> float:
        root = optimize.brentq(
            lambda delta: tango_score(b, c, n, delta) - target, low, high, xtol=1e-15
        )
        return float(root)

    low = -1.0 if estimate == -1 else crossing(z, -edge, estimate)
    high = 1.0 if estimate == 1 else crossing(-z, estimate, edge)
    return estimate, low, high


PAIRED_METHODS = {"newcombe": newcombe_paired, "tango": tango_paired}


def check_published() -> None:
    for method, cases in PUBLISHED_PAIRED.items():
        for case in cases:
            _, low, high = PAIRED_METHODS[method](*case["table"])
            if (round(low, 4), round(high, 4)) != (case["low"], case["high"]):
                raise SystemExit(f"{method} disagrees with {case}: {low}, {high}")
    for case in PUBLISHED_MID_P:
        b, c = case["b"], case["c"]
        if round(mid_p(min(b, c), b + c), case["decimals"]) != case["mid_p"]:
            raise SystemExit(f"mid-p disagrees with {case}")


def wilson_cases(rng: np.random.Generator) -> list[list[Any]]:
    grid = [(k, n) for n in range(1, 31) for k in range(n + 1)]
    large = [(int(rng.integers(0, n + 1)), int(n)) for n in rng.integers(31, 200_000, 60)]
    extremes = [(0, 100_000), (1, 100_000), (100_000, 100_000), (1, 1), (0, 1)]
    return [[k, n, *wilson(k, n)] for k, n in grid + large + extremes]


def binomial_cases(rng: np.random.Generator) -> list[list[Any]]:
    """[k, n, exact two-sided p, mid-p]."""
    grid = [(k, n) for n in range(1, 41) for k in range(n + 1)]
    large = [(int(rng.integers(0, n + 1)), int(n)) for n in rng.integers(41, 3000, 30)]
    near_half = [(n // 2 - 1, n) for n in (1200, 2000, 2500)] + [(1000, 2000), (3, 2000)]
    return [[k, n, exact_binomial_p(k, n), mid_p(k, n)] for k, n in grid + large + near_half]


def mcnemar_cases(rng: np.random.Generator) -> list[list[Any]]:
    """[b, c, mid-p, asymptotic statistic, its p]: both tests for every (b, c)."""
    grid = [(b, c) for b in range(31) for c in range(31) if b + c]
    large = [tuple(int(x) for x in rng.integers(0, 3000, 2)) for _ in range(30)]
    rows = []
    for b, c in [*grid, *large, (112, 4), (5000, 4800)]:
        test = sm_mcnemar([[0, b], [c, 0]], exact=False, correction=False)
        rows.append([b, c, mid_p(min(b, c), b + c), float(test.statistic), float(test.pvalue)])
    return rows


def random_table(rng: np.random.Generator, most: int) -> tuple[int, int, int, int]:
    n1, n2 = (int(x) for x in rng.integers(1, most + 1, 2))
    share1, share2 = rng.uniform(0, 1, 2)
    return int(rng.binomial(n1, share1)), n1, int(rng.binomial(n2, share2)), n2


def two_sample_cases(rng: np.random.Generator) -> list[tuple[int, int, int, int]]:
    """(positive before, n before, positive after, n after)."""
    bases = itertools.product((1, 2, 5, 6), (1, 5, 6))
    small = [(x1, n1, x2, n2) for n1, n2 in bases for x1 in range(n1 + 1) for x2 in range(n2 + 1)]
    issue = [(0, 5, 5, 5), (1, 6, 6, 6), (5, 5, 0, 5), (0, 1, 1, 1), (0, 100_000, 3, 100_000)]
    randoms = [random_table(rng, most) for most in (10, 40, 200, 2000) for _ in range(40)]
    unbalanced = [(int(rng.integers(0, 4)), 10, int(rng.integers(0, 5000)), 5000)]
    return small + issue + randoms + unbalanced + [(45, 150, 108, 150), (71, 197, 179, 197)]


def fisher_rows(cases: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """[a, b, c, d, two-sided p] for the table [[a, b], [c, d]]."""
    rows = []
    for x1, n1, x2, n2 in cases:
        table = [[x1, n1 - x1], [x2, n2 - x2]]
        rows.append([*table[0], *table[1], fisher_exact(*table[0], *table[1])])
    return rows


def two_proportion_rows(cases: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """[x1, n1, x2, n2, smallest expected cell, z (after − before) or None, its p or None]."""
    rows = []
    for x1, n1, x2, n2 in cases:
        table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
        smallest = float(expected_freq(table).min())
        z = p = None
        if 0 < x1 + x2 < n1 + n2:
            z = float(proportions_ztest([x2, x1], [n2, n1])[0])
            chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
            if not math.isclose(z * z, chi2, rel_tol=1e-9):
                raise SystemExit(f"z-test and chi-square disagree on {table.tolist()}")
            p = float(p)
        rows.append([x1, n1, x2, n2, smallest, z, p])
    return rows


def proportion_difference_rows(cases: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """[x1, n1, x2, n2, estimate, low, high] for after − before (x2/n2 − x1/n1)."""
    rows = []
    for x1, n1, x2, n2 in cases:
        low, high = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
        rows.append([x1, n1, x2, n2, x2 / n2 - x1 / n1, float(low), float(high)])
    return rows


def paired_tables(rng: np.random.Generator) -> list[tuple[int, ...]]:
    """(both, personal only, organization only, neither), none empty."""
    grid = [t for t in itertools.product(range(7), repeat=4) if 0 < sum(t) <= 6]
    randoms = []
    for most in (20, 200, 2000, 20_000):
        for _ in range(40):
            randoms.append(tuple(int(x) for x in rng.multinomial(most, rng.dirichlet([1] * 4))))
    edges = [
        (197, 0, 0, 0),  # everybody agrees on both: no margin has a "no"
        (100, 0, 0, 97),  # everybody answers both questions alike
        (0, 0, 0, 1),
        (1, 0, 0, 0),
        (0, 1, 0, 0),
        (0, 0, 1, 0),
        (65, 114, 6, 12),  # headline-shaped: 179 of 197 against 71 of 197
        (50_000, 20_000, 10_000, 20_000),
    ]
    published = [tuple(case["table"]) for cases in PUBLISHED_PAIRED.values() for case in cases]
    return [*grid, *randoms, *edges, *dict.fromkeys(published)]


def holm_cases(rng: np.random.Generator) -> list[dict[str, list[float]]]:
    families = [list(rng.uniform(0, 1, int(size)) ** 3) for size in rng.integers(1, 13, 40)]
    families += [
        [0.01, 0.01, 0.04, 0.04],  # ties
        [0.0, 0.5, 1.0],
        [0.2, 0.3, 0.9, 0.95, 0.99],  # products above 1 are capped
        [0.001],
        [0.049, 0.0001, 0.02, 0.03, 0.6, 0.011, 0.012],
    ]
    return [
        {
            "p": [float(p) for p in family],
            "adjusted": multipletests(family, method="holm")[1].tolist(),
        }
        for family in families
    ]


def layout(reference: dict[str, Any]) -> str:
    """JSON with one case a line, so that a regenerated file diffs case by case."""
    compact: dict[str, Any] = {"separators": (",", ":"), "allow_nan": False}
    sections = []
    for key, value in reference.items():
        if isinstance(value, list):
            cases = ",\n".join(json.dumps(case, **compact) for case in value)
            sections.append(f"{json.dumps(key)}:[\n{cases}\n]")
        else:
            sections.append(f"{json.dumps(key)}:{json.dumps(value, **compact)}")
    return "{\n" + ",\n".join(sections) + "\n}\n"


def seeded(section: str) -> np.random.Generator:
    """A generator of its own for each section, so that one section's cases can change
    without reshuffling the others'."""
    return np.random.default_rng([SEED, zlib.crc32(section.encode())])


def main() -> None:
    check_published()
    two_sample = two_sample_cases(seeded("two_sample"))
    paired = paired_tables(seeded("paired"))
    reference = {
        "generated_by": "tests/reference/make_stats_reference.py",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
        },
        "z95": float(stats.norm.isf(ALPHA / 2)),
        "wilson": wilson_cases(seeded("wilson")),
        "binomial": binomial_cases(seeded("binomial")),
        "mcnemar": mcnemar_cases(seeded("mcnemar")),
        "fisher": fisher_rows(two_sample),
        "two_proportion": two_proportion_rows(two_sample),
        "proportion_difference": proportion_difference_rows(two_sample),
        "paired_newcombe": [[*t, *newcombe_paired(*t)] for t in paired],
        "paired_tango": [[*t, *tango_paired(*t)] for t in paired],
        "paired_published": PUBLISHED_PAIRED,
        "mid_p_published": PUBLISHED_MID_P,
        "holm": holm_cases(seeded("holm")),
    }
    OUTPUT.write_text(layout(reference))
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size // 1024} KB)")
    for what, error in sorted(LIBRARY_ERROR.items()):
        print(f"{what}: at most {error:.1e} from the exact value")


if __name__ == "__main__":
    main()

"""The curious colleague: asks every question allowed, keeps every count printed, solves.

An attacker who may ask anything knows every group's size (they are printed as bases) and
wants how a few people answered. Every count the bot prints is a sum of unknowns over
the respondents it names; this module writes each printed count as a row over the unknowns
of the wave's *finest cells* (one per combination of every segment's original value), and
then looks for a group of fewer than ``k`` people whose count is a linear combination of
the rows, with exact arithmetic modulo a prime (no rounding can hide a solution).

The unknowns per finest cell, for a theme with a personal (P) and an organization (O)
question and a single question (M):

* ``both11``, ``both10``, ``both01``: among those who answered P and O, how many agreed
  on both, on P only, on O only (disagreeing on both is the base minus these);
* ``ponly``: among those who answered P but not O, how many agreed; ``oonly`` likewise;
* ``single``: among those who answered M, how many agreed.

A *group* is a set of such units (a cell's both-answerers, P-only or O-only answerers, or
M-answerers) with fewer than ``k`` people in all. Its counts are *how many of them agreed
on P*, *on O*, on both, on one side only (both-answerers), and on M. The attacker wins
when one of those is determined.

Independent of the code under test: it reads only what an answer shows (labels, counts),
checks that each printed count is what the test itself counts on the raw rows for the
people the answer names, and does its own linear algebra.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from insights.answers.findings import BreakdownReport, Except, GapReport, ThemeResult

PRIME = 1_000_000_007
NOT_STATED_LABEL = "(not stated)"
MERGED_PREFIX = "Other (small groups"

# Unknowns per cell, and the counts a group of units has.
UNKNOWNS = ("both11", "both10", "both01", "ponly", "oonly", "single")
COUNTS: dict[str, dict[str, tuple[str, ...]]] = {
    # count -> {unit kind: the unknowns that make it up}
    "agreed on P": {"both": ("both11", "both10"), "ponly": ("ponly",)},
    "agreed on O": {"both": ("both11", "both01"), "oonly": ("oonly",)},
    "agreed on both": {"both": ("both11",)},
    "agreed on P only": {"both": ("both10",)},
    "agreed on O only": {"both": ("both01",)},
    "agreed on M": {"single": ("single",)},
}


@dataclass
class Respondents:
    """A wave's raw rows: segment columns (``""`` when not stated) and answers (1 agree,
    0 disagree, NaN unanswered) to ``p``, ``o`` and ``m``."""

    frame: pd.DataFrame
    segments: Sequence[str]

    def __post_init__(self) -> None:
        f = self.frame
        self.cells = f.groupby(list(self.segments), sort=True).ngroup().to_numpy()
        keys = f[list(self.segments)].drop_duplicates().sort_values(list(self.segments))
        self.cell_keys = [tuple(row) for row in keys.itertuples(index=False)]
        answered = {q: f[q].notna().to_numpy() for q in "pom"}
        agreed = {q: (f[q] == 1).to_numpy() for q in "pom"}
        both = answered["p"] & answered["o"]
        self._columns = {
            "respondents": np.ones(len(f), dtype=bool),
            "answered p": answered["p"],
            "answered o": answered["o"],
            "answered m": answered["m"],
            "both": both,
            "p agree": agreed["p"],
            "o agree": agreed["o"],
            "m agree": agreed["m"],
            "both11": both & agreed["p"] & agreed["o"],
            "both10": both & agreed["p"] & ~agreed["o"],
            "both01": both & ~agreed["p"] & agreed["o"],
        }
        self._segment_values = {s: f[s].to_numpy(dtype=object) for s in self.segments}
        self.unit_masks = {
            "both": answered["p"] & answered["o"],
            "ponly": answered["p"] & ~answered["o"],
            "oonly": answered["o"] & ~answered["p"],
            "single": answered["m"],
        }

    def values_of(self, segment: str) -> set[str]:
        """Every value a respondent has for ``segment`` ("" when not stated)."""
        return {str(v) for v in self._segment_values[segment]}

    def box(self, values: dict[str, set[str]]) -> np.ndarray:
        """Respondents whose segment values are in the given sets (others unconstrained)."""
        mask = np.ones(len(self.frame), dtype=bool)
        for segment, allowed in values.items():
            mask &= np.isin(self._segment_values[segment], list(allowed))
        return mask

    def weights(self, kind: str) -> np.ndarray:
        """Per cell: how many respondents are units of this kind."""
        return np.bincount(self.cells[self.unit_masks[kind]], minlength=len(self.cell_keys)).astype(
            np.int64
        )

    def recount(self, mask: np.ndarray) -> dict[str, int]:
        """What the test itself counts on these respondents."""
        return {name: int((column & mask).sum()) for name, column in self._columns.items()}


@dataclass
class Printed:
    """Every count printed about one wave, as rows over (cell, unknown) columns."""

    respondents: Respondents
    rows: list[np.ndarray] = field(default_factory=list)
    seen: set[bytes] = field(default_factory=set)
    sources: dict[bytes, str] = field(default_factory=dict)

    def add(self, mask: np.ndarray, unknowns: dict[str, Iterable[str]], said: str) -> None:
        """A printed count: the sum over the respondents in ``mask`` who are units of each
        kind, of the listed unknowns."""
        r = self.respondents
        cells = len(r.cell_keys)
        row = np.zeros(cells * len(UNKNOWNS), dtype=np.int64)
        for kind, names in unknowns.items():
            counted = np.bincount(r.cells[mask & r.unit_masks[kind]], minlength=cells) > 0
            for name in names:
                start = UNKNOWNS.index(name) * cells
                row[start : start + cells] |= counted
        key = row.tobytes()
        if row.any() and key not in self.seen:
            self.seen.add(key)
            self.rows.append(row)
            self.sources[key] = said


class Dishonest(AssertionError):
    """A printed figure is not what the test counts for the people the answer names."""


def values_of(label: str) -> set[str]:
    """The original values a printed value label stands for."""
    if label == NOT_STATED_LABEL:
        return {""}
    if label.startswith(MERGED_PREFIX):
        inside = label[len(MERGED_PREFIX) :].removeprefix(": ").removesuffix(")")
        names = [name.strip() for name in inside.split(", ") if name.strip()]
        return {"" if name == NOT_STATED_LABEL else name for name in names}
    return {label}


def record_theme(printed: Printed, mask: np.ndarray, result: ThemeResult, said: str) -> None:
    """Check a theme's printed counts against the test's own, then keep them as rows."""
    counts = printed.respondents.recount(mask)
    if result.personal is not None and result.organization is not None:
        for side, measure in (("p", result.personal), ("o", result.organization)):
            share = measure.share
            if share is None or share.n == 0:
                continue
            kind = "ponly" if side == "p" else "oonly"
            pair = ("both11", "both10") if side == "p" else ("both11", "both01")
            if share.n == counts["both"]:
                expected = counts["both11"] + counts[pair[1]]
                unknowns: dict[str, Iterable[str]] = {"both": pair}
            elif share.n == counts[f"answered {side}"]:
                expected = counts[f"{side} agree"]
                unknowns = {"both": pair, kind: (kind,)}
            else:
                raise Dishonest(f"{said}: {side} base {share.n} is nobody's: {counts}")
            if share.positive != expected:
                raise Dishonest(f"{said}: {side} {share.positive} agree, counted {expected}")
            printed.add(mask, unknowns, f"{said} [{side}]")
            own = measure.own
            if own is not None:  # the side among everyone who answered it
                if (own.positive, own.n) != (counts[f"{side} agree"], counts[f"answered {side}"]):
                    raise Dishonest(f"{said}: {side} own base {own.positive} of {own.n}")
                printed.add(mask, {"both": pair, kind: (kind,)}, f"{said} [{side} own]")
        if result.test is not None and result.paired_n:
            if (result.paired_n, result.personal_only, result.organization_only) != (
                counts["both"],
                counts["both10"],
                counts["both01"],
            ):
                raise Dishonest(f"{said}: McNemar's counts differ from {counts}")
            printed.add(mask, {"both": ("both10",)}, f"{said} [P only]")
            printed.add(mask, {"both": ("both01",)}, f"{said} [O only]")
    if result.single is not None and result.single.share is not None:
        share = result.single.share
        if (share.positive, share.n) != (counts["m agree"], counts["answered m"]):
            raise Dishonest(f"{said}: M {share.positive} of {share.n}, counted {counts}")
        if share.n:
            printed.add(mask, {"single": ("single",)}, f"{said} [M]")


def record(printed: Printed, report: GapReport | BreakdownReport, said: str) -> None:
    """Every count a report prints."""
    r = printed.respondents
    names = {s.casefold(): s for s in r.segments}
    where = {}
    for segment, values in report.context.filters:
        name = names[segment.casefold()]
        named = set().union(*(values_of(v) for v in values))
        # An exclusion keeps every other value, not stated ("") included.
        where[name] = r.values_of(name) - named if isinstance(values, Except) else named
    mask = r.box(where)
    if int(mask.sum()) != report.context.respondents:
        raise Dishonest(f"{said}: n = {report.context.respondents}, counted {int(mask.sum())}")
    overall = report.themes if isinstance(report, GapReport) else report.total
    for result in overall:
        record_theme(printed, mask, result, said)
    if isinstance(report, BreakdownReport):
        segment = names[report.segment.casefold()]
        for group in report.groups:
            inside = mask & r.box({segment: values_of(group.label)})
            if int(inside.sum()) != group.respondents:
                raise Dishonest(f"{said}: {group.label} n = {group.respondents}")
            for result in group.themes:
                record_theme(printed, inside, result, f"{said} / {group.label}")


# -- solving --------------------------------------------------------------------------------


def _echelon(rows: list[np.ndarray]) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form modulo PRIME, and its pivot columns."""
    if not rows:
        return np.zeros((0, 0), dtype=np.int64), []
    matrix = np.vstack(rows).astype(np.int64) % PRIME
    pivots: list[int] = []
    top = 0
    for column in range(matrix.shape[1]):
        below = np.flatnonzero(matrix[top:, column]) + top
        if not len(below):
            continue
        chosen = below[0]
        matrix[[top, chosen]] = matrix[[chosen, top]]
        inverse = pow(int(matrix[top, column]), PRIME - 2, PRIME)
        matrix[top] = matrix[top] * inverse % PRIME
        factors = matrix[:, column].copy()
        factors[top] = 0
        matrix = (matrix - factors[:, None] * matrix[top][None, :]) % PRIME
        pivots.append(column)
        top += 1
        if top == matrix.shape[0]:
            break
    return matrix[:top], pivots


@dataclass(frozen=True)
class Leak:
    count: str
    units: tuple[tuple[str, tuple[str, ...]], ...]  # (unit kind, cell values)
    people: int

    def __str__(self) -> str:
        where = "; ".join(
            f"{kind} of {'/'.join(v or '-' for v in key)}" for kind, key in self.units
        )
        return f"{self.count} is determined for {self.people} people ({where})"


def leaks(printed: Printed, k: int) -> list[Leak]:
    """Every group of fewer than ``k`` people one of whose counts the rows determine."""
    r = printed.respondents
    cells = len(r.cell_keys)
    reduced, pivots = _echelon(printed.rows)
    found: list[Leak] = []
    for count, parts in COUNTS.items():
        units: list[tuple[str, int, int, np.ndarray]] = []  # kind, cell, people, residual
        for kind, names in parts.items():
            weights = r.weights(kind)
            for cell in np.flatnonzero((weights > 0) & (weights < k)):
                vector = np.zeros(cells * len(UNKNOWNS), dtype=np.int64)
                for name in names:
                    vector[UNKNOWNS.index(name) * cells + cell] = 1
                if pivots:
                    vector = (vector - vector[pivots] @ reduced) % PRIME
                units.append((kind, int(cell), int(weights[cell]), vector))
        for group in _zero_sums(units, k):
            people = sum(units[i][2] for i in group)
            described = tuple((units[i][0], r.cell_keys[units[i][1]]) for i in group)
            found.append(Leak(count, described, people))
    return found


def _zero_sums(units: list[tuple[str, int, int, np.ndarray]], k: int) -> list[tuple[int, ...]]:
    """Sets of units (fewer than ``k`` people in all) whose residuals sum to zero: their
    count is a combination of the printed rows. Meet in the middle, up to four units."""
    if k - 1 > 4:
        raise ValueError("the search covers groups of up to four units (k <= 5)")
    people = [u[2] for u in units]
    found: list[tuple[int, ...]] = []
    for i, unit in enumerate(units):
        if not unit[3].any():
            found.append((i,))
    sums: dict[bytes, list[tuple[int, ...]]] = {}
    negated: dict[bytes, list[int]] = {}
    for i, unit in enumerate(units):
        negated.setdefault(((-unit[3]) % PRIME).tobytes(), []).append(i)
    pairs = [
        (i, j) for i, j in itertools.combinations(range(len(units)), 2) if people[i] + people[j] < k
    ]
    for i, j in pairs:
        total = (units[i][3] + units[j][3]) % PRIME
        if not total.any():
            found.append((i, j))
        sums.setdefault(total.tobytes(), []).append((i, j))
        for m in negated.get(total.tobytes(), []):
            if m > j and people[i] + people[j] + people[m] < k:
                found.append((i, j, m))
    for i, j in pairs:
        total = (-(units[i][3] + units[j][3])) % PRIME
        for a, b in sums.get(total.tobytes(), []):
            if a > j and people[i] + people[j] + people[a] + people[b] < k:
                found.append((i, j, a, b))
    return found

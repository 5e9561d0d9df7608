"""``python -m benchmarks.suggest``: how ``codebook suggest`` scales with an export's columns.

For each column count it writes a synthetic survey export (CSV, 30 respondents) whose
questions are worded as real ones are: personal/organization pairs of the same statement
("I personally believe customer empathy …" / "My organization believes customer empathy
…"), rows of organization-only grids that differ in a word or two ("My organization is
effective at helping … develop customer empathy"), and single questions. It then times

* **suggest**: the whole ``suggest_codebook`` (read, scan, classify, pair, name), as
  ``empathy codebook suggest`` runs it (the reader's column limit raised to fit);
* **themes**: the pairing and naming step alone (``assign_themes``), beside
  **themes, baseline**: the same step as it was before issue 13, comparing every pair
  (``benchmarks/themes_baseline.py``). Both must give the same themes and notes.

The baseline grows with the square of the columns, so it runs only while its estimate
(from the size before, times the square of the growth) stays within ``--baseline-budget``.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from benchmarks import themes_baseline
from insights.ingest.exports import Limits, open_export
from insights.ingest.suggest import suggest_codebook
from insights.ingest.suggest._themes import Candidate, Themes, assign_themes
from insights.ingest.suggest._wording import read_wording

ROWS = 30
ANSWERS = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
T = TypeVar("T")


def pseudo_words(count: int, rng: random.Random) -> list[str]:
    """Distinct made-up words ("kavori"), letters only, so no stemming folds two together."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.randint(2, 4)
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables))
        words[word + rng.choice("lnr")] = None
    return list(words)


def headers(columns: int, seed: int = 13) -> list[str]:
    """``columns`` question texts: 3 in 5 in personal/organization pairs, 1 in 5 grid rows,
    1 in 5 single questions; topics drawn from a vocabulary that grows with the survey."""
    rng = random.Random(seed)
    vocabulary = pseudo_words(max(200, columns), rng)
    texts: list[str] = []
    while len(texts) < columns:
        topic = " ".join(rng.sample(vocabulary, rng.randint(2, 4)))
        kind = rng.random()
        if kind < 0.6:
            texts.append(f"I personally believe customer empathy {topic}")
            texts.append(f"My organization believes customer empathy {topic}")
        elif kind < 0.8:
            texts.append(f"My organization is effective at helping {topic} develop empathy")
        else:
            texts.append(f"How far do you agree: customer empathy {topic}")
    repeated = {text for text, count in Counter(texts).items() if count > 1}
    return [f"{text} ({n})" if text in repeated else text for n, text in enumerate(texts)][:columns]


def write_export(path: Path, columns: int) -> Path:
    rng = random.Random(columns)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["ResponseId", *headers(columns)])
        for row in range(ROWS):
            writer.writerow([f"R_{row}", *(rng.choice(ANSWERS) for _ in range(columns))])
    return path


def timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


@dataclass
class Baseline:
    """The baseline's last run (columns, seconds), to estimate the next one from."""

    budget: float
    last: tuple[int, float] | None = None

    def estimate(self, columns: int) -> float:
        return self.last[1] * (columns / self.last[0]) ** 2 if self.last else 0.0


def measure(directory: Path, columns: int, baseline: Baseline) -> str:
    """One table row: suggest on a ``columns``-wide export, then its themes both ways."""
    path = write_export(directory / f"wide-{columns}.csv", columns)
    export = open_export(path, limits=Limits(max_columns=columns + 1))
    suggestion, whole = timed(partial(suggest_codebook, export, survey="bench"))
    questions = export.columns[1:]  # every one answered on the same agree scale
    candidates = [Candidate(c.id, "agree5", read_wording(c)) for c in questions]
    assert len(suggestion.codebook.questions) == len(candidates)
    themes, fast = timed(partial(assign_themes, candidates, set()))
    estimate = baseline.estimate(columns)
    if estimate > baseline.budget:
        shown, ratio = f"not run (about {estimate / 60:,.0f} min)", ""
    else:
        reference, slow = timed(partial(themes_baseline.assign_themes, candidates, set()))
        check(themes, reference, columns)
        baseline.last = (columns, slow)
        shown, ratio = f"{slow:.2f} s", f"×{slow / fast:,.0f}"
    return f"| {columns:,} | {whole:.2f} s | {fast:.3f} s | {shown} | {ratio} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suggest", description=__doc__)
    parser.add_argument("--columns", default="500,2000,8000,32000", help="comma-separated")
    parser.add_argument("--baseline-budget", type=float, default=240.0, metavar="SECONDS")
    args = parser.parse_args(argv)
    baseline = Baseline(args.baseline_budget)
    print(f"Python {platform.python_version()}, {ROWS} respondents per export")
    print("| columns | suggest (whole) | themes | themes, baseline (every pair) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as directory:
        for columns in (int(size) for size in args.columns.split(",")):
            print(measure(Path(directory), columns, baseline), flush=True)
    return 0


def check(themes: Themes, baseline: Themes, columns: int) -> None:
    if themes.questions != baseline.questions:
        raise SystemExit(f"At {columns} columns the themes differ from the baseline's.")
    if themes.notes != baseline.notes:
        raise SystemExit(f"At {columns} columns the notes differ from the baseline's.")


if __name__ == "__main__":
    raise SystemExit(main())

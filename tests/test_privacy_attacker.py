"""The curious colleague, on random small surveys: every question a member of the workspace
may ask, every count printed, and linear algebra over them (``privacy_attacker``) must not
determine how any group of fewer than MIN_GROUP_SIZE people answered.

Surveys: 2–3 segments of 2–6 values with skewed sizes and blanks, one theme asked from both
sides plus a single question, partial answers, two waves. Questions: up to two filters
(one value, two values, or all values but one, not stated included) and at most one
breakdown, in every wave.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from privacy_attacker import Leak, Printed, Respondents, leaks, record
from support import TEAM

from insights import Store, UserError
from insights.answers.catalog import SegmentRef, load_catalog
from insights.answers.engine import Engine, Filters
from insights.answers.findings import Except
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import import_file
from insights.store.columns import counts_for

MIN = 5
SEGMENTS = ("region", "dept", "site")
CODEBOOK = """
[survey]
name = "pulse"
title = "Pulse"
respondent_id = "id"

[scales.agree]
labels = ["Disagree", "Agree"]
positive = ["Agree"]

[[questions]]
column = "p"
theme = "care"
perspective = "personal"
scale = "agree"

[[questions]]
column = "o"
theme = "care"
perspective = "organization"
scale = "agree"

[[questions]]
column = "m"
theme = "measures"
scale = "agree"
"""


def codebook_for(segments: Sequence[str]) -> str:
    return CODEBOOK + "".join(f'\n[[segments]]\ncolumn = "{s}"\n' for s in segments)


def import_waves(
    store: Store, tmp_path: Path, waves: dict[str, pd.DataFrame], segments: Sequence[str]
) -> None:
    """Import raw rows (answers 1/0/NaN) as CSV exports, one file per wave."""
    codebook = parse_codebook(codebook_for(segments), name="pulse.toml")
    for label, frame in waves.items():
        export = frame.copy()
        for q in "pom":
            export[q] = frame[q].map({1.0: "Agree", 0.0: "Disagree"}).fillna("")
        path = tmp_path / f"{label}.csv"
        export.to_csv(path, index=False)
        import_file(store, path, codebook, team_id=TEAM, wave=label, actor="cli:test")


def value_sets(segment: SegmentRef) -> Iterator[tuple[str, ...]]:
    """One value, two values, and everyone but one value (not stated included)."""
    values = list(segment.values)
    for value in values:
        yield (value,)
    yield from itertools.combinations(values, 2)
    if len(values) > 1:
        for value in values:
            yield (*(v for v in values if v != value), "")
            yield Except((value,))  # "everyone but": the engine's own exclusion


def every_question(segments: Sequence[SegmentRef]) -> Iterator[tuple[Filters, SegmentRef | None]]:
    for depth in range(3):
        for chosen in itertools.combinations(segments, depth):
            for sets in itertools.product(*(list(value_sets(s)) for s in chosen)):
                filters: Filters = tuple(zip(chosen, sets, strict=True))
                yield filters, None
                for by in segments:
                    if by not in chosen:
                        yield filters, by


def ask_everything(
    store: Store, waves: dict[str, pd.DataFrame], segments: Sequence[str], k: int = MIN
) -> list[Leak]:
    """What the curious colleague learns: every leak, in every wave."""
    catalog = load_catalog(store, TEAM)
    engine = Engine(counts_for(store), catalog, k)
    found: list[Leak] = []
    for wave in catalog.waves:
        printed = Printed(Respondents(waves[wave.label], segments))
        for filters, by in every_question(catalog.segments):
            said = "gap " + " ".join(
                f"{s.name}{'!=' if isinstance(v, Except) else '='}{','.join(v)}" for s, v in filters
            )
            try:
                if by is None:
                    report = engine.gap(wave, filters)
                else:
                    report = engine.breakdown(wave, by, filters)
                    said += f" by {by.name}"
            except UserError:
                continue  # refused: says only that a group is small, which is public
            record(printed, report, f"{wave.label}: {said}")
        found += leaks(printed, k)
    return found


# -- random surveys ---------------------------------------------------------------------------


def random_wave(
    rng: np.random.Generator, shape: dict[str, int], n: int, params: dict
) -> pd.DataFrame:
    columns: dict[str, object] = {"id": [f"r{i}" for i in range(n)]}
    for segment, count in shape.items():
        weights = 1.0 / np.arange(1, count + 1) ** params["skew"]
        values = rng.choice(
            np.array([f"{segment[0]}{i}" for i in range(count)]), n, p=weights / weights.sum()
        )
        blank = rng.random(n) < params["blank"]
        columns[segment] = np.where(blank, "", values)
    lean = rng.random(n)
    for q, missing in zip("pom", params["missing"], strict=True):
        agree = (rng.random(n) < (0.3 + 0.5 * lean)).astype(float)
        agree[rng.random(n) < missing] = np.nan
        columns[q] = agree
    return pd.DataFrame(columns)


@st.composite
def surveys(draw: st.DrawFn) -> tuple[dict[str, pd.DataFrame], list[str]]:
    segments = list(SEGMENTS[: draw(st.integers(2, 3))])
    shape = {s: draw(st.integers(2, 6)) for s in segments}
    params = {
        "skew": draw(st.sampled_from([0.0, 1.0, 2.0])),
        "blank": draw(st.sampled_from([0.0, 0.05, 0.15])),
        "missing": draw(st.tuples(*[st.sampled_from([0.0, 0.1, 0.3])] * 3)),
    }
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    waves = {
        label: random_wave(rng, shape, draw(st.integers(12, 70)), params) for label in ("w1", "w2")
    }
    return waves, segments


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(survey=surveys())
def test_no_sequence_of_questions_reveals_a_small_group(
    survey: tuple[dict[str, pd.DataFrame], list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    waves, segments = survey
    store = Store.open(":memory:")
    try:
        import_waves(store, tmp_path_factory.mktemp("attacker"), waves, segments)
        found = ask_everything(store, waves, segments)
    finally:
        store.close()
    assert not found, "\n".join(str(leak) for leak in found[:5])

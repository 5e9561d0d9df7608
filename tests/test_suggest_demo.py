"""Suggesting over the bundled demo waves finds what the hand-written codebook says."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from insights import Store
from insights.ingest.codebook import Codebook, load_codebook, parse_codebook
from insights.ingest.exports._model import Export
from insights.ingest.importer import import_export
from insights.ingest.suggest import Suggestion, suggest_codebook

DEMO = Path(__file__).resolve().parents[1] / "insights" / "ingest" / "demo"


def demo_export(wave: str) -> Export:
    frame = pd.read_csv(DEMO / wave, dtype=str, keep_default_na=False)
    return Export.from_frame(frame, name=wave)


@pytest.fixture(scope="module")
def demo_book() -> Codebook:
    return load_codebook(DEMO / "codebook.toml")


@pytest.fixture(scope="module")
def suggested() -> Suggestion:
    return suggest_codebook(demo_export("wave_2022.csv"), survey="empathy-in-action")


def paired_columns(book: Codebook) -> set[frozenset[str]]:
    """Each paired theme as the set of its two columns (names may differ)."""
    themes: dict[str, set[str]] = {}
    for q in book.questions:
        if q.perspective:
            themes.setdefault(q.theme, set()).add(q.column)
    return {frozenset(columns) for columns in themes.values()}


def test_pairs_the_same_columns_as_the_demo_codebook(
    suggested: Suggestion, demo_book: Codebook
) -> None:
    assert paired_columns(suggested.codebook) == paired_columns(demo_book)
    assert paired_columns(demo_book) == {
        frozenset({"necessity_personal", "necessity_organization"}),
        frozenset({"value_personal", "value_organization"}),
    }
    perspective = {q.column: q.perspective for q in suggested.codebook.questions}
    assert perspective == {q.column: q.perspective for q in demo_book.questions}


def test_finds_the_segments_scales_and_respondent_id(
    suggested: Suggestion, demo_book: Codebook
) -> None:
    book = suggested.codebook
    assert [s.key for s in book.segments] == ["role", "seniority", "region"]
    assert book.scales == demo_book.scales
    assert {q.column: q.scale for q in book.questions} == {
        q.column: q.scale for q in demo_book.questions
    }
    assert book.survey.respondent_id == "respondent_id"
    assert "skipped columns: none" in suggested.mapping_lines()


def test_the_suggestion_imports_the_demo_wave(suggested: Suggestion) -> None:
    store = Store.open(":memory:")
    try:
        book = parse_codebook(suggested.to_toml())
        export = demo_export("wave_2022.csv")
        summary = import_export(
            store, export, book, team_id="T-SUGGEST", wave="2022", actor="cli:test"
        )
        assert summary.respondents == len(export.frame())
    finally:
        store.close()


def test_the_numeric_pilot_wave_gets_placeholder_scales() -> None:
    suggestion = suggest_codebook(demo_export("wave_2021_pilot.csv"))
    book = suggestion.codebook
    assert set(book.scales) == {"codes5", "codes2"}
    assert book.scales["codes2"].positive == ["2"]  # the pilot codes "Yes" as 2
    assert paired_columns(book) == {
        frozenset({"necessity_personal", "necessity_organization"}),
        frozenset({"value_personal", "value_organization"}),
    }
    assert [s.key for s in book.segments] == ["role", "seniority", "region"]
    assert sum("exported as numeric codes" in n for n in suggestion.notes) == 2

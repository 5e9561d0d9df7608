"""The published study a team compares itself with (``gap vs benchmark``).

The study's figures live in one data file, ``benchmark.toml``, with their source; this
module validates it and sets a team's figures beside them. The team's figures are the
engine's (``Engine.gap``), so privacy hides and refuses exactly as for ``gap``. Each
exact study figure beside a shown team figure is tested as two independent proportions
(the study's share on its base), Holm-adjusted across every figure the answer tests;
approximate figures (the study gave words, not a number) are shown and never tested.

A team theme maps to a study theme when its name is the study theme's key ("necessity",
"business value", …), case and spacing aside.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from insights.answers.catalog import Catalog
from insights.answers.engine import Engine, Filters, adjustment_notes
from insights.answers.findings import (
    Adjustment,
    BenchmarkReport,
    Except,
    StudyFigure,
    StudyTheme,
    ThemeResult,
)
from insights.answers.stats import (
    Proportion,
    holm,
    percent,
    proportion_difference,
    two_proportion_test,
)
from insights.errors import NotFoundError

Side = Literal["personal", "organization"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1)
    publishers: list[str] = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    document: str = Field(min_length=1)
    respondents: str = Field(min_length=1)

    @property
    def citation(self) -> str:
        """'“Empathy in Action: …” (Alida, Bodine & Co. and …, 2022), from the press release…'"""
        *first, last = self.publishers
        who = f"{', '.join(first)} and {last}" if first else last
        return f"“{self.title}” ({who}, {self.year}), as published in {self.document}"


class Population(_Strict):
    """Whom a study figure is about; ``matches`` the team filter values that select the
    same people (none: the team's figures with no filter)."""

    label: str = Field(min_length=1)
    base: int = Field(ge=10)
    base_estimated: bool
    base_note: str = Field(min_length=1)
    matches: list[str] = Field(default_factory=list)


class StudyShare(_Strict):
    """One published share: ``exact`` as printed, or our reading of the study's ``wording``."""

    share: float = Field(gt=0, lt=1)
    exact: bool
    wording: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _approximate_has_words(self) -> StudyShare:
        if not self.exact and not self.wording:
            raise ValueError("an approximate share needs the study's wording")
        return self

    @property
    def said(self) -> str:
        """'91%', or the study's words for an approximate share."""
        return f"{percent(self.share)}%" if self.exact else str(self.wording)


class StudyThemeData(_Strict):
    key: str = Field(min_length=1)
    population: str
    source_text: str = Field(min_length=1)
    personal: StudyShare | None = None
    organization: StudyShare | None = None

    @model_validator(mode="after")
    def _has_a_figure(self) -> StudyThemeData:
        if self.personal is None and self.organization is None:
            raise ValueError(f"study theme {self.key!r} has no figure")
        return self

    @property
    def sides(self) -> dict[Side, StudyShare]:
        found: dict[Side, StudyShare] = {}
        if self.personal is not None:
            found["personal"] = self.personal
        if self.organization is not None:
            found["organization"] = self.organization
        return found


class Benchmark(_Strict):
    source: Source
    populations: dict[str, Population]
    themes: list[StudyThemeData] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Benchmark:
        keys = [_key(t.key) for t in self.themes]
        if len(set(keys)) != len(keys):
            raise ValueError("study theme keys must be distinct")
        unknown = sorted({t.population for t in self.themes} - set(self.populations))
        if unknown:
            raise ValueError(f"themes name unknown populations: {', '.join(unknown)}")
        return self

    def theme(self, name: str) -> StudyThemeData | None:
        """The study theme a team theme of this name maps to, if any."""
        return next((t for t in self.themes if _key(t.key) == _key(name)), None)


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def parse_benchmark(text: str) -> Benchmark:
    """Validate a benchmark file's text (raises pydantic's ValidationError)."""
    return Benchmark.model_validate(tomllib.loads(text))


@cache
def load_benchmark() -> Benchmark:
    """The bundled study (``benchmark.toml``, shipped with the package)."""
    text = resources.files("insights.answers").joinpath("benchmark.toml").read_text("utf-8")
    return parse_benchmark(text)


def study_theme_keys() -> tuple[str, ...]:
    """The study's theme keys, as a codebook's ``benchmark`` names them."""
    return tuple(theme.key for theme in load_benchmark().themes)


def is_study_theme(name: str) -> bool:
    """Whether ``name`` names a study theme (case, spaces and hyphens aside)."""
    return load_benchmark().theme(name) is not None


def mapped_themes(catalog: Catalog) -> list[tuple[str, StudyThemeData]]:
    """(team theme, study theme) for every theme of the survey the study has figures for:
    the study theme its codebook named (``benchmark``), else the one of its own name."""
    study = load_benchmark()
    found = [(theme.name, study.theme(theme.benchmark or theme.name)) for theme in catalog.themes]
    return [(name, data) for name, data in found if data is not None]


def overview_line(catalog: Catalog) -> str | None:
    """One line for the overview when a theme maps to the study: its exact figures."""
    for name, data in mapped_themes(catalog):
        shares = [share.said for share in data.sides.values() if share.exact]
        if shares:
            return f"Study benchmark: {' / '.join(shares)} on {name} — ask `gap vs benchmark`."
    return None


def compare_with_study(
    engine: Engine, catalog: Catalog, wave_label: str | None, filters: Filters, theme: str | None
) -> BenchmarkReport:
    """The team's figures (through the engine and its privacy) beside the study's."""
    mapped = dict(mapped_themes(catalog))
    if theme is not None and theme not in mapped:
        raise NotFoundError(
            f"The study has no figure for the theme {theme!r}.",
            suggestion=_mapped_hint(mapped),
        )
    if not mapped:
        raise NotFoundError(
            f"No theme of survey {catalog.survey.name!r} matches the published study.",
            suggestion=_mapped_hint(mapped),
        )
    report = engine.gap(catalog.wave(wave_label), filters, theme)
    study = load_benchmark()
    themes = [
        _study_theme(result, mapped[result.theme], study, filters)
        for result in report.themes
        if result.theme in mapped
    ]
    themes = _adjusted(themes)
    # The gap report's own notes, but not how its McNemar tests were adjusted: this answer
    # states other tests, adjusted across themselves.
    theirs = set(adjustment_notes(report.themes))
    notes = tuple(_notes(themes, [note for note in report.notes if note not in theirs]))
    return BenchmarkReport(report.context, tuple(themes), study.source.citation, notes)


def _mapped_hint(mapped: dict[str, StudyThemeData]) -> str:
    keys = ", ".join(f"`{t.key}`" for t in load_benchmark().themes)
    if mapped:
        return f"Themes compared with the study: {', '.join(mapped)}."
    return f"A theme is compared when its name is one of the study's: {keys}."


def _study_theme(
    result: ThemeResult, data: StudyThemeData, study: Benchmark, filters: Filters
) -> StudyTheme:
    population = study.populations[data.population]
    figures = tuple(
        _figure(side, share, team, population.base) for side, share, team in _pairs(result, data)
    )
    return StudyTheme(
        result,
        data.key,
        population.label,
        population.base,
        population.base_estimated,
        population.base_note,
        figures,
        _population_matches(population.matches, filters),
    )


def _pairs(
    result: ThemeResult, data: StudyThemeData
) -> list[tuple[str, StudyShare, Proportion | None]]:
    """Each study share with the team's share of the same side. A team theme with one
    question takes the study figure of its declared perspective, or the study's only one."""
    sides = data.sides
    if result.is_gap:
        measures = {"personal": result.personal, "organization": result.organization}
        return [
            (side, share, measure.share if (measure := measures[side]) else None)
            for side, share in sides.items()
        ]
    single = result.single
    if single is None:
        return []
    declared = single.question.perspective
    if declared in sides:
        return [(str(declared), sides[declared], single.share)]
    if len(sides) == 1:
        side, share = next(iter(sides.items()))
        return [(side, share, single.share)]
    return []


def _figure(side: str, share: StudyShare, team: Proportion | None, base: int) -> StudyFigure:
    """The study's share beside the team's, tested when both are there and it is exact."""
    figure = StudyFigure(side, share.share, share.exact, share.said, team)
    if team is None or not team.n or not share.exact:
        return figure
    published = Proportion(round(share.share * base), base)
    return replace(
        figure,
        difference=proportion_difference(published, team),
        test=two_proportion_test(published, team),
    )


def _adjusted(themes: Sequence[StudyTheme]) -> list[StudyTheme]:
    """Every tested figure's p-value Holm-adjusted across all the answer tests."""
    tests = [f.test for t in themes for f in t.figures if f.test is not None]
    adjusted = iter(holm([test.p_value for test in tests]))
    out = []
    for theme in themes:
        figures = tuple(
            replace(f, adjustment=Adjustment(next(adjusted), len(tests))) if f.test else f
            for f in theme.figures
        )
        out.append(replace(theme, figures=figures))
    return out


def _population_matches(matches: Sequence[str], filters: Filters) -> bool:
    """Whether the team's filters select the study's population: no filter for all
    respondents; one filter of one value the population names (e.g. role = In-house)."""
    if not matches:
        return not filters
    if len(filters) != 1:
        return False
    _segment, values = filters[0]
    wanted = {_key(m) for m in matches}
    return not isinstance(values, Except) and len(values) == 1 and _key(values[0]) in wanted


def _notes(themes: Sequence[StudyTheme], engine_notes: Sequence[str]) -> list[str]:
    """What the reader must know to read the comparison honestly."""
    notes = []
    tested = sum(1 for t in themes for f in t.figures if f.test is not None)
    if tested > 1:
        notes.append(
            f"Each difference is tested as two independent samples (z-test, or Fisher's exact"
            f" test for small counts) on the study's base; p-values are Holm-adjusted across"
            f" the {tested} figures tested."
        )
    elif tested == 1:
        notes.append(
            "The difference is tested as two independent samples (z-test, or Fisher's exact"
            " test for small counts) on the study's base."
        )
    for population in dict.fromkeys((t.population, t.base_note) for t in themes if t.estimated):
        label, why = population
        notes.append(f"The study's base for {label} is an estimate: {why}.")
    if any(not f.exact for t in themes for f in t.figures):
        notes.append(
            "Where the study gave words, not a percentage, its figure is shown as it put it"
            " and not tested."
        )
    return [*notes, *engine_notes]

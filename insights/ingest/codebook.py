"""Codebooks: how the columns of a survey export map onto themes, scales and segments.

A codebook is TOML or YAML with the same shape (see the README, "Codebooks")::

    [survey]            name, title, respondent_id (the id column; default: the platform's
                        response id, else the row number)
    [scales.NAME]       labels (in order), positive (labels that count as agreeing), codes
                        (the numbers a numeric export writes for each label; default 1..k),
                        missing (labels that mean "not answered": in no base, but counted),
                        missing_codes (the numbers a numeric export writes for them)
    [[questions]]       column, theme, perspective (personal | organization | omitted), scale, text
    [[segments]]        column, name (defaults to the column), values (the choices a pulse
                        asked in Slack offers; an import reads any value)
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from insights.answers.benchmark import is_study_theme, study_theme_keys
from insights.errors import CodebookError

Perspective = Literal["personal", "organization"]
SPELLED_OUT = 3  # positive labels named one by one; more are summarised


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyInfo(_Strict):
    name: str = Field(min_length=1, max_length=80)
    title: str | None = None
    respondent_id: str | None = Field(default=None, min_length=1)


class Scale(_Strict):
    """A question's answers in order. ``missing`` lists answers that mean *not answered*
    ("Don't know", "Prefer not to say"): never among ``labels``, stored as unanswered and
    so in no base, but counted per question at import; ``missing_codes``, what a numeric
    export writes for each of them."""

    labels: list[str] = Field(min_length=2)
    positive: list[str] = Field(min_length=1)
    codes: list[int] | None = None
    missing: list[str] = Field(default_factory=list)  # answers meaning "not answered"
    missing_codes: list[int] | None = None

    @model_validator(mode="after")
    def _missing_codes_fit(self) -> Scale:
        if self.missing_codes is None:
            return self
        if len(self.missing_codes) != len(self.missing):
            raise ValueError(
                f"missing_codes lists {len(self.missing_codes)} numbers"
                f" for {len(self.missing)} missing labels"
            )
        shared = sorted(set(self.missing_codes) & set(self.export_codes))
        if len(set(self.missing_codes)) != len(self.missing_codes) or shared:
            raise ValueError("missing_codes must be distinct, and not codes of labels")
        return self

    @model_validator(mode="after")
    def _positive_are_labels(self) -> Scale:
        folded = [label.casefold() for label in self.labels]
        if len(set(folded)) != len(folded):
            raise ValueError("scale labels must be distinct")
        missing = [label.casefold() for label in self.missing]
        if len(set(missing)) != len(missing):
            raise ValueError("missing labels must be distinct")
        both = [label for label in self.missing if label.casefold() in folded]
        if both:
            raise ValueError(
                f"{both} are both answers (labels) and not answers (missing); list each in one"
            )
        if self.codes is not None and len(self.codes) != len(self.labels):
            raise ValueError(f"codes lists {len(self.codes)} numbers for {len(self.labels)} labels")
        if self.codes is not None and len(set(self.codes)) != len(self.codes):
            raise ValueError("codes must be distinct")
        unknown = [p for p in self.positive if p.casefold() not in folded]
        if unknown:
            raise ValueError(f"positive answers {unknown} are not among the labels")
        return self

    @property
    def positive_text(self) -> str:
        """The positive labels as an answer names them, short whatever their number:
        'Agree or Strongly agree'; a run of four or more neighbours on the scale as
        '51 to 100'; any other four or more as 'A, B, C or 5 more'."""
        if len(self.positive) <= SPELLED_OUT:
            return " or ".join(self.positive)
        positions = sorted(self.code_of(label) for label in self.positive)
        if positions == list(range(positions[0], positions[-1] + 1)):
            return f"{self.labels[positions[0] - 1]} to {self.labels[positions[-1] - 1]}"
        first = ", ".join(self.positive[:SPELLED_OUT])
        return f"{first} or {len(self.positive) - SPELLED_OUT} more"

    @property
    def binary(self) -> bool:
        return len(self.labels) == 2

    def code_of(self, label: str) -> int:
        """1-based code of a label (case-insensitive)."""
        return [x.casefold() for x in self.labels].index(label.casefold()) + 1

    @property
    def positive_codes(self) -> list[int]:
        return [self.code_of(label) for label in self.positive]

    @property
    def export_codes(self) -> list[int]:
        """The number a numeric export writes for each label, in label order."""
        return self.codes if self.codes is not None else list(range(1, len(self.labels) + 1))


class Question(_Strict):
    column: str = Field(min_length=1)
    theme: str = Field(min_length=1, max_length=80)
    perspective: Perspective | None = None
    scale: str
    text: str | None = None
    # The published study's theme this question's theme is compared with (``gap vs
    # benchmark``) when its own name is not one: see insights/answers/benchmark.toml.
    benchmark: str | None = Field(default=None, min_length=1, max_length=80)


class Segment(_Strict):
    """A column to break results down by. ``values``: the choices a form offers when the
    bot asks it itself (a Slack pulse); an export's import reads any value."""

    column: str = Field(min_length=1)
    name: str | None = None
    values: list[str] | None = Field(default=None, min_length=1)

    @property
    def key(self) -> str:
        return (self.name or self.column).strip().lower()


class Codebook(_Strict):
    survey: SurveyInfo
    scales: dict[str, Scale]
    questions: list[Question] = Field(min_length=1)
    segments: list[Segment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Codebook:
        problems = []
        for q in self.questions:
            if q.scale not in self.scales:
                problems.append(
                    f"question {q.column!r} uses scale {q.scale!r}, which is not defined"
                )
        seen: dict[tuple[str, str | None], str] = {}
        for q in self.questions:
            key = (q.theme.strip().lower(), q.perspective)
            if key in seen:
                problems.append(
                    f"theme {q.theme!r} has two {q.perspective or 'single-perspective'} "
                    f"questions ({seen[key]!r} and {q.column!r})"
                )
            seen[key] = q.column
        columns = [q.column for q in self.questions] + [s.column for s in self.segments]
        if self.survey.respondent_id:
            columns.append(self.survey.respondent_id)
        dupes = sorted(c for c, uses in Counter(columns).items() if uses > 1)
        if dupes:
            problems.append(f"columns used twice: {', '.join(dupes)}")
        problems += _benchmark_problems(self.questions)
        themes_single = {q.theme.strip().lower() for q in self.questions if q.perspective is None}
        themes_paired = {q.theme.strip().lower() for q in self.questions if q.perspective}
        for theme in sorted(themes_single & themes_paired):
            problems.append(f"theme {theme!r} mixes perspective and single-perspective questions")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def columns(self) -> list[str]:
        return [
            *([self.survey.respondent_id] if self.survey.respondent_id else []),
            *(s.column for s in self.segments),
            *(q.column for q in self.questions),
        ]


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file (``.toml``, ``.yaml`` or ``.yml``)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError(f"Codebook {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CodebookError(f"Codebook {path} cannot be read: {error}.") from None
    return parse_codebook(raw, yaml_format=path.suffix.lower() in {".yaml", ".yml"}, name=str(path))


def parse_codebook(text: str, *, yaml_format: bool = False, name: str = "codebook") -> Codebook:
    try:
        data = yaml.safe_load(text) if yaml_format else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise CodebookError(
            f"Codebook {name} is not valid {'YAML' if yaml_format else 'TOML'}: {error}."
        ) from None
    if not isinstance(data, dict):
        raise CodebookError(
            f"Codebook {name} must be a table with [survey], [scales] and [[questions]]."
        )
    try:
        return Codebook.model_validate(data)
    except ValidationError as error:
        problems = [_describe(e) for e in error.errors()]
        raise CodebookError(f"Codebook {name} is invalid", problems=problems) from None


def _describe(error: object) -> str:
    assert isinstance(error, dict)
    where = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _benchmark_problems(questions: list[Question]) -> list[str]:
    """A ``benchmark`` must name a study theme, and a theme's questions must agree on it."""
    problems = [
        f"question {q.column!r} names benchmark {q.benchmark!r}, which is not a theme of the"
        f" study (one of: {', '.join(study_theme_keys())})"
        for q in questions
        if q.benchmark is not None and not is_study_theme(q.benchmark)
    ]
    named: dict[str, set[str]] = {}
    for q in questions:
        if q.benchmark is not None:
            named.setdefault(q.theme.strip().lower(), set()).add(q.benchmark.strip().casefold())
    problems += [
        f"theme {theme!r} names two study themes ({', '.join(sorted(found))})"
        for theme, found in named.items()
        if len(found) > 1
    ]
    return problems

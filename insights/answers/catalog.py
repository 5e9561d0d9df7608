"""What a team's surveys contain: surveys, waves, questions, themes, segments and values.

Small metadata reads, used by the query language to resolve names and by the engine to
know which questions form a theme. Everything is scoped by ``team_id``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from insights.errors import NoSurveyError, NotFoundError
from insights.store.columns import WAVE_RESPONDENTS_SQL, segment_values
from insights.store.database import Store


@dataclass(frozen=True)
class SurveyRef:
    id: int
    name: str
    title: str
    updated_at: str


@dataclass(frozen=True)
class WaveRef:
    id: int
    label: str
    ordinal: int
    respondents: int
    imported_at: str


@dataclass(frozen=True)
class QuestionRef:
    id: int
    key: str
    text: str
    theme: str
    perspective: str | None
    labels: tuple[str, ...]
    positive_label: str
    binary: bool

    @property
    def kind(self) -> str:
        """'personal question' or 'organization question' only when the codebook declared
        that perspective; otherwise 'single question': a title never invents one."""
        return f"{self.perspective} question" if self.perspective else "single question"


@dataclass(frozen=True)
class SegmentRef:
    id: int
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    name: str
    personal: QuestionRef | None = None
    organization: QuestionRef | None = None
    single: QuestionRef | None = None
    benchmark: str | None = None  # the study theme its codebook named (gap vs benchmark)

    @property
    def paired(self) -> bool:
        return self.personal is not None and self.organization is not None

    @property
    def questions(self) -> list[QuestionRef]:
        return [q for q in (self.personal, self.organization, self.single) if q is not None]


@dataclass(frozen=True)
class Catalog:
    """One survey's metadata, as the query language and the engine need it."""

    survey: SurveyRef
    waves: tuple[WaveRef, ...]
    themes: tuple[Theme, ...]
    segments: tuple[SegmentRef, ...]
    other_surveys: tuple[SurveyRef, ...] = field(default=())
    # wave id → question id → (label, how many chose it) for the scale's missing labels
    missing: dict[int, dict[int, tuple[tuple[str, int], ...]]] = field(default_factory=dict)

    def wave(self, label: str | None) -> WaveRef:
        if label is None:
            return self.waves[-1]
        for wave in self.waves:
            if wave.label.casefold() == label.casefold():
                return wave
        known = ", ".join(w.label for w in self.waves)
        raise NotFoundError(
            f"Survey {self.survey.name!r} has no wave {label!r}.", suggestion=f"Waves: {known}."
        )

    def previous_wave(self, wave: WaveRef) -> WaveRef | None:
        earlier = [w for w in self.waves if w.ordinal < wave.ordinal]
        return earlier[-1] if earlier else None

    def theme(self, name: str) -> Theme:
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise NotFoundError(f"Survey {self.survey.name!r} has no theme {name!r}.")

    def segment(self, name: str) -> SegmentRef:
        for segment in self.segments:
            if segment.name == name:
                return segment
        raise NotFoundError(f"Survey {self.survey.name!r} has no segment {name!r}.")


def list_surveys(store: Store, team_id: str) -> list[SurveyRef]:
    """This team's surveys, most recently imported first."""
    rows = store.db.execute(
        "SELECT id, name, title, updated_at FROM surveys WHERE team_id = ?"
        " ORDER BY updated_at DESC, id DESC",
        [team_id],
    ).fetchall()
    return [SurveyRef(*row) for row in rows]


def load_catalog(store: Store, team_id: str, survey: str | None = None) -> Catalog:
    """The named survey (or the most recently imported one) of this team."""
    surveys = list_surveys(store, team_id)
    if not surveys:
        raise NoSurveyError("No survey has been imported for this workspace yet.")
    chosen = surveys[0]
    if survey is not None:
        matches = [s for s in surveys if s.name.casefold() == survey.casefold()]
        if not matches:
            known = ", ".join(s.name for s in surveys)
            raise NotFoundError(f"There is no survey {survey!r}.", suggestion=f"Surveys: {known}.")
        chosen = matches[0]
    others = tuple(s for s in surveys if s.id != chosen.id)
    waves = _waves(store, chosen.id)
    if not waves:
        raise NotFoundError(f"Survey {chosen.name!r} has no waves with responses yet.")
    return Catalog(
        chosen,
        waves,
        _themes(store, chosen.id),
        _segments(store, chosen.id),
        others,
        _missing(store, chosen.id),
    )


def _missing(store: Store, survey_id: int) -> dict[int, dict[int, tuple[tuple[str, int], ...]]]:
    """Per wave and question, how many chose each missing label, in the scale's order."""
    rows = store.db.execute(
        "SELECT m.wave_id, m.question_id, m.label, m.respondents FROM missing_answers m"
        " JOIN waves w ON w.id = m.wave_id WHERE w.survey_id = ?"
        " ORDER BY m.wave_id, m.question_id, m.ordinal",
        [survey_id],
    ).fetchall()
    found: dict[int, dict[int, list[tuple[str, int]]]] = {}
    for wave_id, question_id, label, respondents in rows:
        found.setdefault(wave_id, {}).setdefault(question_id, []).append((label, respondents))
    return {
        wave: {question: tuple(labels) for question, labels in questions.items()}
        for wave, questions in found.items()
    }


def _waves(store: Store, survey_id: int) -> tuple[WaveRef, ...]:
    rows = store.db.execute(
        f"SELECT w.id, w.label, w.ordinal, {WAVE_RESPONDENTS_SQL}, w.imported_at"
        " FROM waves w WHERE w.survey_id = ? ORDER BY w.ordinal",
        [survey_id],
    ).fetchall()
    return tuple(WaveRef(*row) for row in rows)


def _themes(store: Store, survey_id: int) -> tuple[Theme, ...]:
    rows = store.db.execute(
        "SELECT id, key, text, theme, perspective, scale_labels, positive_label, binary,"
        " benchmark FROM questions WHERE survey_id = ? ORDER BY ordinal",
        [survey_id],
    ).fetchall()
    themes: dict[str, dict[str, QuestionRef]] = {}
    study: dict[str, str] = {}
    for qid, key, text, theme, perspective, labels, positive, binary, benchmark in rows:
        ref = QuestionRef(
            qid, key, text, theme, perspective, tuple(json.loads(labels)), positive, bool(binary)
        )
        themes.setdefault(theme, {})[perspective or "single"] = ref
        if benchmark:
            study[theme] = benchmark
    return tuple(
        Theme(name, **_sides(sides), benchmark=study.get(name)) for name, sides in themes.items()
    )


def _sides(sides: dict[str, QuestionRef]) -> dict[str, QuestionRef]:
    """A theme's questions by side. A question declared personal or organization whose
    other side the codebook lacks is the theme's single question (keeping its perspective):
    a gap needs both sides, so a theme has either a pair or one single question."""
    if len(sides) == 1 and "single" not in sides:
        return {"single": next(iter(sides.values()))}
    return sides


def _segments(store: Store, survey_id: int) -> tuple[SegmentRef, ...]:
    rows = store.db.execute(
        "SELECT id, name FROM segments WHERE survey_id = ? ORDER BY ordinal", [survey_id]
    ).fetchall()
    values = segment_values(store, survey_id)
    return tuple(SegmentRef(sid, name, tuple(values.get(sid, ()))) for sid, name in rows)

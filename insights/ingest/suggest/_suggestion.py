"""The result of a suggestion: a codebook, what to review, and two ways to show it."""

from __future__ import annotations

from dataclasses import dataclass, field

from insights.ingest.codebook import Codebook, Question
from insights.ingest.suggest._review import Review
from insights.ingest.suggest._toml import render, themes


@dataclass(frozen=True)
class Suggestion:
    codebook: Codebook  # valid by construction
    notes: tuple[str, ...] = ()  # what a person should review, plain sentences
    review: Review = field(default_factory=Review, compare=False, hash=False)

    def to_toml(self) -> str:
        """The codebook as commented TOML that :func:`parse_codebook` reads back unchanged."""
        return render(self.codebook, self.notes, self.review)

    def mapping_lines(self) -> list[str]:
        """A short summary for a person to confirm, one line per theme, then the rest."""
        book = self.codebook
        lines = [_theme_line(theme, questions) for theme, questions in themes(book)]
        if book.segments:
            named = (
                f"{s.key} ← {s.column}" if s.key != s.column else s.column for s in book.segments
            )
            lines.append(f"segments: {', '.join(named)}")
        else:
            lines.append("segments: none found")
        for name, scale in book.scales.items():
            todo = " — fill in its labels" if name in self.review.placeholders else ""
            missing = f"; missing: {', '.join(scale.missing)}" if scale.missing else ""
            lines.append(
                f"scale {name}: {scale.labels[0]} … {scale.labels[-1]} "
                f"({len(scale.labels)} points; positive: {_labels(scale.positive)}{missing})"
                f"{todo}"
            )
        lines.append(f"respondent id: {self._respondent_id()}")
        lines.append(_skipped_line(self.review.skipped))
        return lines

    def _respondent_id(self) -> str:
        if self.codebook.survey.respondent_id:
            return f"column {self.codebook.survey.respondent_id}"
        if self.review.export_respondent_id:
            return f"{self.review.export_respondent_id} (the export's response id)"
        return "row number (no id column found)"


def _labels(labels: list[str]) -> str:
    """Labels for one line: a long run (a slider's 51…100) as its ends."""
    if len(labels) <= 6:
        return ", ".join(labels)
    return f"{labels[0]} … {labels[-1]} ({len(labels)} answers)"


def _theme_line(theme: str, questions: list[Question]) -> str:
    by_perspective = {q.perspective: q for q in questions}
    personal, organization = by_perspective.get("personal"), by_perspective.get("organization")
    if personal and organization and len(questions) == 2:
        return (
            f"{theme}: personal {personal.column} ↔ organization {organization.column} "
            f"({personal.scale})"
        )
    described = ", ".join(
        f"{q.perspective + ' ' if q.perspective else ''}{q.column} ({q.scale})" for q in questions
    )
    return f"{theme}: {described}"


def _skipped_line(skipped: dict[str, tuple[str, ...]]) -> str:
    total = sum(len(columns) for columns in skipped.values())
    if not total:
        return "skipped columns: none"
    reasons = ", ".join(f"{len(columns)} {reason}" for reason, columns in skipped.items())
    return f"skipped {total} column(s): {reasons}"

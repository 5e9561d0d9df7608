"""Write a suggested codebook as commented TOML in the house style (insights/ingest/demo)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence

from insights.ingest.codebook import Codebook, Question, Scale, Segment
from insights.ingest.suggest._review import Review

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b"}
_ESCAPES["\f"] = "\\f"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WIDTH = 96


def render(codebook: Codebook, notes: Sequence[str], review: Review) -> str:
    parts = [
        _header(notes, review),
        _survey(codebook, review),
        *(_scale(name, scale, review) for name, scale in codebook.scales.items()),
        *_themes(codebook),
    ]
    if codebook.segments:
        parts.append(_segments(codebook.segments, review))
    return "\n\n".join(parts) + "\n"


def themes(book: Codebook) -> Iterator[tuple[str, list[Question]]]:
    """Questions grouped by theme, themes in order of first appearance."""
    grouped: dict[str, list[Question]] = {}
    for question in book.questions:
        grouped.setdefault(question.theme, []).append(question)
    yield from grouped.items()


def string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped (C1 too:
    TOML allows them raw, but a terminal showing the codebook would obey them)."""
    escaped = "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if _control(ch) else ch) for ch in value
    )
    return f'"{escaped}"'


def _control(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F


def key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else string(name)


def comment(text: str) -> str:
    """Text made safe for one comment line (a newline would end the comment early)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _header(notes: Sequence[str], review: Review) -> str:
    source = comment(review.source) or "a survey export"
    made_from = f"{source} ({review.format} export)" if review.format else source
    lines = [
        f"# Codebook suggested from {made_from}.",
        "# Inferred from the answers: check themes, scales and segments before importing.",
    ]
    if notes:
        lines += ["#", "# To review:"]
        for note in notes:
            wrapped = textwrap.wrap(comment(note), _WIDTH - 6) or [""]
            lines += [f"#   - {wrapped[0]}", *(f"#     {line}" for line in wrapped[1:])]
    return "\n".join(lines)


def _survey(codebook: Codebook, review: Review) -> str:
    survey = codebook.survey
    lines = ["[survey]", f"name = {string(survey.name)}"]
    if survey.title is not None:
        lines.append(f"title = {string(survey.title)}")
    if survey.respondent_id is not None:
        lines.append(f"respondent_id = {string(survey.respondent_id)}")
    elif review.export_respondent_id:
        lines.append(
            f"# respondent_id is left out: the importer uses the export's response id column "
            f"({comment(review.export_respondent_id)})."
        )
    else:
        lines.append("# respondent_id is left out: no id column was found, so rows are numbered.")
    return "\n".join(lines)


def _scale(name: str, scale: Scale, review: Review) -> str:
    about = review.scale_comments.get(name, "")
    lines = [f"# {line}" for line in textwrap.wrap(comment(about), _WIDTH - 2)]
    lines.append(f"[scales.{key(name)}]")
    lines.append(_array("labels", [string(label) for label in scale.labels]))
    lines.append(_array("positive", [string(label) for label in scale.positive]))
    if scale.codes is not None:
        lines.append(_array("codes", [str(code) for code in scale.codes]))
    if scale.missing:
        lines.append("# Answers that mean 'not answered': left out of every base.")
        lines.append(_array("missing", [string(label) for label in scale.missing]))
    return "\n".join(lines)


def _array(name: str, items: list[str]) -> str:
    one_line = f"{name} = [{', '.join(items)}]"
    if len(one_line) <= _WIDTH:
        return one_line
    return "\n".join([f"{name} = [", *(f"    {item}," for item in items), "]"])


def _themes(codebook: Codebook) -> list[str]:
    """Each paired theme under its own heading; single-perspective themes under one."""
    paired, single = [], []
    for theme, questions in themes(codebook):
        tables = "\n\n".join(_question(q) for q in questions)
        if any(q.perspective for q in questions):
            paired.append(f"{_heading(f'{theme}: personal vs organization')}\n\n{tables}")
        else:
            single.append(tables)
    if single:
        single[0] = f"{_heading('Single-perspective themes')}\n\n{single[0]}"
    return paired + single


def _heading(title: str) -> str:
    return f"# --- {comment(title)} ".ljust(_WIDTH - 10, "-")


def _question(question: Question) -> str:
    lines = ["[[questions]]", f"column = {string(question.column)}"]
    lines.append(f"theme = {string(question.theme)}")
    if question.perspective:
        lines.append(f"perspective = {string(question.perspective)}")
    lines.append(f"scale = {string(question.scale)}")
    if question.text is not None:
        lines.append(f"text = {string(question.text)}")
    return "\n".join(lines)


def _segments(segments: list[Segment], review: Review) -> str:
    lines = [_heading("Segments: columns to break results down by")]
    for segment in segments:
        seen = review.segment_values.get(segment.column, ())
        shown = comment(", ".join(seen[:5]) + (", …" if len(seen) > 5 else ""))
        column = f"column = {string(segment.column)}"
        lines += ["", "[[segments]]", f"{column}    # {shown}" if shown else column]
        if segment.name is not None:
            lines.append(f"name = {string(segment.name)}")
    return "\n".join(lines)

"""What a pulse asks: its codebook's segments and questions as form items, and a person's
choices as answer codes.

A pulse stores only codes (:class:`Codes`): for each item, in the codebook's order (segments,
then questions), 0 for "not answered" or the 1-based place of the chosen option. Options are
a segment's ``values``, or a question's scale labels followed by its ``missing`` labels, so a
code always means one option and decodes back to the text the importer reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from insights.errors import CodebookError, UserError
from insights.ingest.codebook import Codebook, parse_codebook

BUILTIN_PATH = Path(__file__).with_name("empathy_in_action.toml")
# What Slack allows in a modal: 100 blocks (one per item, and a few of our own), option
# texts of 75 characters, 100 options per select, labels of 2000 characters.
MAX_ITEMS = 90
MAX_OPTION_CHARS = 75
MAX_OPTIONS = 100
MAX_LABEL_CHARS = 2000

Codes = list[int]
Kind = Literal["segment", "question"]


@dataclass(frozen=True)
class FormItem:
    """One thing a pulse asks: ``key`` (its codebook column), the ``label`` shown, and the
    ``options`` a person picks one of (or none)."""

    key: str
    kind: Kind
    label: str
    options: tuple[str, ...]


def builtin_codebook_text() -> str:
    """The built-in *Empathy in Action* question set, as codebook text."""
    return BUILTIN_PATH.read_text(encoding="utf-8")


def pulse_codebook(text: str) -> Codebook:
    """Parse a question set and check that a pulse can ask it: every segment lists its
    ``values``, and every item fits a Slack form. Raises :class:`CodebookError` naming what
    to change."""
    codebook = parse_codebook(text, name="question set")
    problems = [
        f"segment {segment.column!r} needs `values`: the choices the form offers"
        for segment in codebook.segments
        if not segment.values
    ]
    if codebook.survey.respondent_id:
        problems.append("a pulse numbers its respondents itself: remove `respondent_id`")
    if not problems:
        problems = _form_problems(form_items(codebook))
    if problems:
        raise CodebookError("This question set cannot be asked in Slack", problems=problems)
    return codebook


def _form_problems(items: list[FormItem]) -> list[str]:
    problems = []
    if len(items) > MAX_ITEMS:
        problems.append(f"it asks {len(items)} things; a Slack form holds at most {MAX_ITEMS}")
    for item in items:
        if len(item.label) > MAX_LABEL_CHARS:
            problems.append(f"{item.key!r}: its text is longer than {MAX_LABEL_CHARS} characters")
        if len(item.options) > MAX_OPTIONS:
            problems.append(f"{item.key!r}: more than {MAX_OPTIONS} choices")
        long = [option for option in item.options if len(option) > MAX_OPTION_CHARS]
        if long:
            problems.append(f"{item.key!r}: choices longer than {MAX_OPTION_CHARS} characters")
        if len({option.casefold() for option in item.options}) != len(item.options):
            problems.append(f"{item.key!r}: two choices are spelt the same")
    return problems


def form_items(codebook: Codebook) -> list[FormItem]:
    """Segments first (who you are), then the questions, each with its options in order."""
    items = [
        FormItem(
            segment.column,
            "segment",
            (segment.name or segment.column).strip().capitalize(),
            tuple(segment.values or ()),
        )
        for segment in codebook.segments
    ]
    for question in codebook.questions:
        scale = codebook.scales[question.scale]
        label = question.text or question.column
        items.append(FormItem(question.column, "question", label, (*scale.labels, *scale.missing)))
    return items


def encode(codebook: Codebook, chosen: dict[str, str | None]) -> Codes:
    """``chosen`` (item key → option text, or None/absent for not answered) as codes.
    Raises :class:`UserError` for an option the item does not offer or an unknown key."""
    items = form_items(codebook)
    unknown = sorted(set(chosen) - {item.key for item in items})
    if unknown:
        raise UserError(f"The form sent answers this pulse does not ask: {', '.join(unknown)}.")
    codes = []
    for item in items:
        option = chosen.get(item.key)
        if option is None or option == "":
            codes.append(0)
            continue
        if option not in item.options:
            raise UserError(f"“{option}” is not one of the choices for “{item.label}”.")
        codes.append(item.options.index(option) + 1)
    if not any(codes):
        raise UserError("Answer at least one question to take part.")
    return codes


def decode(codebook: Codebook, codes: Codes) -> dict[str, str]:
    """Codes back to option texts by item key; "" for not answered."""
    items = form_items(codebook)
    if len(codes) != len(items):
        raise ValueError(f"{len(codes)} codes for {len(items)} items")
    return {
        item.key: item.options[code - 1] if code else ""
        for item, code in zip(items, codes, strict=True)
    }

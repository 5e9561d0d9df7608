"""Recognising which platform's layout a header follows, or checking a forced one.

Recognisers are tried from the most to the least specific: each looks for marks no other
platform writes (Qualtrics' ImportId row, SurveyMonkey's "Response" row), and plain fits
any header, so detection always ends somewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from insights.errors import ImportFailed
from insights.ingest.exports._header import (
    Header,
    NotThisLayout,
    Plan,
    as_id,
    clean_text,
    grid_parts,
    layout,
)
from insights.ingest.exports._model import FORMATS, Column
from insights.ingest.exports._qualtrics import legacy, qualtrics, two_rows
from insights.ingest.exports._surveymonkey import surveymonkey

GOOGLE_METADATA = frozenset({"Timestamp", "Email address", "Email Address", "Score"})
LABELS: dict[str, str] = {
    "qualtrics": "Qualtrics",
    "qualtrics-legacy": "legacy Qualtrics",
    "surveymonkey": "SurveyMonkey",
    "google-forms": "Google Forms",
    "plain": "plain (one header row)",
}


def _one_row(header: Header, metadata: frozenset[str]) -> list[Column]:
    """Columns named by a single header row; ``Question [Row]`` marks a grid row."""
    columns = []
    for text in header.row(0):
        question, row = grid_parts(text)
        if question and row:
            question, row = clean_text(question), clean_text(row)
        columns.append(Column(as_id(text), clean_text(text), text in metadata, question, row))
    return columns


def google_forms(header: Header) -> Plan:
    """A Google Forms response sheet: ``Timestamp`` first, then one column per question."""
    if header.cell(0, 0) != "Timestamp":
        raise NotThisLayout("its first column should be 'Timestamp'")
    return Plan(layout(header, "google-forms", 1, _one_row(header, GOOGLE_METADATA)))


def plain(header: Header) -> Plan:
    """One header row, one row per respondent: fits any file with a usable header."""
    return Plan(layout(header, "plain", 1, _one_row(header, frozenset())))


def any_qualtrics(header: Header) -> Plan:
    """Today's Qualtrics layout, or the same without its import-id row."""
    try:
        return qualtrics(header)
    except NotThisLayout as misfit:
        try:
            return two_rows(header)
        except NotThisLayout:
            raise misfit from None


RECOGNISERS: dict[str, Callable[[Header], Plan]] = {
    "qualtrics": any_qualtrics,
    "qualtrics-legacy": legacy,
    "surveymonkey": surveymonkey,
    "google-forms": google_forms,
    "plain": plain,
}


def detect(header: Header) -> Plan:
    """The first layout that fits, plain if no platform's marks are there."""
    for recogniser in RECOGNISERS.values():
        try:
            return recogniser(header)
        except NotThisLayout:
            continue
    return plain(header)


def recognise(header: Header, forced: str | None = None) -> Plan:
    """The layout of ``header``: detected, or the forced one with the reason it misfits."""
    if forced is None:
        return detect(header)
    if forced not in RECOGNISERS:
        raise ImportFailed(
            f"Unknown export format {forced!r}: choose one of {', '.join(FORMATS)}, "
            "or leave the format out to detect it from the header."
        )
    try:
        return RECOGNISERS[forced](header)
    except NotThisLayout as misfit:
        raise ImportFailed(
            f"File {header.name} is not a {LABELS[forced]} export: {misfit}. Check the format "
            "you chose, or leave it out to detect the layout from the header."
        ) from None

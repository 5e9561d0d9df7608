"""Recognising SurveyMonkey exports (CSV or XLSX, same two header rows), old and new.

SurveyMonkey writes a question's text only above its first column; the row below names
each column of a grid or multiple-choice question. Column ids follow the Google Forms
convention, ``Question [Row]``, so a codebook reads the same for both platforms.

Exports made before SurveyMonkey's 2017 redesign start ``RespondentID, CollectorID,
StartDate, …, LastName, Custom Data`` instead of ``Respondent ID, Collector ID, …``, and
often carry markup (``<br>``) and non-breaking spaces in their labels; both are read alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from insights.ingest.exports._header import (
    Header,
    NotThisLayout,
    Plan,
    as_id,
    clean_text,
    layout,
    unique,
)
from insights.ingest.exports._model import Column

METADATA = frozenset(
    {
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        # the same columns as exports made before 2017 name them
        "RespondentID",
        "CollectorID",
        "StartDate",
        "EndDate",
        "LastName",
        "Custom Data",
    }
)
CUSTOM_DATA = re.compile(r"^Custom Data \d+$")
ANSWER_LABELS = frozenset({"Response", "Open-Ended Response"})
RESPONDENT_IDS = ("Respondent ID", "RespondentID")


def _groups(header: Header, width: int) -> Iterator[tuple[str, list[str]]]:
    """Each question's text with the row-2 labels of its columns, left to right."""
    labels: list[str]
    top, labels = "", []
    for position in range(width):
        text = clean_text(header.records[0][position]) if position < len(header.records[0]) else ""
        if text and position:
            yield top, labels
            labels = []
        top = text or top
        labels.append(clean_text(header.cell(1, position)))
    yield top, labels


def _question(top: str, labels: list[str]) -> list[Column]:
    """The columns of one question: its own id where it has one answer column."""
    if top in METADATA or CUSTOM_DATA.match(top):
        return [Column(as_id(top), top, metadata=True) for _ in labels]
    if len(labels) == 1 and labels[0] in ANSWER_LABELS | {""}:
        return [Column(as_id(top), top)]
    return [
        Column(as_id(top), top)
        if label in {"Response", ""}
        else Column(f"{as_id(top)} [{as_id(label)}]", f"{top} [{label}]", False, top, label)
        for label in labels
    ]


def _labelled_without_response(header: Header, width: int) -> bool:
    """Whether row 2 names columns that row 1 leaves nameless: a survey of multiple-choice
    and grid questions only has no "Response" label, yet its second row is still a header."""
    return any(
        not header.cell(0, position) and header.cell(1, position) for position in range(1, width)
    )


def surveymonkey(header: Header) -> Plan:
    """Row 1: metadata then question texts; row 2: "Response" or each column's label."""
    first = header.cell(0, 0)
    if first not in RESPONDENT_IDS:
        raise NotThisLayout("its first row should start with 'Respondent ID'")
    width = max(len(header.records[0]), len(header.records[1]) if len(header.records) > 1 else 0)
    note = None
    if not ANSWER_LABELS & {clean_text(c) for c in header.row(1)}:
        if not _labelled_without_response(header, width):
            raise NotThisLayout(
                "its second row should say 'Response' under single-answer questions"
            )
        note = (
            f"Read {header.name} as a SurveyMonkey export with two header rows: it starts "
            f"with {first!r} and its second row names answer columns that the first leaves "
            "blank, although no column is labelled 'Response'."
        )
    columns = [c for top, labels in _groups(header, width) for c in _question(top, labels)]
    ids = unique([c.id for c in columns])
    columns = [replace(c, id=i) for c, i in zip(columns, ids, strict=True)]
    return Plan(layout(header, "surveymonkey", 2, columns, first, note))

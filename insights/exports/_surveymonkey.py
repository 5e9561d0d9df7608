"""Recognising SurveyMonkey exports (CSV or XLSX, same two header rows).

SurveyMonkey writes a question's text only above its first column; the row below names
each column of a grid or multiple-choice question. Column ids follow the Google Forms
convention, ``Question [Row]``, so a codebook reads the same for both platforms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from insights.exports._header import Header, NotThisLayout, Plan, as_id, layout, unique
from insights.exports._model import Column

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
    }
)
CUSTOM_DATA = re.compile(r"^Custom Data \d+$")
ANSWER_LABELS = frozenset({"Response", "Open-Ended Response"})


def _groups(header: Header, width: int) -> Iterator[tuple[str, list[str]]]:
    """Each question's text with the row-2 labels of its columns, left to right."""
    labels: list[str]
    top, labels = "", []
    for position in range(width):
        text = header.records[0][position].strip() if position < len(header.records[0]) else ""
        if text and position:
            yield top, labels
            labels = []
        top = text or top
        labels.append(header.cell(1, position))
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


def surveymonkey(header: Header) -> Plan:
    """Row 1: metadata then question texts; row 2: "Response" or each column's label."""
    if header.cell(0, 0) != "Respondent ID":
        raise NotThisLayout("its first row should start with 'Respondent ID'")
    if not ANSWER_LABELS & set(header.row(1)):
        raise NotThisLayout("its second row should say 'Response' under single-answer questions")
    width = max(len(header.records[0]), len(header.records[1]))
    columns = [c for top, labels in _groups(header, width) for c in _question(top, labels)]
    ids = unique([c.id for c in columns])
    columns = [replace(c, id=i) for c, i in zip(columns, ids, strict=True)]
    return Plan(layout(header, "surveymonkey", 2, columns, respondent_id="Respondent ID"))

"""Recognising Qualtrics exports: today's three header rows, and the legacy two-row layout.

Qualtrics names every column with a stable id (``Q3_1``) and puts the question text in
the row below, so ids come from row 1 and texts from row 2. Matrix rows are exported as
``Question text - Row statement``; the split is found from the sibling columns of one
question, so a question text that itself contains " - " is not cut in the wrong place.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence

from insights.exports._header import Header, NotThisLayout, Plan, as_id, layout
from insights.exports._model import Column

METADATA = frozenset(
    {
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
        "LocationAccuracy",
        "DistributionChannel",
        "UserLanguage",
    }
)
LEGACY_VARIABLE = re.compile(r"^V\d+$")
SUBCOLUMN = re.compile(r"^(?P<base>.+)_(?P<sub>\d+)$")  # QID3_1, QID5#1_2; not QID2_4_TEXT
SEPARATOR = " - "


def _import_id(cell: str) -> str | None:
    """The ImportId of a row-3 cell, or None where the JSON is damaged."""
    try:
        value = json.loads(cell)
    except ValueError:
        return None
    found = value.get("ImportId") if isinstance(value, dict) else None
    return found if isinstance(found, str) else None


def _shared_start(texts: Sequence[str]) -> str:
    """The longest start all ``texts`` share (comparing the extremes is enough)."""
    first, last = min(texts), max(texts)
    same = 0
    while same < min(len(first), len(last)) and first[same] == last[same]:
        same += 1
    return first[:same]


def _split(texts: Sequence[str]) -> list[tuple[str, str] | None]:
    """Question and row of each sibling text, cut at the last " - " they all share."""
    shared = _shared_start(texts) if len(texts) > 1 else None
    cut = shared.rfind(SEPARATOR) if shared is not None else texts[0].find(SEPARATOR)
    if cut <= 0:
        return [None] * len(texts)
    parts = [(t[:cut].strip(), t[cut + len(SEPARATOR) :].strip()) for t in texts]
    return [part if part[1] else None for part in parts]


def _grid_rows(keys: Sequence[str | None], texts: Sequence[str]) -> dict[int, tuple[str, str]]:
    """Question and row of every column that is one row of a matrix, by column position."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        match = SUBCOLUMN.match(key or "")
        if match:
            groups[match["base"]].append(position)
    found: dict[int, tuple[str, str]] = {}
    for positions in groups.values():
        for position, part in zip(positions, _split([texts[p] for p in positions]), strict=True):
            if part:
                found[position] = part
    return found


def _columns(
    ids: Sequence[str], texts: Sequence[str], keys: Sequence[str | None], metadata: Sequence[bool]
) -> list[Column]:
    """Columns with matrix rows split; ``keys`` group a question's columns (None: no key)."""
    grid = _grid_rows([None if m else k for k, m in zip(keys, metadata, strict=True)], texts)
    columns = []
    for position, (column_id, text, meta) in enumerate(zip(ids, texts, metadata, strict=True)):
        question, row = grid.get(position, (None, None))
        columns.append(Column(column_id, text, meta, question, row))
    return columns


def qualtrics(header: Header) -> Plan:
    """Today's Qualtrics layout: ids, question texts, then ``{"ImportId": …}`` JSON."""
    third = header.cell(2, 0)
    if not third.startswith('{"ImportId"'):
        found = f"starts with {third[:40]!r}" if third else "is missing"
        raise NotThisLayout(
            f'its third row should hold import ids like {{"ImportId":"QID1"}}, but it {found}'
        )
    ids = [as_id(c) for c in header.row(0)]
    texts = [header.cell(1, i) for i in range(len(ids))]
    keys = [_import_id(header.cell(2, i)) for i in range(len(ids))]
    metadata = [
        column_id in METADATA or (key is not None and not key.startswith("QID"))
        for column_id, key in zip(ids, keys, strict=True)
    ]
    columns = _columns(ids, texts, [k or i for k, i in zip(keys, ids, strict=True)], metadata)
    return Plan(
        layout(header, "qualtrics", 3, columns, respondent_id="ResponseId"),
        status="Status" if "Status" in ids else None,
        finished="Finished" if "Finished" in ids else None,
    )


def legacy(header: Header) -> Plan:
    """The pre-2017 Qualtrics layout: ``V1…V10`` then question ids, with labels below."""
    ids = [as_id(c) for c in header.row(0)]
    if ids[:1] != ["V1"] or header.cell(1, 0) != "ResponseID":
        raise NotThisLayout(
            "its first row should start V1, V2, V3, … and its second ResponseID, ResponseSet, …"
        )
    texts = [header.cell(1, i) for i in range(len(ids))]
    metadata = [bool(LEGACY_VARIABLE.match(c)) or c in METADATA for c in ids]
    named = {t: c for c, t in zip(ids, texts, strict=True) if LEGACY_VARIABLE.match(c)}
    return Plan(
        layout(header, "qualtrics-legacy", 2, _columns(ids, texts, ids, metadata), "V1"),
        status=named.get("Status"),
        finished=named.get("Finished"),
    )

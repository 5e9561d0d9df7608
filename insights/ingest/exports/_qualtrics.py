"""Recognising Qualtrics exports: today's three header rows, and the legacy two-row layout.

Qualtrics names every column with a stable id (``Q3_1``) and puts the question text in
the row below, so ids come from row 1 and texts from row 2, cleaned of the markup, line
breaks and tabs rich-text questions carry. Row 3 holds import ids: JSON today, a Python
style ``{'ImportId': 'QID2-1'}`` in 2016's "Insights" exports. Matrix rows are exported as
``Question text - Row statement``; the split is found from the sibling columns of one
question, so a question text that itself contains " - " is not cut in the wrong place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from insights.ingest.exports._header import Header, NotThisLayout, Plan, as_id, clean_text, layout
from insights.ingest.exports._model import Column

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
# QID3_1, QID5#1_2, 2016's QID2-1; not QID2_4_TEXT
SUBCOLUMN = re.compile(r"^(?P<base>.+)[_-](?P<sub>\d+)$")
SEPARATOR = " - "
IMPORT_ID = re.compile(r"""^\{\s*(?P<q>["'])ImportId(?P=q)\s*:\s*(?P=q)(?P<id>[^"']*)(?P=q)""")
# Columns every response export has, whatever the survey: enough of them in row 1, with
# their display names below, mark a Qualtrics export whose import-id row was deleted.
ALWAYS = ("StartDate", "EndDate", "Finished", "RecordedDate", "ResponseId", "ResponseID")


def _import_id(cell: str) -> str | None:
    """The ImportId of a row-3 cell (JSON or 2016's single quotes), None where damaged."""
    match = IMPORT_ID.match(cell)
    return match["id"] if match else None


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
    if _import_id(third) is None:
        found = f"starts with {third[:40]!r}" if third else "is missing"
        raise NotThisLayout(
            f'its third row should hold import ids like {{"ImportId":"QID1"}}, but it {found}'
        )
    ids = [as_id(c) for c in header.row(0)]
    texts = [clean_text(header.cell(1, i)) for i in range(len(ids))]
    keys = [_import_id(header.cell(2, i)) for i in range(len(ids))]
    metadata = [
        column_id in METADATA or (key is not None and not key.startswith("QID"))
        for column_id, key in zip(ids, keys, strict=True)
    ]
    columns = _columns(ids, texts, [k or i for k, i in zip(keys, ids, strict=True)], metadata)
    return Plan(
        layout(header, "qualtrics", 3, columns, _response_id(ids)),
        status="Status" if "Status" in ids else None,
        finished="Finished" if "Finished" in ids else None,
    )


def _response_id(ids: Sequence[str]) -> str:
    return "ResponseID" if "ResponseID" in ids and "ResponseId" not in ids else "ResponseId"


def two_rows(header: Header) -> Plan:
    """Today's layout without its import-id row (deleted, or an export made without it).

    Only chosen when row 1 holds the response id and others of the columns every Qualtrics
    export has, and row 2 names them differently (``StartDate`` above ``Start Date``): a
    respondent's row would hold dates and codes there. The layout says so, as it is a guess.
    """
    ids = [as_id(c) for c in header.row(0)]
    marks = [i for i, c in enumerate(ids) if c in ALWAYS]
    names = {i: clean_text(header.cell(1, i)) for i in marks}
    renamed = [i for i, name in names.items() if name and name != ids[i]]
    if (
        len(marks) < 2
        or not {"ResponseId", "ResponseID"} & set(ids)
        or len(renamed) < len(marks)
        or any(ch.isdigit() for name in names.values() for ch in name)
    ):
        raise NotThisLayout(
            "its first row should hold Qualtrics column ids (StartDate, ResponseId, …) "
            "and its second their names (Start Date, Response ID, …)"
        )
    texts = [clean_text(header.cell(1, i)) for i in range(len(ids))]
    metadata = [c in METADATA for c in ids]
    note = (
        f"Read {header.name} as a Qualtrics export with two header rows (column ids, then "
        f"question texts): its first row names {', '.join(ids[i] for i in marks)}, but the "
        "third row of import ids that Qualtrics writes is missing."
    )
    return Plan(
        layout(
            header, "qualtrics", 2, _columns(ids, texts, ids, metadata), _response_id(ids), note
        ),
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
    texts = [clean_text(header.cell(1, i)) for i in range(len(ids))]
    metadata = [bool(LEGACY_VARIABLE.match(c)) or c in METADATA for c in ids]
    named = {t: c for c, t in zip(ids, texts, strict=True) if LEGACY_VARIABLE.match(c)}
    return Plan(
        layout(header, "qualtrics-legacy", 2, _columns(ids, texts, ids, metadata), "V1"),
        status=named.get("Status"),
        finished=named.get("Finished"),
    )

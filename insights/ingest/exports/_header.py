"""What the layout recognisers share: the header as read, the plan they return, and checks.

Readers hand recognisers the first records of a file as plain strings, so recognising a
layout never depends on whether the file was CSV, TSV or XLSX.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from insights.errors import ImportFailed
from insights.ingest.exports._model import Column, Format, Layout

HEADER_RECORDS = 3  # the most header rows any layout uses (Qualtrics)


@dataclass(frozen=True)
class Header:
    """The first records of a file, after any wholly blank rows above them."""

    name: str  # the file's name, for messages
    records: tuple[tuple[str, ...], ...]  # at most HEADER_RECORDS, trailing blank cells cut
    lead: int = 0  # blank rows above the first record: they still count as file rows

    def cell(self, record: int, column: int) -> str:
        """A header cell, or "" where the record is missing or shorter (trailing blanks)."""
        if record >= len(self.records) or column >= len(self.records[record]):
            return ""
        return self.records[record][column].strip()

    def row(self, record: int) -> tuple[str, ...]:
        """A whole header record, cells stripped (spacing around a name is never meant)."""
        return tuple(c.strip() for c in self.records[record]) if record < len(self.records) else ()


@dataclass(frozen=True)
class Plan:
    """A recognised layout plus the columns that decide whether a respondent is kept."""

    layout: Layout
    status: str | None = None  # id of the column telling previews/tests from real answers
    finished: str | None = None  # id of the column telling complete responses from partial


class NotThisLayout(Exception):
    """Raised by a recogniser whose layout does not fit; the message says what was expected."""


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column, as people see it in Excel (0 → A, 26 → AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def as_id(text: str) -> str:
    """A column id from header text: line breaks and runs of spaces become one space.

    Question texts often hold line breaks; an id is typed into a codebook, so it stays on
    one line. ``Column.text`` keeps the text as written.
    """
    return " ".join(text.split())


MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")  # <br>, <br />, <p>, <span style=…>, </b>
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Header text as a person should read it: on one line, without markup.

    Platforms export question texts with HTML tags (Qualtrics' rich text, SurveyMonkey's
    ``<br>``), entities (``&nbsp;``), line breaks, tabs and stray NULs; Slack would show
    them as tags or blank lines. Tags become spaces, entities their characters, and every
    run of whitespace one space.
    """
    text = html.unescape(MARKUP.sub(" ", UNPRINTABLE.sub(" ", text)))
    return " ".join(text.split())


GRID = re.compile(r"^(?P<question>.*\S)\s*\[(?P<row>[^\[\]]+)\]$", re.DOTALL)


def grid_parts(text: str) -> tuple[str | None, str | None]:
    """Question and row of a ``Question [Row]`` header (Google Forms' grid convention)."""
    match = GRID.match(text)
    if not match:
        return None, None
    return match["question"].strip(), match["row"].strip()


def check_ids(name: str, columns: Sequence[Column]) -> None:
    """Refuse a header with nameless or repeated columns: the importer could not tell them apart."""
    ids = [c.id for c in columns]
    problems = [f"column {letter(i)} has no name" for i, c in enumerate(ids) if not c]
    positions: dict[str, list[int]] = {}
    for i, column_id in enumerate(ids):
        if column_id:
            positions.setdefault(column_id, []).append(i)
    for repeated, found in positions.items():
        if len(found) > 1:
            problems.append(f"{repeated!r} names columns {_letters(found)}")
    if problems:
        raise ImportFailed(
            f"File {name} has a header that cannot be used (give every column its own name "
            "in the header row and try again)",
            problems=problems,
        )


def _letters(positions: Sequence[int], shown: int = 5) -> str:
    """'A and C', or 'A and C and … and K and 12 more' for a name repeated across a sheet."""
    named = " and ".join(map(letter, positions[:shown]))
    more = len(positions) - shown
    return f"{named} and {more} more" if more > 0 else named


def unique(ids: Sequence[str]) -> list[str]:
    """Ids made distinct by numbering repeats ("Comments", "Comments (2)")."""
    seen: dict[str, int] = {}
    result = []
    for column_id in ids:
        count = seen.get(column_id, 0) + 1
        seen[column_id] = count
        result.append(column_id if count == 1 else f"{column_id} ({count})")
    return result


def layout(
    header: Header,
    format: Format,
    rows: int,
    columns: Sequence[Column],
    respondent_id: str | None = None,
    note: str | None = None,
) -> Layout:
    """A checked layout; ``rows`` is how many of the header's records it used, ``note``
    why it was chosen where the header's marks were not conclusive."""
    check_ids(header.name, columns)
    if respondent_id not in {c.id for c in columns}:
        respondent_id = None  # the column was deleted before the file was shared
    return Layout(format, header.lead + rows, tuple(columns), respondent_id, note)

"""Checking and coding one chunk of respondents against a codebook.

Every problem is collected rather than raised, so one import run can name them all; the
same problem on many rows is listed once with the first few row numbers.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pandas as pd

from insights.ingest.codebook import Codebook, Question, Scale
from insights.ingest.distinct import Distinct
from insights.ingest.exports import Layout
from insights.ingest.exports._limits import EXCEL_CELL_CHARS

MAX_ROWS_NAMED = 5  # per problem, so a broken column doesn't produce 10,000 row numbers
MAX_HINTED = 10  # missing columns given a "did you mean"; each costs a look at every column
SHOWN_CHARS = 60  # of a cell's text quoted in a problem


def rows_text(rows: Sequence[int], total: int | None = None) -> str:
    """'2, 3, 4, 5, 6 (and 5 more)': the first rows of a problem and how many others."""
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_NAMED])
    more = (total if total is not None else len(rows)) - min(len(rows), MAX_ROWS_NAMED)
    return shown + (f" (and {more} more)" if more > 0 else "")


@dataclass
class Problems:
    """Problems found so far, merged across chunks by what went wrong and where."""

    _rows: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _counts: dict[tuple[str, str], int] = field(default_factory=dict)
    _plain: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        self._plain.append(problem)

    def at_rows(self, where: str, what: str, rows: Sequence[int]) -> None:
        """``where`` names the column, ``what`` the problem; rows accumulate across chunks."""
        key = (where, what)
        kept = self._rows.setdefault(key, [])
        kept.extend(rows[: MAX_ROWS_NAMED - len(kept)])
        self._counts[key] = self._counts.get(key, 0) + len(rows)

    def __bool__(self) -> bool:
        return bool(self._plain or self._rows)

    def listed(self) -> list[str]:
        by_first_row = sorted(self._rows, key=lambda key: self._rows[key][0])
        return [*self._plain, *(self._located(key) for key in by_first_row)]

    def _located(self, key: tuple[str, str]) -> str:
        count = self._counts[key]
        rows = rows_text(self._rows[key], count)
        return f"{'rows' if count > 1 else 'row'} {rows}, {key[0]}: {key[1]}"


def missing_columns(layout: Layout, codebook: Codebook, id_column: str | None) -> list[str]:
    """Codebook columns the export lacks, each with the closest column names it has."""
    wanted = [*([id_column] if id_column else []), *codebook.columns]
    have = layout.ids
    present = set(have)
    problems: list[str] = []
    for column in dict.fromkeys(wanted):
        if column in present:
            continue
        close = difflib.get_close_matches(column, have, n=2, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        if len(problems) >= MAX_HINTED:
            hint = ""
        problems.append(f"column {column!r} named in the codebook is missing from the file{hint}")
    return problems


def shown(text: str) -> str:
    """A cell's text as a problem quotes it: its start only, when it is long."""
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")


def _too_long(too_long: pd.Series, column: str, max_chars: int, problems: Problems) -> None:
    """A problem naming the rows ``too_long`` marks: cells that would be stored, longer
    than a cell may be (the reader's ``max_cell_chars``)."""
    rows = too_long.index[too_long.to_numpy(dtype=bool, na_value=False)]
    if len(rows):
        what = f"the cell holds more than {max_chars:,} characters, the most a cell may"
        problems.at_rows(f"column {column!r}", what, list(rows))


def respondent_ids(
    frame: pd.DataFrame, id_column: str | None, problems: Problems, max_chars: int
) -> pd.Series:
    """The respondents' ids, or their row numbers when the export has no id column."""
    if id_column is None:
        return pd.Series(frame.index.astype(str), index=frame.index)
    ids = frame[id_column].str.strip()
    blank = ids.index[ids.to_numpy(dtype=object) == ""]  # numpy compares 10x faster than pandas
    if len(blank):
        problems.at_rows(f"column {id_column!r}", "respondent id is empty", list(blank))
    _too_long(ids.str.len() > max_chars, id_column, max_chars, problems)
    return ids


def segment_values(values: pd.Series, problems: Problems, max_chars: int) -> pd.Series:
    """A segment column's values stripped, NA where blank."""
    distinct = Distinct.of(values)
    texts = distinct.texts.str.strip()
    long = (texts.str.len() > max_chars).astype("boolean")
    _too_long(distinct.spread(long), str(values.name), max_chars, problems)
    return distinct.spread(texts.where(texts != ""))


@dataclass
class MissingTally:
    """How many respondents chose each of a scale's ``missing`` labels ("Don't know"), per
    question column, accumulated across chunks: ``counts[column][label]``. Every declared
    label of every question that has any is present, with 0 when nobody chose it."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, column: str, label: str, respondents: int) -> None:
        labels = self.counts.setdefault(column, {})
        labels[label] = labels.get(label, 0) + respondents


def code_answers(
    frame: pd.DataFrame,
    question: Question,
    codebook: Codebook,
    problems: Problems,
    missing: MissingTally | None = None,
) -> pd.Series:
    """A question's answers as positions 1..k on its scale (NA where blank).

    Labels match case-insensitively; a numeric export's codes match the scale's ``codes``;
    a text that is both a label and another label's code is the label. An answer that is
    one of the scale's ``missing`` labels (or ``missing_codes``) is NA too (not answered),
    and counted in ``missing``.
    """
    scale = codebook.scales[question.scale]
    positions = range(1, len(scale.labels) + 1)
    # Codes first, so a label wins where it is also another label's code: on a scale
    # labelled "0" … "6" (codes 1 … 7 by default), "5" is the label "5", not code 5.
    exact = {str(code): i for code, i in zip(scale.export_codes, positions, strict=True)}
    exact |= dict(zip(scale.labels, positions, strict=True))
    # Missing labels code as -1, -2, …: told apart from blanks here, NA once tallied.
    exact |= {label: -(i + 1) for i, label in enumerate(scale.missing)}
    exact |= {str(code): -(i + 1) for i, code in enumerate(scale.missing_codes or ())}
    folded = {label.casefold(): i for label, i in exact.items()}
    distinct = Distinct.of(frame[question.column])
    texts = distinct.texts
    # A text written exactly as a label or code is taken as it is; only the rest are
    # stripped and folded, so an exact match always wins over a case-insensitive one.
    codes = texts.map(exact)
    loose = codes.isna() & (texts != "")
    if loose.any():
        texts = texts.where(~loose, texts[loose].str.strip())
        codes = codes.where(~loose, texts[loose].str.casefold().map(folded))
    unknown = (texts != "") & codes.isna()
    if unknown.any():
        bad = distinct.spread(texts.where(unknown)).dropna()
        _report_unknown(question, scale, bad, problems)
    coded = distinct.spread(codes.astype("Int64"))
    if scale.missing:
        _tally_missing(coded, question, scale, missing)
        coded = coded.where(coded > 0)
    return coded


def _tally_missing(
    coded: pd.Series, question: Question, scale: Scale, missing: MissingTally | None
) -> None:
    """Count the answers coded as missing labels (-1, -2, …) into ``missing``."""
    if missing is None:
        return
    chosen = coded[coded < 0].value_counts()
    for i, label in enumerate(scale.missing):
        missing.add(question.column, label, int(chosen.get(-(i + 1), 0)))


def _report_unknown(question: Question, scale: Scale, bad: pd.Series, problems: Problems) -> None:
    """One problem per unknown answer text (``bad``: those texts, by row), naming its rows."""
    expected = (
        f"expected one of: {', '.join(scale.labels)}; or a code {_codes_text(scale.export_codes)}"
    )
    if scale.missing:
        expected += f"; or, as not answered, {', '.join(scale.missing)}"
    for value, rows in bad.groupby(bad, sort=False).groups.items():
        problems.at_rows(
            f"column {question.column!r}",
            f"{shown(str(value))} is not an answer on scale {question.scale!r} ({expected})",
            list(rows),
        )


def _codes_text(codes: Sequence[int]) -> str:
    contiguous = list(codes) == list(range(codes[0], codes[0] + len(codes)))
    return f"{codes[0]}–{codes[-1]}" if contiguous else ", ".join(map(str, codes))


def coded_chunk(
    frame: pd.DataFrame,
    codebook: Codebook,
    id_column: str | None,
    problems: Problems,
    max_chars: int = EXCEL_CELL_CHARS,
    missing: MissingTally | None = None,
) -> pd.DataFrame:
    """One chunk as rows to stage: row, external_id, segment values, answer positions.
    Texts that would be stored (ids, segment values) may hold at most ``max_chars``;
    answers that are a ``missing`` label are staged as unanswered and counted there."""
    coded = pd.DataFrame(
        {
            "row": frame.index.astype("int64"),
            "external_id": respondent_ids(frame, id_column, problems, max_chars),
        },
        index=frame.index,
    )
    for i, segment in enumerate(codebook.segments):
        coded[f"s{i}"] = segment_values(frame[segment.column], problems, max_chars)
    for i, question in enumerate(codebook.questions):
        coded[f"q{i}"] = code_answers(frame, question, codebook, problems, missing)
    return coded


def staged_rows(coded: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    """The rows of a :func:`coded_chunk` as plain Python values (None where missing).

    Converted a column at a time, as ``tolist`` makes a whole column's Python objects in C;
    ``astype(object)`` with ``itertuples`` does the same cell by cell, at over twice the cost.
    """
    arrays = (column.array for _, column in coded.items())
    columns = [values.to_numpy(dtype=object, na_value=None).tolist() for values in arrays]
    return zip(*columns, strict=True)

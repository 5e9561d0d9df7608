"""Importing a plain CSV export (one row per respondent) through a codebook.

An import is validated completely before anything is written, and then written in one
transaction: a file with any problem leaves the database exactly as it was. Importing
the same survey and wave label again replaces that wave.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from insights.codebook import Codebook, Question
from insights.errors import ImportFailed
from insights.store import Store

MAX_ROWS_NAMED = 5  # per problem kind, so a broken column doesn't produce 10,000 lines


@dataclass(frozen=True)
class ImportSummary:
    survey: str
    wave: str
    respondents: int
    answers: int
    themes: list[str]
    replaced: bool

    def describe(self) -> str:
        verb = "Replaced" if self.replaced else "Imported"
        return (
            f"{verb} wave {self.wave!r} of survey {self.survey!r}: {self.respondents} respondents, "
            f"{self.answers} answers, themes: {', '.join(self.themes)}."
        )


def read_csv_text(path: str | Path) -> str:
    """Read a file as text, naming the line of the first undecodable byte if it is not UTF-8."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"File {path} does not exist.") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise ImportFailed(f"File {path} cannot be read: {error.strerror}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFailed(
            f"File {path} is not UTF-8 text: the byte 0x{data[error.start]:02x} on row {line} "
            "cannot be decoded. Save the export as 'CSV UTF-8' and try again."
        ) from None


def parse_csv(text: str, name: str) -> pd.DataFrame:
    if not text.strip():
        raise ImportFailed(f"File {name} is empty: there is no header row and no respondents.")
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        reason = " ".join(str(error).split())  # pandas' messages end in a newline
        raise ImportFailed(f"File {name} is not a readable CSV: {reason}.") from None
    if frame.empty:
        raise ImportFailed(f"File {name} has a header row but no respondents.")
    frame.columns = [str(c).strip() for c in frame.columns]
    # pandas renames a repeated column ('m', 'm.1'); keep the header as written to catch it.
    try:
        rows = csv.reader(io.StringIO(text))
        frame.attrs["header"] = next((r for r in rows if any(c.strip() for c in r)), [])
    except csv.Error:
        pass  # pandas read it; fall back to its column names
    # Spreadsheet row numbers: the header is row 1, so the first respondent is row 2.
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _rows(index: pd.Index) -> str:
    rows = [str(r) for r in index[:MAX_ROWS_NAMED]]
    more = len(index) - len(rows)
    return ", ".join(rows) + (f" (and {more} more)" if more else "")


def _check_columns(frame: pd.DataFrame, codebook: Codebook) -> list[str]:
    missing = [c for c in codebook.columns if c not in frame.columns]
    header = [str(c).strip() for c in frame.attrs.get("header", frame.columns)]
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    problems = [f"column {c!r} named in the codebook is missing from the file" for c in missing]
    problems += [f"column {c!r} appears more than once in the header" for c in dupes]
    return problems


def _check_ids(ids: pd.Series, column: str) -> list[str]:
    problems = []
    blank = ids[ids == ""]
    if len(blank):
        problems.append(f"row {_rows(blank.index)}, column {column!r}: respondent id is empty")
    dupes = ids[(ids != "") & ids.duplicated(keep=False)]
    for value, rows in dupes.groupby(dupes).groups.items():
        problems.append(
            f"rows {_rows(pd.Index(rows))}, column {column!r}: respondent id {value!r} is repeated"
        )
    return problems


def _code_answers(
    frame: pd.DataFrame, question: Question, codebook: Codebook
) -> tuple[pd.Series, list[str]]:
    """Map a question column's labels or numeric codes to scale codes (NA where blank)."""
    scale = codebook.scales[question.scale]
    lookup = {label.casefold(): i for i, label in enumerate(scale.labels, start=1)}
    lookup |= {str(i): i for i in range(1, len(scale.labels) + 1)}
    raw = frame[question.column].str.strip()
    codes = raw.str.casefold().map(lookup)
    bad = raw[(raw != "") & codes.isna()]
    problems = []
    for value, rows in bad.groupby(bad).groups.items():
        choices = ", ".join(scale.labels)
        problems.append(
            f"row {_rows(pd.Index(rows))}, column {question.column!r}: {value!r} is not an "
            f"answer on scale {question.scale!r} (expected one of: {choices}; "
            f"or a code 1–{len(scale.labels)})"
        )
    return codes.astype("Int64"), problems


@dataclass(frozen=True)
class _Prepared:
    ids: pd.Series
    segments: dict[str, pd.Series]
    answers: pd.DataFrame  # columns: external_id, key, value, positive


def prepare(frame: pd.DataFrame, codebook: Codebook, name: str) -> _Prepared:
    """Validate everything at once; raises ImportFailed listing every problem found."""
    problems = _check_columns(frame, codebook)
    if problems:
        raise ImportFailed(f"File {name} does not match the codebook", problems=problems)
    ids = frame[codebook.survey.respondent_id].str.strip()
    problems += _check_ids(ids, codebook.survey.respondent_id)
    parts = []
    for question in codebook.questions:
        codes, found = _code_answers(frame, question, codebook)
        problems += found
        positive = codes.isin(codebook.scales[question.scale].positive_codes).astype(int)
        part = pd.DataFrame(
            {"external_id": ids, "key": question.column, "value": codes, "positive": positive}
        )
        parts.append(part[codes.notna()])
    if problems:
        raise ImportFailed(f"File {name} cannot be imported", problems=problems)
    segments = {s.key: frame[s.column].str.strip() for s in codebook.segments}
    return _Prepared(ids=ids, segments=segments, answers=pd.concat(parts, ignore_index=True))


def import_frame(
    store: Store,
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    team_id: str,
    survey: str | None = None,
    wave: str,
    name: str = "file",
) -> ImportSummary:
    """Validate ``frame`` against ``codebook`` and write it as one wave, all or nothing."""
    prepared = prepare(frame, codebook, name)
    survey_name = (survey or codebook.survey.name).strip()
    wave = wave.strip()
    if not survey_name or not wave:
        raise ImportFailed("A survey name and a wave label are both needed to import.")
    with store.transaction():
        survey_id = _upsert_survey(store, team_id, survey_name, codebook)
        question_ids = _upsert_questions(store, survey_id, codebook)
        segment_ids = _upsert_segments(store, survey_id, codebook)
        wave_id, replaced = _replace_wave(store, survey_id, wave)
        respondent_ids = _insert_respondents(store, wave_id, prepared.ids)
        _insert_segments(store, respondent_ids, segment_ids, prepared.segments, prepared.ids)
        answers = _insert_answers(store, respondent_ids, question_ids, prepared.answers)
    themes = list(dict.fromkeys(q.theme.strip().lower() for q in codebook.questions))
    return ImportSummary(survey_name, wave, len(prepared.ids), answers, themes, replaced)


def import_csv(
    store: Store,
    path: str | Path,
    codebook: Codebook,
    *,
    team_id: str,
    survey: str | None = None,
    wave: str | None = None,
) -> ImportSummary:
    """Import a plain CSV; the wave label defaults to the file's name without extension."""
    path = Path(path)
    frame = parse_csv(read_csv_text(path), path.name)
    return import_frame(
        store,
        frame,
        codebook,
        team_id=team_id,
        survey=survey,
        wave=wave or path.stem,
        name=path.name,
    )


def _upsert_survey(store: Store, team_id: str, name: str, codebook: Codebook) -> int:
    title = codebook.survey.title or name
    store.db.execute(
        "INSERT INTO surveys (team_id, name, title) VALUES (?, ?, ?) "
        "ON CONFLICT (team_id, name) DO UPDATE SET title = excluded.title, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        [team_id, name, title],
    )
    row = store.db.execute(
        "SELECT id FROM surveys WHERE team_id = ? AND name = ?", [team_id, name]
    ).fetchone()
    return int(row[0])


def _upsert_questions(store: Store, survey_id: int, codebook: Codebook) -> dict[str, int]:
    for ordinal, q in enumerate(codebook.questions):
        scale = codebook.scales[q.scale]
        store.db.execute(
            "INSERT INTO questions (survey_id, key, text, theme, perspective, scale_labels,"
            " positive_label, binary, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (survey_id, key) DO UPDATE SET text = excluded.text,"
            " theme = excluded.theme, perspective = excluded.perspective,"
            " scale_labels = excluded.scale_labels, positive_label = excluded.positive_label,"
            " binary = excluded.binary, ordinal = excluded.ordinal",
            [
                survey_id,
                q.column,
                q.text or q.column,
                q.theme.strip().lower(),
                q.perspective,
                json.dumps(scale.labels),
                " or ".join(scale.positive),
                int(scale.binary),
                ordinal,
            ],
        )
    rows = store.db.execute("SELECT key, id FROM questions WHERE survey_id = ?", [survey_id])
    return {key: qid for key, qid in rows}


def _upsert_segments(store: Store, survey_id: int, codebook: Codebook) -> dict[str, int]:
    for ordinal, segment in enumerate(codebook.segments):
        store.db.execute(
            "INSERT INTO segments (survey_id, name, ordinal) VALUES (?, ?, ?)"
            " ON CONFLICT (survey_id, name) DO UPDATE SET ordinal = excluded.ordinal",
            [survey_id, segment.key, ordinal],
        )
    rows = store.db.execute("SELECT name, id FROM segments WHERE survey_id = ?", [survey_id])
    return {name: sid for name, sid in rows}


def _replace_wave(store: Store, survey_id: int, label: str) -> tuple[int, bool]:
    existing = store.db.execute(
        "SELECT id, ordinal FROM waves WHERE survey_id = ? AND label = ?", [survey_id, label]
    ).fetchone()
    if existing:
        store.db.execute("DELETE FROM waves WHERE id = ?", [existing[0]])
        ordinal = existing[1]
    else:
        row = store.db.execute(
            "SELECT COALESCE(MAX(ordinal), 0) + 1 FROM waves WHERE survey_id = ?", [survey_id]
        ).fetchone()
        ordinal = row[0]
    cursor = store.db.execute(
        "INSERT INTO waves (survey_id, label, ordinal) VALUES (?, ?, ?)",
        [survey_id, label, ordinal],
    )
    return int(cursor.lastrowid or 0), existing is not None


def _insert_respondents(store: Store, wave_id: int, ids: pd.Series) -> pd.Series:
    store.db.conn.executemany(
        "INSERT INTO respondents (wave_id, external_id) VALUES (?, ?)",
        ((wave_id, external) for external in ids),
    )
    rows = store.db.execute(
        "SELECT external_id, id FROM respondents WHERE wave_id = ?", [wave_id]
    ).fetchall()
    return pd.Series(dict(rows), name="respondent_id")


def _insert_segments(
    store: Store,
    respondent_ids: pd.Series,
    segment_ids: dict[str, int],
    segments: dict[str, pd.Series],
    ids: pd.Series,
) -> None:
    respondent_of_row = ids.map(respondent_ids)
    for key, values in segments.items():
        present = values != ""
        rows = zip(
            respondent_of_row[present].tolist(),
            [segment_ids[key]] * int(present.sum()),
            values[present].tolist(),
            strict=True,
        )
        store.db.conn.executemany(
            "INSERT INTO respondent_segments (respondent_id, segment_id, value) VALUES (?, ?, ?)",
            rows,
        )


def _insert_answers(
    store: Store, respondent_ids: pd.Series, question_ids: dict[str, int], answers: pd.DataFrame
) -> int:
    frame = pd.DataFrame(
        {
            "respondent_id": answers["external_id"].map(respondent_ids).astype(int),
            "question_id": answers["key"].map(question_ids).astype(int),
            "value": answers["value"].astype(int),
            "positive": answers["positive"].astype(int),
        }
    )
    store.db.conn.executemany(
        "INSERT INTO answers (respondent_id, question_id, value, positive) VALUES (?, ?, ?, ?)",
        frame.itertuples(index=False, name=None),
    )
    return len(frame)

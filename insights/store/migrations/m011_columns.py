"""Migration 11, "answers as columns per wave": frozen with it, never to change.

Builds, for every wave without one, its column set in format 1 from the respondent table
``responses_<survey id>`` (``s<id>`` TEXT per segment, ``p<id>`` 0/1 per question, NULL
when not stated or unanswered), respondents in ``respondents.id`` order:

* ``wave_columns`` row of kind ``segment``: per respondent 0 when not stated, else ``i`` for
  ``labels[i - 1]``; ``labels`` the sorted stated values as a JSON list; codes in the
  narrowest of uint8, uint16 and uint32 that holds them;
* ``wave_columns`` row of kind ``question``: int8 per respondent, 0 unanswered, 1 answered
  and not positive, 2 positive; ``labels`` NULL;
* ``wave_column_sets`` row: respondents, how many answers (non-zero question codes) and a
  fresh uuid4 hex ``version``.

Reads a wave in chunks of rows so that only small integers are kept per respondent.
Imports nothing from the application: what the application writes may change, what this
migration wrote may not.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

import numpy as np
import pandas as pd

_CHUNK = 100_000


def build_missing_columns(conn: sqlite3.Connection) -> list[int]:
    """Build the column set of every wave that has none; the wave ids built, in order."""
    waves = [
        int(row[0])
        for row in conn.execute(
            "SELECT id FROM waves WHERE id NOT IN (SELECT wave_id FROM wave_column_sets)"
            " ORDER BY id"
        )
    ]
    for wave_id in waves:
        _build_wave(conn, wave_id)
    return waves


def _build_wave(conn: sqlite3.Connection, wave_id: int) -> None:
    (survey_id,) = conn.execute("SELECT survey_id FROM waves WHERE id = ?", [wave_id]).fetchone()
    table = f"responses_{int(survey_id)}"
    have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    segments = [sid for sid in _ids(conn, "segments", survey_id) if f"s{sid}" in have]
    questions = [qid for qid in _ids(conn, "questions", survey_id) if f"p{qid}" in have]
    seen: list[dict[str, int]] = [{} for _ in segments]  # value -> code, in order first seen
    segment_parts: list[list[np.ndarray]] = [[] for _ in segments]
    question_parts: list[list[np.ndarray]] = [[] for _ in questions]
    respondents = 0
    if have:
        selected = [f"x.s{sid}" for sid in segments] + [f"x.p{qid}" for qid in questions]
        cursor = conn.execute(
            f"SELECT {', '.join(selected) or 'NULL'} FROM respondents r JOIN {table} x"
            " ON x.respondent_id = r.id WHERE r.wave_id = ? ORDER BY r.id",
            [wave_id],
        )
        while rows := cursor.fetchmany(_CHUNK):
            frame = pd.DataFrame(rows, columns=list(range(len(selected) or 1)), dtype=object)
            respondents += len(frame)
            for i in range(len(segments)):
                segment_parts[i].append(_first_seen_codes(frame[i], seen[i]))
            for j in range(len(questions)):
                question_parts[j].append(_question_codes(frame[len(segments) + j]))
    rows_out: list[tuple[object, ...]] = []
    answers = 0
    for sid, known, parts in zip(segments, seen, segment_parts, strict=True):
        codes, labels = _sorted_codes(_joined(parts, np.uint32), list(known))
        rows_out.append(
            (wave_id, "segment", sid, json.dumps(labels), str(codes.dtype), codes.tobytes())
        )
    for qid, parts in zip(questions, question_parts, strict=True):
        codes = _joined(parts, np.int8)
        answers += int(np.count_nonzero(codes))
        rows_out.append((wave_id, "question", qid, None, str(codes.dtype), codes.tobytes()))
    conn.execute(
        "INSERT INTO wave_column_sets (wave_id, respondents, answers, version) VALUES (?, ?, ?, ?)",
        [wave_id, respondents, answers, uuid.uuid4().hex],
    )
    conn.executemany(
        "INSERT INTO wave_columns (wave_id, kind, key, labels, dtype, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows_out,
    )


def _ids(conn: sqlite3.Connection, table: str, survey_id: int) -> list[int]:
    rows = conn.execute(f"SELECT id FROM {table} WHERE survey_id = ? ORDER BY id", [survey_id])
    return [int(row[0]) for row in rows]


def _first_seen_codes(values: pd.Series, known: dict[str, int]) -> np.ndarray:
    """0 for NULL, else the value's code in ``known`` (a new value gets the next code)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = np.array([known.setdefault(str(u), len(known) + 1) for u in uniques] + [0])
    return lookup[codes].astype(np.uint32)


def _question_codes(positive: pd.Series) -> np.ndarray:
    flags = pd.to_numeric(positive).to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(flags), 0, np.where(flags == 1, 2, 1)).astype(np.int8)


def _sorted_codes(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes re-numbered so that labels are sorted, in the narrowest unsigned type."""
    order = sorted(range(len(labels)), key=lambda i: labels[i])
    renumber = np.zeros(len(labels) + 1, dtype=np.int64)
    renumber[[i + 1 for i in order]] = np.arange(1, len(labels) + 1)
    dtype = np.uint8 if len(labels) < 255 else np.uint16 if len(labels) < 65535 else np.uint32
    return renumber[codes].astype(dtype), [labels[i] for i in order]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

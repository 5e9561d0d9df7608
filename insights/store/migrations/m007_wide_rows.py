"""Migration 7, "one row per respondent": frozen with it, never to change.

Moves a survey's respondent-level data from one row per answer (``answers``) and per
segment value (``respondent_segments``) to one row per respondent in ``responses_<survey
id>``: ``respondent_id`` (→ ``respondents``, ON DELETE CASCADE), then ``s<segment id>`` TEXT
per segment and ``a<question id>``, ``p<question id>`` INTEGER per question, in id order
as the survey's rows list them. Imports nothing from the application.
"""

from __future__ import annotations

import sqlite3


def move_responses(conn: sqlite3.Connection, survey_id: int) -> None:
    """Create the survey's wide table and copy every respondent of its waves into it."""
    survey_id = int(survey_id)
    segments = _ids(conn, "segments", survey_id)
    questions = _ids(conn, "questions", survey_id)
    columns: list[tuple[str, str, str]] = []  # name, type, the SELECT that fills it
    for sid in segments:
        value = (
            "(SELECT value FROM respondent_segments"
            f" WHERE respondent_id = r.id AND segment_id = {sid})"
        )
        columns.append((f"s{sid}", "TEXT", value))
    for qid in questions:
        for prefix, field in (("a", "value"), ("p", "positive")):
            answer = (
                f"(SELECT {field} FROM answers WHERE respondent_id = r.id AND question_id = {qid})"
            )
            columns.append((f"{prefix}{qid}", "INTEGER", answer))
    table = f"responses_{survey_id}"
    declared = "".join(f", {name} {kind}" for name, kind, _ in columns)
    conn.execute(
        f"CREATE TABLE {table} (respondent_id INTEGER PRIMARY KEY"
        f" REFERENCES respondents(id) ON DELETE CASCADE{declared})"
    )
    names = ", ".join(["respondent_id", *(name for name, _, _ in columns)])
    selected = ", ".join(["r.id", *(select for _, _, select in columns)])
    conn.execute(
        f"INSERT INTO {table} ({names}) SELECT {selected}"
        " FROM respondents r JOIN waves w ON w.id = r.wave_id WHERE w.survey_id = ?"
        " ORDER BY r.id",
        [survey_id],
    )


def _ids(conn: sqlite3.Connection, table: str, survey_id: int) -> list[int]:
    rows = conn.execute(f"SELECT id FROM {table} WHERE survey_id = ? ORDER BY id", [survey_id])
    return [int(row[0]) for row in rows]

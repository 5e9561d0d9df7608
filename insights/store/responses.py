"""The respondent-level store: one table per survey, one row per respondent.

``responses_<survey id>`` holds, beside ``respondent_id`` (→ ``respondents``, ON DELETE
CASCADE, so a wave's rows go with its respondents):

* ``s<segment id>`` TEXT: the respondent's value of that segment; NULL when not stated;
* ``a<question id>`` INTEGER: the answer's position on the question's scale (1..k);
  NULL when unanswered;
* ``p<question id>`` INTEGER: 1 when that answer counted as positive under the codebook the
  wave was imported with, else 0; NULL when unanswered.

Wide, like the exports it comes from, because one row per respondent is what a million
respondents can afford: the earlier design (one row per answer and per segment value) spent
25 of the 45 seconds an import of a million respondents took writing 14 million rows, and
its GROUP BYs had to join them back together. A later wave's codebook may add questions or
segments; their columns are added then and are NULL for the waves before. Column names are
built from ids, never from names anyone typed, so they are safe to put into SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlite_utils

from insights.errors import ImportFailed

# SQLite's default SQLITE_MAX_COLUMN: a table cannot have more columns than this.
MAX_COLUMNS = 2000


def table_name(survey_id: int) -> str:
    return f"responses_{int(survey_id)}"


def segment_column(segment_id: int) -> str:
    return f"s{int(segment_id)}"


def answer_column(question_id: int) -> str:
    return f"a{int(question_id)}"


def positive_column(question_id: int) -> str:
    return f"p{int(question_id)}"


def ensure_table(
    db: sqlite_utils.Database,
    survey_id: int,
    segment_ids: Iterable[int],
    question_ids: Iterable[int],
) -> str:
    """The survey's table, created or widened to hold these segments and questions; its name.

    Raises ImportFailed when the survey would need more columns than SQLite allows.
    """
    name = table_name(survey_id)
    wanted = {segment_column(sid): "TEXT" for sid in segment_ids}
    for qid in question_ids:
        wanted |= {answer_column(qid): "INTEGER", positive_column(qid): "INTEGER"}
    if not db[name].exists():
        db.execute(
            f"CREATE TABLE {name} (respondent_id INTEGER PRIMARY KEY"
            " REFERENCES respondents(id) ON DELETE CASCADE)"
        )
    have = set(db[name].columns_dict)
    missing = [column for column in wanted if column not in have]
    if len(have) + len(missing) > MAX_COLUMNS:
        raise ImportFailed(
            f"This survey would need {len(have) + len(missing)} columns to store its answers;"
            f" SQLite allows {MAX_COLUMNS} (two per question, one per segment)."
            " Import fewer questions."
        )
    for column in missing:
        db.execute(f"ALTER TABLE {name} ADD COLUMN {column} {wanted[column]}")
    return name


def drop_table(db: sqlite_utils.Database, survey_id: int) -> None:
    """For a survey that is gone: its ids may be handed out again, its columns must not be."""
    db.execute(f"DROP TABLE IF EXISTS {table_name(survey_id)}")


def survey_of_wave(db: sqlite_utils.Database, wave_id: int) -> int | None:
    row = db.execute("SELECT survey_id FROM waves WHERE id = ?", [wave_id]).fetchone()
    return None if row is None else int(row[0])


def stated_values(
    db: sqlite_utils.Database, survey_id: int, wave_ids: Sequence[int], segment_ids: Iterable[int]
) -> list[tuple[int, str]]:
    """Every distinct (segment id, value) stated in these waves of the survey."""
    name = table_name(survey_id)
    if not wave_ids or not db[name].exists():
        return []
    have = set(db[name].columns_dict)
    marks = ", ".join("?" for _ in wave_ids)
    found: list[tuple[int, str]] = []
    for sid in segment_ids:
        column = segment_column(sid)
        if column not in have:
            continue
        rows = db.execute(
            f"SELECT DISTINCT x.{column} FROM respondents r JOIN {name} x"
            f" ON x.respondent_id = r.id WHERE r.wave_id IN ({marks}) AND x.{column} IS NOT NULL",
            list(wave_ids),
        ).fetchall()
        found += [(int(sid), str(value)) for (value,) in rows]
    return found

"""Importing a survey export through a codebook: streamed, checked, then written at once.

The export is read in chunks (bounded memory, whatever its size). Each chunk is checked and
coded, and staged in a temporary table; problems are collected, not raised, so one run
names them all. Only when the whole file is clean is it written, in one transaction, by SQL
over the staged rows: a file with any problem leaves the database exactly as it was.
Importing the same survey and wave label again replaces that wave.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from insights.answers.privacy import merges_for
from insights.errors import ImportFailed
from insights.ingest.checks import (
    MissingTally,
    Problems,
    coded_chunk,
    missing_columns,
    rows_text,
    staged_rows,
)
from insights.ingest.codebook import Codebook
from insights.ingest.column_builder import ColumnBuilder
from insights.ingest.exports import (
    DEFAULT_LIMITS,
    Export,
    Format,
    Layout,
    Limits,
    Progress,
    open_export,
)
from insights.store import audit, columns, responses
from insights.store.counts import KnownMerges
from insights.store.database import Store

CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class ImportSummary:
    survey: str
    wave: str
    respondents: int
    answers: int
    themes: list[str]
    replaced: bool
    excluded: dict[str, int] = field(default_factory=dict)
    source: str = ""
    layout_note: str = ""  # which layout the export was read as, where that was a guess
    missing: dict[str, int] = field(default_factory=dict)  # answers per missing label

    def describe(self) -> str:
        verb = "Replaced" if self.replaced else "Imported"
        text = (
            f"{verb} wave {self.wave!r} of survey {self.survey!r}: {self.respondents} respondents, "
            f"{self.answers} answers, themes: {', '.join(self.themes)}."
        )
        if self.missing:
            chosen = ", ".join(f"{count} “{label}”" for label, count in self.missing.items())
            text += f" Counted as not answered (missing labels): {chosen}."
        if self.excluded:
            text += f" Left out {describe_excluded(self.excluded)}."
        if self.layout_note:
            text += f" {self.layout_note}"
        return text


def describe_excluded(excluded: dict[str, int]) -> str:
    """'3 rows (2 survey preview, 1 unfinished)'."""
    total = sum(excluded.values())
    reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(excluded.items()))
    return f"{total} row{'s' if total != 1 else ''} ({reasons})"


def import_file(
    store: Store,
    path: str | Path,
    codebook: Codebook,
    *,
    team_id: str,
    survey: str | None = None,
    wave: str | None = None,
    format: Format | None = None,
    include_previews: bool = False,
    include_unfinished: bool = False,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
    actor: str,
    min_group_size: int | None = None,
) -> ImportSummary:
    """Import an export file of any supported layout; the wave defaults to the file's stem.
    A file past ``limits`` is refused as soon as reading finds out. ``actor``: who imports
    it, for the audit entry (see :func:`import_export`)."""
    export = open_export(
        path,
        format=format,
        include_previews=include_previews,
        include_unfinished=include_unfinished,
        limits=limits,
    )
    return import_export(
        store,
        export,
        codebook,
        team_id=team_id,
        survey=survey,
        wave=wave or Path(path).stem,
        progress=progress,
        actor=actor,
        min_group_size=min_group_size,
    )


def import_export(
    store: Store,
    export: Export,
    codebook: Codebook,
    *,
    team_id: str,
    survey: str | None = None,
    wave: str,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    actor: str,
    source: str | None = None,
    also: Callable[[ImportSummary], None] | None = None,
    min_group_size: int | None = None,
) -> ImportSummary:
    """Check every respondent of ``export`` against ``codebook``; write one wave, all or nothing.

    The wave and its audit entry (``import`` or ``replace`` by ``actor``, naming ``source``,
    the file as the person knows it, by default the export's name) are one transaction:
    both are committed or neither is. ``also`` runs inside that transaction once the wave
    is written, with its summary: what it writes is committed with the wave or not at all
    (e.g. forgetting the upload the wave came from). With ``min_group_size``, the values
    privacy merges in the wave are worked out before the write lock and kept with it, so
    that no process pays for that on its first question.
    """
    survey_name, wave = (survey or codebook.survey.name).strip(), wave.strip()
    if not survey_name or not wave:
        raise ImportFailed("A survey name and a wave label are both needed to import.")
    id_column = codebook.survey.respondent_id or export.layout.respondent_id
    missing = missing_columns(export.layout, codebook, id_column)
    if missing:
        raise ImportFailed(f"File {export.name} does not match the codebook", problems=missing)
    missing_answers = MissingTally()
    built = ColumnBuilder(codebook)
    with _staging(store, codebook) as stage:
        kept = _stage_all(
            store, stage, export, codebook, id_column, progress, chunk_rows, missing_answers, built
        )
        if kept == 0:
            raise ImportFailed(_nothing_to_import(export), left_out=dict(export.excluded))
        wave_columns = built.build(range(len(codebook.segments)), range(len(codebook.questions)))
        merges = None
        if min_group_size is not None:
            merges = (min_group_size, merges_for(wave_columns, min_group_size))
        with store.transaction():
            survey_id = _upsert_survey(store, team_id, survey_name, codebook)
            wave_id, replaced = _replace_wave(store, survey_id, wave)
            target = _Target(
                survey_id,
                wave_id,
                _upsert_questions(store, survey_id, codebook, export.layout),
                _upsert_segments(store, survey_id, codebook),
            )
            answers = _write_wave(store, stage, wave_columns, merges, target, codebook)
            _write_missing(store, target, codebook, missing_answers)
            themes = list(dict.fromkeys(q.theme.strip().lower() for q in codebook.questions))
            summary = ImportSummary(
                survey_name,
                wave,
                kept,
                answers,
                themes,
                replaced,
                dict(export.excluded),
                export.name if source is None else source,
                export.layout.note or "",
                _missing_total(missing_answers),
            )
            audit.record_import(store, team_id, actor, summary)
            if also is not None:
                also(summary)
    return summary


def _nothing_to_import(export: Export) -> str:
    """Why an export with a header has nothing to import, in words any edge can show: how
    to keep the rows left out is the edge's to say (it knows its own options)."""
    if export.excluded:
        return (
            f"File {export.name} has no respondents left to import: it left out "
            f"{describe_excluded(dict(export.excluded))}."
        )
    return f"File {export.name} has a header row but no respondents."


@contextmanager
def _staging(store: Store, codebook: Codebook) -> Iterator[str]:
    """A temporary table for the coded rows; dropped whatever happens."""
    name = f"import_stage_{uuid.uuid4().hex[:12]}"
    segments = "".join(f", s{i} TEXT" for i in range(len(codebook.segments)))
    questions = "".join(f", q{i} INTEGER" for i in range(len(codebook.questions)))
    store.db.execute(
        f"CREATE TEMP TABLE {name} (row INTEGER NOT NULL, external_id TEXT NOT NULL"
        f"{segments}{questions})"
    )
    try:
        yield name
    finally:
        store.db.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _stage_all(
    store: Store,
    stage: str,
    export: Export,
    codebook: Codebook,
    id_column: str | None,
    progress: Progress | None,
    chunk_rows: int,
    missing: MissingTally,
    built: ColumnBuilder,
) -> int:
    """Code and stage every chunk, counting missing labels into ``missing`` and collecting
    the wave's columns into ``built``; raises ImportFailed naming every problem found."""
    problems = Problems()
    kept = 0
    max_chars = export.limits.max_cell_chars
    with _deferred(store):
        for chunk in export.chunks(chunk_rows, progress):
            coded = coded_chunk(chunk, codebook, id_column, problems, max_chars, missing)
            kept += len(coded)
            _stage(store, stage, coded)
            built.add(coded)
        if id_column:
            _repeated_ids(store, stage, id_column, problems)
    if problems:
        raise ImportFailed(f"File {export.name} cannot be imported", problems=problems.listed())
    return kept


@contextmanager
def _deferred(store: Store) -> Iterator[None]:
    """One commit for all staged rows rather than one per chunk. Deferred, unlike
    ``store.transaction()``: staging writes only the temp database, so other writers to the
    main database need not wait for a long file to be read."""
    store.db.conn.execute("BEGIN")
    try:
        yield
    finally:
        store.db.conn.execute("COMMIT")


def _stage(store: Store, stage: str, coded: pd.DataFrame) -> None:
    marks = ", ".join("?" * len(coded.columns))
    store.db.conn.executemany(f"INSERT INTO temp.{stage} VALUES ({marks})", staged_rows(coded))


def _repeated_ids(store: Store, stage: str, id_column: str, problems: Problems) -> None:
    repeated = store.db.execute(
        f"SELECT external_id, json_group_array(row) FROM temp.{stage}"
        " GROUP BY external_id HAVING COUNT(*) > 1 ORDER BY MIN(row)"
    ).fetchall()
    for external_id, rows in repeated:
        problems.add(
            f"rows {rows_text(sorted(json.loads(rows)))}, column {id_column!r}: "
            f"respondent id {external_id!r} is repeated"
        )


@dataclass(frozen=True)
class _Target:
    """Where the staged rows go: ids the import's transaction made or found."""

    survey_id: int
    wave_id: int
    question_ids: dict[str, int]  # column → id
    segment_ids: dict[str, int]  # key → id


def _write_wave(
    store: Store,
    stage: str,
    wave_columns: columns.WaveColumns,
    merges: tuple[int, KnownMerges] | None,
    target: _Target,
    codebook: Codebook,
) -> int:
    """Respondents and their responses from the staged rows, in SQL, and the wave's columns
    (keyed by position until now) with their merges; returns how many answers were stored.

    Respondent ids are allotted as a block above the highest in use (the transaction holds
    the write lock), so staged row k becomes respondent base + k without a lookup.
    """
    base = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM respondents").fetchone()[0]
    store.db.execute(
        f"INSERT INTO respondents (id, wave_id, external_id)"
        f" SELECT ? + rowid, ?, external_id FROM temp.{stage} ORDER BY rowid",
        [base, target.wave_id],
    )
    _insert_responses(store, stage, base, target, codebook)
    segment_ids = [target.segment_ids[s.key] for s in codebook.segments]
    keyed = wave_columns.keyed(
        segment_ids, [target.question_ids[q.column] for q in codebook.questions]
    )
    if merges is not None:
        k, chosen = merges
        merges = (k, {segment_ids[position]: merge for position, merge in chosen.items()})
    columns.write(store.db, target.wave_id, keyed, merges)
    return columns.answers_in_wave(store.db, target.wave_id)


def _insert_responses(
    store: Store, stage: str, base: int, target: _Target, codebook: Codebook
) -> None:
    """One row per staged respondent in the survey's table: its segment values, answers,
    and whether each answer counts as positive under this codebook."""
    question_ids, segment_ids = target.question_ids, target.segment_ids
    table = responses.ensure_table(
        store.db, target.survey_id, segment_ids.values(), question_ids.values()
    )
    columns, selected = ["respondent_id"], ["? + rowid"]
    for i, segment in enumerate(codebook.segments):
        columns.append(responses.segment_column(segment_ids[segment.key]))
        selected.append(f"s{i}")
    for i, question in enumerate(codebook.questions):
        qid = question_ids[question.column]
        codes = ", ".join(map(str, codebook.scales[question.scale].positive_codes))
        columns += [responses.answer_column(qid), responses.positive_column(qid)]
        selected += [f"q{i}", f"q{i} IN ({codes})"]
    store.db.execute(
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {', '.join(selected)} FROM temp.{stage} ORDER BY rowid",
        [base],
    )


def _write_missing(
    store: Store, target: _Target, codebook: Codebook, missing: MissingTally
) -> None:
    """Per question of the wave, how many chose each of its missing labels (0 included)."""
    rows = [
        [target.wave_id, target.question_ids[column], label, ordinal, respondents]
        for column, labels in missing.counts.items()
        for ordinal, (label, respondents) in enumerate(labels.items())
    ]
    store.db.conn.executemany(
        "INSERT INTO missing_answers (wave_id, question_id, label, ordinal, respondents)"
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def _missing_total(missing: MissingTally) -> dict[str, int]:
    """How many answers, all questions together, chose each missing label (those chosen)."""
    total: dict[str, int] = {}
    for labels in missing.counts.values():
        for label, respondents in labels.items():
            if respondents:
                total[label] = total.get(label, 0) + respondents
    return total


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


def _upsert_questions(
    store: Store, survey_id: int, codebook: Codebook, layout: Layout
) -> dict[str, int]:
    """Each question's row; its text is the codebook's, else the export's, else its column."""
    for ordinal, q in enumerate(codebook.questions):
        scale = codebook.scales[q.scale]
        store.db.execute(
            "INSERT INTO questions (survey_id, key, text, theme, perspective, scale_labels,"
            " positive_label, binary, ordinal, benchmark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (survey_id, key) DO UPDATE SET text = excluded.text,"
            " theme = excluded.theme, perspective = excluded.perspective,"
            " scale_labels = excluded.scale_labels, positive_label = excluded.positive_label,"
            " binary = excluded.binary, ordinal = excluded.ordinal,"
            " benchmark = excluded.benchmark",
            [
                survey_id,
                q.column,
                q.text or layout.question_text(q.column) or q.column,
                q.theme.strip().lower(),
                q.perspective,
                json.dumps(scale.labels),
                scale.positive_text,
                int(scale.binary),
                ordinal,
                q.benchmark.strip().lower() if q.benchmark else None,
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

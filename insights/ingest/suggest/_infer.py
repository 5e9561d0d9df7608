"""suggest_codebook: scan an export once, classify its columns, assemble a codebook."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from insights.errors import CodebookError
from insights.ingest.codebook import Codebook
from insights.ingest.exports._model import Column, Export, Progress
from insights.ingest.suggest._columns import (
    REASONS,
    Asked,
    Grouping,
    Kind,
    Skip,
    classify,
    holds_ids,
    id_like,
    personal_data,
    resolve_numbers,
)
from insights.ingest.suggest._notes import (
    coded_segments,
    id_note,
    listed,
    sample_note,
    scale_notes,
    segment_notes,
    skipped_notes,
    unrecognised_notes,
)
from insights.ingest.suggest._review import Review
from insights.ingest.suggest._scales import MAX_CODES, VOCABULARIES, ScaleSpec, merged
from insights.ingest.suggest._scan import Scan, scan
from insights.ingest.suggest._suggestion import Suggestion
from insights.ingest.suggest._themes import Candidate, Themes, assign_themes
from insights.ingest.suggest._wording import (
    Names,
    grid_wordings,
    read_wording,
    segment_name,
    statement,
)

_FILE_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xls", ".gz", ".zip"})


def suggest_codebook(
    export: Export,
    *,
    survey: str | None = None,
    sample_rows: int | None = None,
    progress: Progress | None = None,
) -> Suggestion:
    """Infer a codebook from an export's header and answers (one pass, bounded memory).

    ``respondent_id`` is left unset when the export names its response id column, because
    the importer uses that column by default; otherwise a column named like an id and
    filled with distinct values is set explicitly; failing both, rows are numbered.
    ``progress`` is passed to the export's reader, as the importer does.
    Raises :class:`CodebookError` when no column is answered on a recognisable scale.
    """
    columns, repeated = _distinct(export.columns)
    export_id = export.layout.respondent_id
    id_candidates = [] if export_id else [c.id for c in columns if id_like(c)]
    wanted = [c.id for c in columns if c.id != export_id and (not c.metadata or id_like(c))]
    scanned = scan(export, wanted, sample_rows, progress)
    if scanned.rows == 0:
        raise CodebookError(
            f"{export.name} has no respondents, so there are no answers to infer a codebook from."
        )
    respondent_id = _respondent_id(id_candidates, scanned)
    kinds = resolve_numbers(
        {
            c.id: classify(c, scanned.profiles[c.id])
            for c in columns
            if not c.metadata and c.id not in (export_id, respondent_id)
        }
    )
    skipped = _skipped(columns, kinds, repeated, {export_id, respondent_id})
    asked = [kind for kind in kinds.values() if isinstance(kind, Asked)]
    if not asked:
        raise _nothing_found(export.name, len(columns), skipped)
    return _build(export, survey, scanned, respondent_id, kinds, skipped)


def _build(
    export: Export,
    survey: str | None,
    scanned: Scan,
    respondent_id: str | None,
    kinds: dict[str, Kind],
    skipped: dict[str, list[str]],
) -> Suggestion:
    asked = [kind for kind in kinds.values() if isinstance(kind, Asked)]
    groupings = [kind for kind in kinds.values() if isinstance(kind, Grouping)]
    specs, scale_of = _scales(asked)
    wordings = grid_wordings([a.column for a in asked])
    candidates = [
        Candidate(a.column.id, scale_of[a.column.id], wording, statement(a.column))
        for a, wording in zip(asked, wordings, strict=True)
    ]
    segments = _segments(groupings)
    # A theme named like a segment would make "by role" ambiguous in a question.
    themes = assign_themes(candidates, {t.get("name", t["column"]).lower() for t in segments})
    data: dict[str, Any] = {
        "survey": {"name": _survey_name(survey, export.name)}
        | ({"respondent_id": respondent_id} if respondent_id else {}),
        "scales": {name: _scale_table(spec) for name, spec in specs.items()},
        "questions": _questions(asked, scale_of, themes),
        "segments": segments,
    }
    try:
        codebook = Codebook.model_validate(data)
    except ValidationError as error:  # a bug here, but say what broke rather than crash
        raise CodebookError(
            "The suggested codebook is inconsistent",
            problems=[str(e["msg"]) for e in error.errors()],
        ) from None
    notes = [
        *([export.layout.note] if export.layout.note else []),
        *sample_note(scanned),
        *scale_notes(asked, specs, scale_of),
        *themes.notes,
        *unrecognised_notes(kinds),
        *coded_segments(kinds),
        *segment_notes(kinds, skipped),
        *id_note(respondent_id, export.layout.respondent_id),
        *skipped_notes(skipped),
    ]
    review = Review(
        source=export.name,
        format=export.format,
        export_respondent_id=export.layout.respondent_id,
        scale_comments={name: spec.comment for name, spec in specs.items()},
        placeholders=frozenset(name for name, spec in specs.items() if spec.placeholders),
        segment_values={g.column.id: g.values for g in groupings},
        skipped={reason: tuple(columns) for reason, columns in skipped.items()},
    )
    return Suggestion(codebook, tuple(notes), review)


def _distinct(columns: Sequence[Column]) -> tuple[list[Column], list[str]]:
    """Columns with a unique id, and the ids that repeat (a codebook cannot tell them apart)."""
    counts: dict[str, int] = defaultdict(int)
    for column in columns:
        counts[column.id] += 1
    kept = [c for c in columns if counts[c.id] == 1]
    return kept, list(dict.fromkeys(c.id for c in columns if counts[c.id] > 1))


def _respondent_id(candidates: list[str], scanned: Scan) -> str | None:
    for column_id in candidates:
        if holds_ids(scanned.profiles[column_id], scanned.rows):
            return column_id
    return None


def _skipped(
    columns: Sequence[Column],
    kinds: dict[str, Kind],
    repeated: list[str],
    used: set[str | None],
) -> dict[str, list[str]]:
    """Reason → skipped column ids, reasons in the order of REASONS."""
    found: dict[str, list[str]] = defaultdict(list)
    for column in columns:
        kind = kinds.get(column.id)
        if isinstance(kind, Skip):
            found[kind.reason].append(column.id)
        elif kind is None and column.id not in used:
            found["personal data" if personal_data(column) else "metadata"].append(column.id)
    if repeated:
        found["repeated"] = repeated
    return {reason: found[reason] for reason in REASONS if found.get(reason)}


def _nothing_found(name: str, columns: int, skipped: dict[str, list[str]]) -> CodebookError:
    scales = ", ".join(dict.fromkeys(v.family for v in VOCABULARIES))
    why = "; ".join(f"{len(ids)} {reason} ({listed(ids)})" for reason, ids in skipped.items())
    return CodebookError(
        f"No survey questions were found in {name}: none of its {columns} column(s) is "
        f"answered on a known scale ({scales}) or in numeric codes up to {MAX_CODES}. "
        f"Skipped: {why or 'nothing'}. Write the codebook by hand "
        "(see insights/ingest/demo/codebook.toml for the shape)."
    )


def _scales(asked: list[Asked]) -> tuple[dict[str, ScaleSpec], dict[str, str]]:
    """Columns answered on one vocabulary share one scale holding every label any of them
    saw (grid rows, and questions offering the same answers), unless they spell a label
    differently; other scales are shared by equal labels. Column → scale name."""
    shared: list[ScaleSpec] = []
    members: list[list[str]] = []
    by_group: dict[object, list[int]] = defaultdict(list)  # few per group: stays linear
    for question in asked:
        spec = question.scale
        for n in by_group[spec.group]:
            joined = merged(shared[n], spec) or (shared[n] if shared[n].key == spec.key else None)
            if joined is not None:
                shared[n] = joined
                members[n].append(question.column.id)
                break
        else:
            by_group[spec.group].append(len(shared))
            shared.append(spec)
            members.append([question.column.id])
    specs: dict[str, ScaleSpec] = {}
    scale_of: dict[str, str] = {}
    names = Names(set())
    for spec, columns in zip(shared, members, strict=True):
        name = names.unique(spec.base).replace(" ", "_")
        specs[name] = spec
        scale_of |= dict.fromkeys(columns, name)
    return specs, scale_of


def _scale_table(spec: ScaleSpec) -> dict[str, Any]:
    table: dict[str, Any] = {"labels": list(spec.labels), "positive": list(spec.positive)}
    if spec.codes is not None:
        table["codes"] = list(spec.codes)
    if spec.missing:
        table["missing"] = list(spec.missing)
    return table


def _questions(asked: list[Asked], scale_of: dict[str, str], themes: Themes) -> list[Any]:
    """Question tables grouped by theme (first appearance), personal before organization."""
    order = {q.theme: n for n, q in reversed(list(enumerate(themes.questions)))}
    rank = {None: 0, "personal": 0, "organization": 1}
    placed = sorted(
        zip(asked, themes.questions, strict=True),
        key=lambda pair: (order[pair[1].theme], rank[pair[1].perspective]),
    )
    return [
        {"column": a.column.id, "theme": t.theme, "scale": scale_of[a.column.id]}
        | ({"perspective": t.perspective} if t.perspective else {})
        | ({"text": text} if (text := _text(a.column)) else {})
        for a, t in placed
    ]


def _text(column: Column) -> str | None:
    """The wording to keep: a grid row with its stem unless the row reads on its own."""
    said = statement(column)
    if column.row and column.question and read_wording(column).perspective is None:
        said = f"{column.question.strip()} [{column.row.strip()}]"
    return said if said and said != column.id else None


def _segments(groupings: list[Grouping]) -> list[dict[str, str]]:
    """Segment tables; ``name`` only where it differs from the column (the default key)."""
    names = Names(set())
    tables = []
    for grouping in groupings:
        name = names.unique(segment_name(grouping.column))
        table = {"column": grouping.column.id}
        tables.append(
            table if name == grouping.column.id.strip().lower() else table | {"name": name}
        )
    return tables


def _survey_name(survey: str | None, export_name: str) -> str:
    if survey and survey.strip():
        return survey.strip()[:80]
    stem = PurePath(export_name).name
    while PurePath(stem).suffix.lower() in _FILE_SUFFIXES:
        stem = stem[: -len(PurePath(stem).suffix)]
    slug = re.sub(r"[\W_]+", "-", stem.casefold()).strip("-")
    return slug[:80].strip("-") or "survey"

"""The review notes: plain sentences about what a person should check before importing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from insights.ingest.suggest._columns import REASONS, Asked, Grouping, Kind, Skip
from insights.ingest.suggest._scales import ScaleSpec
from insights.ingest.suggest._scan import Scan

_LISTED = 5  # names spelled out per note before "and N more"


def listed(items: Sequence[str]) -> str:
    more = len(items) - _LISTED
    return ", ".join(items[:_LISTED]) + (f" and {more} more" if more > 0 else "")


def sample_note(scanned: Scan) -> list[str]:
    if not scanned.truncated:
        return []
    return [
        f"Only the first {scanned.rows} rows were read; answers that first appear further down "
        "could change a scale or a segment."
    ]


def scale_notes(
    asked: list[Asked], specs: dict[str, ScaleSpec], scale_of: dict[str, str]
) -> list[str]:
    users: dict[str, list[str]] = defaultdict(list)
    for question in asked:
        users[scale_of[question.column.id]].append(question.column.id)
    notes = [_numeric(name, spec, users[name]) for name, spec in specs.items() if spec.placeholders]
    notes += [
        f"Scale {name} ({listed(users[name])}): {spec.comment}"
        for name, spec in specs.items()
        if spec.numeric and not spec.placeholders
    ]
    notes += _alternatives(asked, scale_of)
    notes += _mixed_lengths(specs)
    notes += [
        f"Scale {name} lists {listed(spec.missing)} as missing: these answers mean 'not "
        f"answered' and are left out of the base of {listed(users[name])}; move one into "
        "`labels` if it is a real answer."
        for name, spec in specs.items()
        if spec.missing
    ]
    return notes


def _numeric(name: str, spec: ScaleSpec, columns: list[str]) -> str:
    assert spec.codes is not None
    split = " and split the scale if these questions offer different answers" * (len(columns) > 1)
    return (
        f"Scale {name} ({listed(columns)}) was exported as numeric codes "
        f"{spec.codes[0]}–{spec.codes[-1]}: fill in its labels from the survey's answer "
        "definitions, in code order, check the number of points (a code nobody chose cannot "
        f"be seen), check that the positive codes ({', '.join(spec.positive)}) are the "
        f"favourable answers{split}."
    )


def _alternatives(asked: list[Asked], scale_of: dict[str, str]) -> list[str]:
    """Scales whose answers also fit a vocabulary that would count other answers positive."""
    columns: dict[str, list[str]] = defaultdict(list)
    others: dict[str, dict[str, None]] = defaultdict(dict)
    for question in asked:
        if question.scale.alternatives:
            name = scale_of[question.column.id]
            columns[name].append(question.column.id)
            others[name].update(dict.fromkeys(question.scale.alternatives))
    return [
        f"Answers to {listed(ids)} (scale {name}) also fit {', '.join(others[name])}, which "
        "counts different answers as positive; check the survey's answer options."
        for name, ids in columns.items()
    ]


def _mixed_lengths(specs: dict[str, ScaleSpec]) -> list[str]:
    families: dict[str, list[str]] = defaultdict(list)
    for name, spec in specs.items():
        if not spec.numeric:
            families[spec.family].append(name)
    return [
        f"{family.capitalize()} questions use more than one scale ({', '.join(names)}); check "
        "each question's scale, since answers nobody gave cannot be seen and a longer scale "
        "can look like a shorter one."
        for family, names in families.items()
        if len(names) > 1
    ]


def unrecognised_notes(kinds: dict[str, Kind]) -> list[str]:
    return [
        f"{column} reads like a perspective question but its answers ({listed(kind.values)}) "
        "are on no known scale; add a scale for it by hand if it should be a theme."
        for column, kind in kinds.items()
        if isinstance(kind, Skip) and kind.reason == "unrecognised-scale"
    ]


def coded_segments(kinds: dict[str, Kind]) -> list[str]:
    coded = [c for c, kind in kinds.items() if isinstance(kind, Grouping) and kind.coded]
    if not coded:
        return []
    return [
        f"Segment column(s) {listed(coded)} hold numeric codes, so their groups will show as "
        "numbers unless the export is made with choice text."
    ]


def id_note(respondent_id: str | None, export_id: str | None) -> list[str]:
    if respondent_id:
        return [
            f"Respondents are identified by column {respondent_id}; the importer refuses a "
            "file in which an id repeats."
        ]
    if export_id:
        return []
    return [
        "No respondent id column was found, so respondents are identified by row number; "
        "set survey.respondent_id if the export has an id column."
    ]


def segment_notes(kinds: dict[str, Kind], skipped: dict[str, list[str]]) -> list[str]:
    """Why typed columns are not segments, and which columns are personal data (free text
    and the rest are explained with the skipped columns)."""
    notes = [
        f"{column} is not a segment: its answers are spelt several ways or mostly given once "
        f"({listed([repr(v) for v in kind.values])}), as typed answers are; make the "
        "spellings agree in the file to break results down by it."
        for column, kind in kinds.items()
        if isinstance(kind, Skip) and kind.reason == "typed"
    ]
    if skipped.get("personal data"):
        notes.append(
            f"Personal data, left out of the codebook and never stored by the import: "
            f"{listed(skipped['personal data'])}. Blank these columns before sharing the file."
        )
    return notes


def skipped_notes(skipped: dict[str, list[str]]) -> list[str]:
    return [
        f"Skipped {len(ids)} {reason} column(s) ({REASONS[reason]}): {listed(ids)}."
        for reason, ids in skipped.items()
    ]

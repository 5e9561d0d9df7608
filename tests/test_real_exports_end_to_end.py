"""Every real export in tests/exports/real (see each folder's SOURCE.md), as a new user
takes it: `empathy codebook suggest`, the review edits a person would make (listed per
file below, each with the reason they would give), `empathy import`, then `empathy ask`.
Every "k of n" that `ask` prints is checked against a recount of the raw file made here
with the csv module or openpyxl (never the library's readers), applying the codebook's
labels, positive labels and missing labels by hand."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import CliRun

REAL = Path(__file__).parent / "exports" / "real"
K = 5  # the MIN_GROUP_SIZE the ``run`` fixture sets


@dataclass(frozen=True)
class Edit:
    """One change a reviewer makes to the suggested codebook: ``old`` text replaced by
    ``new`` (``old`` None: ``new`` appended), for the stated ``reason``."""

    reason: str
    old: str | None
    new: str


@dataclass(frozen=True)
class RealExport:
    folder: str
    file: str
    edits: tuple[Edit, ...] = ()
    segment: str | None = None  # a segment to break the answers down by
    blank_rows: int = 0  # rows with no cell filled in, which the import leaves out
    header_rows: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return REAL / self.folder / self.file


SEGMENT_NOT_QUESTION = Edit(
    "the year of study is who answered, not an opinion: it is a segment",
    '[[questions]]\ncolumn = "What year are you in?"\ntheme = "year"\nscale = "codes4"\n',
    "",
)
YEAR_SEGMENT = Edit(
    "…and break the answers down by it",
    None,
    '\n[[segments]]\ncolumn = "What year are you in?"\nname = "year"\n',
)

EXPORTS = (
    RealExport(
        "google-forms-hotdog-csv",
        "hot_dog_survey_spring25 - Form Responses 1.csv",
        segment="undergraduate academic year",
    ),
    RealExport(
        "google-forms-hotdog-sheets-xlsx",
        "Is hotdog a sandwich_ (Responses).xlsx",
        edits=(SEGMENT_NOT_QUESTION, YEAR_SEGMENT),
        segment="year",
    ),
    RealExport("stacks-governance", "responses.csv", blank_rows=5),
    RealExport("suggest-covid-expectations", "responses.csv", segment="Datasource"),
    RealExport("suggest-stacks-community", "results.csv"),
)


def _apply(suggested: str, edits: Sequence[Edit]) -> str:
    for edit in edits:
        if edit.old is None:
            suggested += edit.new
        else:
            assert suggested.count(edit.old) == 1, f"edit no longer applies: {edit.reason}"
            suggested = suggested.replace(edit.old, edit.new)
    return suggested


def _rows(export: RealExport) -> list[dict[str, str]]:
    """The respondents' rows as header → stripped text; rows with no cell filled left out."""
    if export.path.suffix == ".xlsx":
        book = openpyxl.load_workbook(export.path, read_only=True)
        table = [
            ["" if v is None else _text(v) for v in row]
            for row in book.active.iter_rows(values_only=True)
        ]
    else:
        with export.path.open(newline="", encoding="utf-8-sig") as f:
            table = list(csv.reader(f))
    header, body = table[0], table[export.header_rows :]
    rows = [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in body]
    return [row for row in rows if any(row.values())]


def _text(value: Any) -> str:
    """A spreadsheet cell as the file shows it (a whole number without its ".0")."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@dataclass(frozen=True)
class Count:
    theme: str
    positive: int
    n: int


def _recount(rows: list[dict[str, str]], codebook: dict[str, Any]) -> list[Count]:
    counted = []
    for question in codebook["questions"]:
        scale = codebook["scales"][question["scale"]]
        labels = {label.casefold() for label in scale["labels"]}
        positive = {label.casefold() for label in scale["positive"]}
        cells = [row[question["column"]].casefold() for row in rows]
        counted.append(
            Count(
                question["theme"].casefold(),
                sum(cell in positive for cell in cells),
                sum(cell in labels for cell in cells),
            )
        )
    return counted


def _shown(count: Count) -> bool:
    """Whether the privacy rule lets ``ask`` print the figure (both sides at least K)."""
    return count.n >= K and count.positive >= K and count.n - count.positive >= K


def _suggest_edit_import(run: CliRun, export: RealExport, tmp_path: Path) -> dict[str, Any]:
    written = tmp_path / "codebook.toml"
    suggested = run("codebook", "suggest", str(export.path), "-o", str(written))
    assert suggested.exit_code == 0, suggested.output
    written.write_text(_apply(written.read_text(encoding="utf-8"), export.edits), encoding="utf-8")
    imported = run("import", str(export.path), "--codebook", str(written), "--survey", "real")
    assert imported.exit_code == 0, imported.output
    return {
        "codebook": tomllib.loads(written.read_text(encoding="utf-8")),
        "summary": imported.stdout,
    }


@pytest.mark.parametrize("export", EXPORTS, ids=[e.folder for e in EXPORTS])
def test_real_export_suggest_import_ask_counts_equal_a_recount(
    run: CliRun, tmp_path: Path, export: RealExport
) -> None:
    done = _suggest_edit_import(run, export, tmp_path)
    codebook, summary = done["codebook"], done["summary"]
    rows = _rows(export)
    assert f": {len(rows)} respondents," in summary
    if export.blank_rows:
        assert f"Left out {export.blank_rows} rows ({export.blank_rows} blank)" in summary
    answered = run("ask", "gap")
    assert answered.exit_code == 0, answered.output
    counts = _recount(rows, codebook)
    assert any(_shown(count) for count in counts)
    for count in counts:
        if _shown(count):
            assert f"({count.positive} of {count.n}," in answered.stdout, count
    if export.segment:
        _check_breakdown(run, rows, codebook, export.segment)


def _check_breakdown(
    run: CliRun, rows: list[dict[str, str]], codebook: dict[str, Any], segment: str
) -> None:
    """``gap by SEGMENT``: under each question's heading, every group's figure that is
    shown equals its recount, and at least one is shown."""
    (column,) = [s["column"] for s in codebook["segments"] if s.get("name", s["column"]) == segment]
    answered = run("ask", f"gap by {segment}")
    assert answered.exit_code == 0, answered.output
    sections = _sections(answered.stdout)
    checked = 0
    for group in sorted({row[column] for row in rows if row[column]}):
        members = [row for row in rows if row[column] == group]
        for count in _recount(members, codebook):
            (lines,) = [v for title, v in sections.items() if title.startswith(count.theme)]
            (line,) = [x for x in lines if x.startswith((f"{group} (n = ", f"{group}: hidden"))]
            if count.n == 0:
                assert line.endswith("not asked"), line
            elif not line.startswith(f"{group}: hidden"):
                assert line.startswith(f"{group} (n = {count.n}): "), line
                assert f"({count.positive} of {count.n}," in line, line
                checked += 1
    assert checked, answered.stdout


def _sections(text: str) -> dict[str, list[str]]:
    """Each question's heading (case-folded) → its indented lines."""
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("  "):
            lines.append(line.strip())
        elif line.strip():
            lines = sections.setdefault(line.casefold(), [])
    return sections


@pytest.mark.parametrize(
    "folder, file",
    [
        ("qualtrics-legacy-qualtrics-r", "sample_legacy.csv"),
        ("qualtrics-three-rows-qualtrics-r", "sample.csv"),
    ],
)
def test_a_one_response_qualtrics_export_is_refused_by_suggest_and_imports_with_a_hand_codebook(
    run: CliRun, tmp_path: Path, folder: str, file: str
) -> None:
    path = REAL / folder / file
    suggested = run("codebook", "suggest", str(path), "-o", str(tmp_path / "codebook.toml"))
    assert suggested.exit_code != 0
    assert "No survey questions were found" in suggested.output
    assert "single-answer (Q1, Q2)" in suggested.output
    codebook = REAL / folder / "codebook.toml"
    imported = run("import", str(path), "--codebook", str(codebook), "--survey", "real")
    assert imported.exit_code == 0, imported.output
    assert ": 1 respondents," in imported.stdout
    answered = run("ask", "gap")
    assert "fewer than 5" in answered.output
    assert " of 1," not in answered.output


def test_the_old_surveymonkey_export_imports_its_four_respondents_and_ask_hides_them(
    run: CliRun, tmp_path: Path
) -> None:
    export = RealExport("surveymonkey-old-houston-providers", "Sheet_1.csv", header_rows=2)
    done = _suggest_edit_import(run, export, tmp_path)
    with export.path.open(newline="", encoding="utf-8") as f:
        body = list(csv.reader(f))[export.header_rows :]
    respondents = [row for row in body if any(cell.strip() for cell in row)]
    assert f": {len(respondents)} respondents," in done["summary"]
    answered = run("ask", "gap")
    assert "fewer than 5" in answered.output
    assert f" of {len(respondents)}," not in answered.output


SUPPORT = "Do you support [on chain governance?](https://messari.io/article/on-chain-governance)"
ENTITY = (
    "Do you feel it's a good idea to create a new, independent entity responsible for governance?"
)
MEMBER = "Do you identify as a member of the Blockstack community?"


@pytest.mark.parametrize(
    "column, labels, missing",
    [
        (
            SUPPORT,
            ["No", "Yes"],
            {"I'm not informed enough about it", "Not sure/Don't care", "Not sure"},
        ),
        (ENTITY, ["No", "Maybe", "Yes"], {"Not sure/Don't care"}),
        (MEMBER, ["No!", "Yes!"], {"I'm not sure"}),
    ],
)
def test_yes_no_questions_with_not_sure_answers_are_suggested_as_questions_not_segments(
    run: CliRun, tmp_path: Path, column: str, labels: list[str], missing: set[str]
) -> None:
    """ "I'm not sure", "Not sure/Don't care", "I'm not informed enough about it" say "not
    answered"; "Yes!" is a yes. Such a column is a yes/no question, never a segment."""
    written = tmp_path / "codebook.toml"
    path = REAL / "stacks-governance" / "responses.csv"
    assert run("codebook", "suggest", str(path), "-o", str(written)).exit_code == 0
    codebook = tomllib.loads(written.read_text(encoding="utf-8"))
    assert column not in [segment["column"] for segment in codebook.get("segments", [])]
    (question,) = [q for q in codebook["questions"] if q["column"] == column]
    scale = codebook["scales"][question["scale"]]
    assert scale["labels"] == labels
    assert missing <= set(scale["missing"])
    assert not set(scale["missing"]) & set(scale["labels"])

"""From a platform's export to an answer, through the command line: `codebook suggest`, review,
`import`, `ask` — with the figures checked against counts worked out from the responses."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from export_fixtures import (
    MATRIX_ROWS,
    Response,
    sample_responses,
    write_google_forms,
    write_plain,
    write_qualtrics,
    write_surveymonkey,
)

from insights.ingest.codebook import load_codebook

Run = Callable[..., Result]


COUNT, PREVIEW_EVERY, UNFINISHED_EVERY = 60, 10, 7
KEPT = [i for i in range(1, COUNT + 1) if i % PREVIEW_EVERY != 0 and i % UNFINISHED_EVERY != 0]
# sample_responses(): response i answers Q3_1 with AGREE[i % 5] and Q3_2 with AGREE[3i % 5];
# "Agree" and "Strongly agree" (positions 4 and 5, indexes 3 and 4) count as agreeing.
PERSONAL = sum(1 for i in KEPT if i % 5 in (3, 4))
ORGANIZATION = sum(1 for i in KEPT if (3 * i) % 5 in (3, 4))


def percent(part: int, whole: int) -> str:
    return f"{int(part / whole * 100 + 0.5)}%"


def suggest_and_import(run: Run, export: Path) -> Result:
    suggested = run("codebook", "suggest", str(export), "-o", "codebook.toml")
    assert suggested.exit_code == 0, suggested.output
    assert "Wrote codebook.toml" in suggested.stdout
    imported = run(
        "import", str(export), "--codebook", "codebook.toml", "--survey", "pulse", "--wave", "w1"
    )
    assert imported.exit_code == 0, imported.output
    return imported


@pytest.mark.parametrize("numeric", [False, True], ids=["choice-text", "numeric-codes"])
def test_qualtrics_export_to_answer(run: Run, tmp_path: Path, numeric: bool) -> None:
    export = write_qualtrics(
        tmp_path / "responses.csv",
        sample_responses(COUNT, preview_every=PREVIEW_EVERY, unfinished_every=UNFINISHED_EVERY),
        numeric=numeric,
    )
    imported = suggest_and_import(run, export)
    previews = COUNT // PREVIEW_EVERY
    unfinished = COUNT - previews - len(KEPT)
    assert f"{len(KEPT)} respondents" in imported.stdout
    assert f"Left out {previews + unfinished} rows" in imported.stdout
    assert f"{previews} survey preview" in imported.stdout
    assert f"{unfinished} unfinished" in imported.stdout

    codebook = load_codebook(tmp_path / "codebook.toml")
    paired = {q.column: q.perspective for q in codebook.questions if q.perspective}
    assert paired == {"Q3_1": "personal", "Q3_2": "organization"}
    assert {s.column for s in codebook.segments} >= {"Q1", "Q2"}

    answer = run("ask", "gap").stdout
    assert f"Personal: {percent(PERSONAL, len(KEPT))} ({PERSONAL} of {len(KEPT)}" in answer
    org = f"Organization: {percent(ORGANIZATION, len(KEPT))} ({ORGANIZATION} of {len(KEPT)}"
    assert org in answer


def plain(path: Path, responses: Sequence[Response], **options: Any) -> Path:
    """The sample as a hand-made table: one row per respondent, ids as numbers."""
    header = ["Respondent", "Tenure", "Region", *MATRIX_ROWS]
    keys = ["Q1", "Q2", "Q3_1", "Q3_2"]
    rows = [[i, *(r.answers.get(k, "") for k in keys)] for i, r in enumerate(responses, 1)]
    return write_plain(path, header, rows, **options)


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("form.csv", write_google_forms),
        ("monkey.csv", write_surveymonkey),
        ("monkey.xlsx", partial(write_surveymonkey, xlsx=True)),
        ("plain.xlsx", partial(plain, xlsx=True)),
        ("plain-utf16.txt", partial(plain, encoding="utf-16", delimiter="\t")),
        ("plain-cp1252.csv", partial(plain, encoding="cp1252")),
    ],
)
def test_other_exports_to_answer(
    run: Run, tmp_path: Path, name: str, write: Callable[..., Path]
) -> None:
    responses = sample_responses(40)  # no previews or unfinished rows outside Qualtrics
    export = write(tmp_path / name, responses)
    imported = suggest_and_import(run, export)
    assert "40 respondents" in imported.stdout
    personal = sum(1 for i in range(1, 41) if i % 5 in (3, 4))
    answer = run("ask", "gap").stdout
    assert f"Personal: {percent(personal, 40)} ({personal} of 40" in answer


def test_suggest_prints_the_codebook_and_review_notes(run: Run, tmp_path: Path) -> None:
    export = write_qualtrics(tmp_path / "responses.csv", sample_responses(20), numeric=True)
    result = run("codebook", "suggest", str(export))
    assert result.exit_code == 0
    assert result.stdout.startswith("#") or "[survey]" in result.stdout
    assert 'column = "Q3_1"' in result.stdout
    assert "Review:" in result.stderr  # numeric codes: the labels must be filled in


def test_a_bad_export_is_one_paragraph_with_exit_code(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"id,q\n1,\x81\x81\n")
    result = run("codebook", "suggest", str(path))
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: File broken.csv cannot be read as text")


def test_an_agreement_label_that_is_not_on_the_scale_names_row_and_column(
    run: Run, tmp_path: Path
) -> None:
    responses = sample_responses(12)
    export = write_qualtrics(tmp_path / "responses.csv", responses)
    assert run("codebook", "suggest", str(export), "-o", "codebook.toml").exit_code == 0
    typo = replace(responses[4], answers={**responses[4].answers, "Q3_1": "Strongly agreed"})
    write_qualtrics(export, [*responses[:4], typo, *responses[5:]])
    result = run("import", str(export), "--codebook", "codebook.toml", "--wave", "w1")
    assert result.exit_code == 3
    row = 3 + 5  # three header rows, then response 5
    assert f"row {row}, column 'Q3_1': 'Strongly agreed' is not an answer" in result.stderr
    assert run("ask", "surveys").stdout.count("pulse") == 0


def test_a_progress_bar_is_drawn_on_a_terminal(tmp_path: Path) -> None:
    export = write_qualtrics(tmp_path / "responses.csv", sample_responses(3000))
    cli_env = {**os.environ, "DATABASE_PATH": str(tmp_path / "db.sqlite"), "COLUMNS": "100"}
    script = f"import sys; sys.argv = ['empathy', 'codebook', 'suggest', {str(export)!r}]\n"
    script += "from bot.entrypoints.cli import main; main()"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=cli_env,
        cwd=tmp_path,
    )
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the program ended
            break
        if not chunk:
            break
        drawn += chunk
    assert process.wait(timeout=60) == 0
    assert b"Reading responses.csv" in drawn
    assert b"100%" in drawn

"""A real export with answers that mean "not answered" (tests/exports/real/stacks-governance,
see its SOURCE.md): imported through the CLI with its codebook, and every figure `ask`
prints checked against a recount of the file made here with the csv module."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

from support import CliRun

from insights.answers.stats import percent

REAL = Path(__file__).parent / "exports" / "real" / "stacks-governance"
K = 5  # the MIN_GROUP_SIZE the ``run`` fixture sets


@dataclass(frozen=True)
class Recounted:
    theme: str
    n: int  # answered with a label of the scale
    positive: int
    missing: list[tuple[str, int]]  # each missing label, how many chose it


def _recount() -> tuple[int, list[Recounted]]:
    """Respondents (rows with any answer: the reader skips blank rows), and per question
    its theme, answered base, positive count and how many chose each missing label."""
    codebook = tomllib.loads((REAL / "codebook.toml").read_text(encoding="utf-8"))
    with (REAL / "responses.csv").open(newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if any(v.strip() for v in row.values())]
    counted = []
    for question in codebook["questions"]:
        scale = codebook["scales"][question["scale"]]
        cells = [row[question["column"]].strip() for row in rows]
        counted.append(
            Recounted(
                question["theme"],
                sum(cell in scale["labels"] for cell in cells),
                sum(cell in scale["positive"] for cell in cells),
                [(label, cells.count(label)) for label in scale.get("missing", [])],
            )
        )
    return len(rows), counted


def _said_missing(theme: str, n: int, missing: list[tuple[str, int]]) -> str | None:
    """The note's words for one question under the privacy rule, or None when not said."""
    total = sum(count for _, count in missing)
    if total < K or 0 < n < K:
        return None
    if all(count == 0 or count >= K for _, count in missing):
        chosen = [(label, count) for label, count in missing if count]
        first, *rest = chosen
        return f"{theme}: {first[1]} chose “{first[0]}”" + "".join(
            f", {count} “{label}”" for label, count in rest
        )
    labels = ", ".join(f"“{label}”" for label, _ in missing)
    return f"{theme}: {total} chose one of {labels}"


def test_a_real_exports_missing_answers_are_out_of_every_base_and_counted(run: CliRun) -> None:
    imported = run(
        "import",
        str(REAL / "responses.csv"),
        "--codebook",
        str(REAL / "codebook.toml"),
        "--wave",
        "2020",
    )
    assert imported.exit_code == 0, imported.output
    respondents, counted = _recount()
    assert f"{respondents} respondents" in imported.stdout
    answered = run("ask", "gap")
    assert answered.exit_code == 0, answered.output
    text = answered.stdout
    assert f"n = {respondents}" in text
    said = []
    for question in counted:
        n, positive = question.n, question.positive
        mark = "†" if n < 30 else ""
        assert f"{percent(positive / n)}%{mark} ({positive} of {n}," in text
        note = _said_missing(question.theme, n, question.missing)
        if note is not None:
            said.append(note)
        else:
            assert not any(label in text for label, _ in question.missing)
    assert said, "the file has missing answers enough to be said"
    assert ("; ".join(said) + ".") in text

"""Answers a codebook declares *not answered* (`missing = ["Don't know", …]`): out of every
base, counted per question, and said only for the whole wave and only when privacy allows
(each of the counts 0 or at least the minimum group size). Counts here are hand-computed."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TEAM, CliRun, rows_csv

from insights import Store
from insights.answers.reply import ask
from insights.errors import CodebookError, ImportFailed
from insights.ingest.codebook import parse_codebook
from insights.ingest.importer import ImportSummary, import_file

CODEBOOK = """
[survey]
name = "pulse"
respondent_id = "id"

[scales.agree3]
labels = ["Disagree", "Neutral", "Agree"]
positive = ["Agree"]
missing = {missing}

[[questions]]
column = "q"
theme = "care"
scale = "agree3"

[[segments]]
column = "team"
"""
DECLARED = '["Don\'t know", "Prefer not to say"]'
HEADER = ["id", "team", "q"]


def _rows(answers: list[str]) -> list[list[str]]:
    """One respondent per answer; teams alternate A, B."""
    return [[str(i + 1), "AB"[i % 2], answer] for i, answer in enumerate(answers)]


def _import(
    store: Store, tmp_path: Path, answers: list[str], missing: str = DECLARED, wave: str = "w1"
) -> ImportSummary:
    path = tmp_path / f"{wave}.csv"
    path.write_text(rows_csv(_rows(answers), HEADER), encoding="utf-8")
    codebook = parse_codebook(CODEBOOK.format(missing=missing))
    return import_file(store, path, codebook, team_id=TEAM, wave=wave, actor="cli:test")


# 10 answers: 4 Agree, 4 Disagree, 2 "Don't know" → base 8, 4 of 8 agree.
TEN = ["Agree", "Disagree"] * 4 + ["Don't know", "don't know"]


def test_missing_labels_are_parsed_with_the_scale() -> None:
    codebook = parse_codebook(CODEBOOK.format(missing=DECLARED))
    assert codebook.scales["agree3"].missing == ["Don't know", "Prefer not to say"]
    assert parse_codebook(CODEBOOK.format(missing="[]")).scales["agree3"].missing == []


def test_a_label_both_an_answer_and_missing_is_refused() -> None:
    with pytest.raises(CodebookError) as raised:
        parse_codebook(CODEBOOK.format(missing='["neutral"]'))
    assert any("both answers (labels) and not answers" in p for p in raised.value.problems)


def test_a_missing_label_listed_twice_is_refused() -> None:
    with pytest.raises(CodebookError) as raised:
        parse_codebook(CODEBOOK.format(missing='["N/A", "n/a"]'))
    assert any("missing labels must be distinct" in p for p in raised.value.problems)


def test_a_missing_answer_is_in_no_base_and_the_answer_says_how_many_chose_it(
    store: Store, tmp_path: Path
) -> None:
    summary = _import(store, tmp_path, TEN)
    assert summary.respondents == 10
    assert summary.answers == 8
    assert summary.missing == {"Don't know": 2}
    assert "Counted as not answered (missing labels): 2 “Don't know”." in summary.describe()
    text = ask(store, TEAM, "gap", min_group_size=2).text
    assert "Agree: 50%† (4 of 8" in text
    assert "Not in any base, as the codebook declares them not answered: care: 2 chose" in text
    assert "2 chose “Don't know”." in text
    assert "Prefer not to say" not in text  # nobody chose it: nothing to say


def test_missing_counts_are_stored_unanswered_in_the_respondent_table(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, TEN)
    table = store.db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'responses_%'")
    name = table.fetchone()[0]
    qid = store.db.execute("SELECT id FROM questions WHERE key = 'q'").fetchone()[0]
    stored = store.db.execute(f"SELECT COUNT(a{qid}), COUNT(*) FROM {name}").fetchone()
    assert tuple(stored) == (8, 10)
    counted = store.db.execute(
        "SELECT label, respondents FROM missing_answers ORDER BY ordinal"
    ).fetchall()
    assert [tuple(row) for row in counted] == [("Don't know", 2), ("Prefer not to say", 0)]


def test_fewer_than_the_minimum_group_size_chose_a_missing_label_so_it_is_not_said(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path, TEN)
    text = ask(store, TEAM, "gap", min_group_size=5).text
    assert "Agree: 50%† (4 of 8" in text  # the base still leaves them out
    assert "not answered" not in text and "Don't know" not in text


def test_labels_too_few_on_their_own_are_said_only_as_a_total(store: Store, tmp_path: Path) -> None:
    # 6 "Don't know" and 2 "Prefer not to say": 8 in all, 2 < 5 on its own.
    answers = ["Agree"] * 7 + ["Disagree"] * 5 + ["Don't know"] * 6 + ["Prefer not to say"] * 2
    _import(store, tmp_path, answers)
    text = ask(store, TEAM, "gap", min_group_size=5).text
    assert "12 of 12" not in text and "(7 of 12" in text
    assert "care: 8 chose one of “Don't know”, “Prefer not to say”." in text
    assert "6 chose" not in text and "2 “Prefer" not in text


def test_each_label_is_counted_when_each_is_large_enough(store: Store, tmp_path: Path) -> None:
    answers = ["Agree"] * 7 + ["Disagree"] * 5 + ["Don't know"] * 6 + ["Prefer not to say"] * 5
    _import(store, tmp_path, answers)
    text = ask(store, TEAM, "gap", min_group_size=5).text
    assert "care: 6 chose “Don't know”, 5 “Prefer not to say”." in text


def test_too_few_answered_the_question_so_its_missing_count_is_not_said(
    store: Store, tmp_path: Path
) -> None:
    # care: 3 answered (fewer than 5), 8 chose "Don't know"; speed: 20 answered. The care
    # figure is hidden, and so is how many did not answer it and why.
    codebook = CODEBOOK.format(missing=DECLARED) + (
        '\n[[questions]]\ncolumn = "r"\ntheme = "speed"\nscale = "agree3"\n'
    )
    care = ["Agree"] * 3 + ["Don't know"] * 8 + [""] * 9
    rows = [[*row, "Agree" if i < 11 else "Disagree"] for i, row in enumerate(_rows(care))]
    path = tmp_path / "w1.csv"
    path.write_text(rows_csv(rows, [*HEADER, "r"]), encoding="utf-8")
    import_file(store, path, parse_codebook(codebook), team_id=TEAM, wave="w1", actor="cli:test")
    text = ask(store, TEAM, "gap", min_group_size=5).text
    assert "Agree: 55%† (11 of 20" in text  # speed is shown
    assert "Don't know" not in text


def test_a_filtered_answer_never_says_how_many_chose_a_missing_label(
    store: Store, tmp_path: Path
) -> None:
    answers = ["Agree", "Disagree"] * 10 + ["Don't know"] * 12
    _import(store, tmp_path, answers)
    assert "12 chose “Don't know”" in ask(store, TEAM, "gap", min_group_size=5).text
    for query in ("gap team=A", "gap by team"):
        assert "Don't know" not in ask(store, TEAM, query, min_group_size=5).text


def test_an_unknown_answer_names_the_missing_labels_too(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as raised:
        _import(store, tmp_path, ["Agree", "Maybe"])
    assert any(
        "'Maybe' is not an answer" in p and "as not answered, Don't know, Prefer not to say" in p
        for p in raised.value.problems
    )


def test_importing_a_wave_again_replaces_its_missing_counts(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, TEN)
    _import(store, tmp_path, ["Agree", "Disagree"] * 4 + ["Prefer not to say"] * 6)
    counted = store.db.execute("SELECT label, respondents FROM missing_answers ORDER BY ordinal")
    assert [tuple(row) for row in counted] == [("Don't know", 0), ("Prefer not to say", 6)]
    assert "care: 6 chose “Prefer not to say”." in ask(store, TEAM, "gap", min_group_size=5).text


def test_import_and_ask_from_the_command_line(run: CliRun, tmp_path: Path) -> None:
    # 20 answers: 7 Agree, 5 Disagree, 8 "Don't know" → base 12, 7 of 12 agree (58%).
    answers = ["Agree"] * 7 + ["Disagree"] * 5 + ["Don't know"] * 8
    (tmp_path / "cb.toml").write_text(CODEBOOK.format(missing=DECLARED), encoding="utf-8")
    (tmp_path / "w1.csv").write_text(rows_csv(_rows(answers), HEADER), encoding="utf-8")
    imported = run("import", "w1.csv", "--codebook", "cb.toml")
    assert imported.exit_code == 0, imported.output
    assert "20 respondents, 12 answers" in imported.stdout
    assert "Counted as not answered (missing labels): 8 “Don't know”." in imported.stdout
    answered = run("ask", "gap")
    assert answered.exit_code == 0, answered.output
    assert "Agree: 58%† (7 of 12" in answered.stdout
    assert "care: 8 chose “Don't know”." in answered.stdout


NUMERIC = CODEBOOK.replace(
    "missing = {missing}", 'missing = ["Don\'t know"]\nmissing_codes = [{codes}]'
)


def test_a_numeric_export_writes_missing_answers_as_their_codes(
    store: Store, tmp_path: Path
) -> None:
    # Codes 1-3 are the labels, 99 "Don't know": 3 agree of 6 answered, 5 chose 99.
    answers = ["3", "1", "3", "2", "3", "1"] + ["99"] * 5
    path = tmp_path / "w1.csv"
    path.write_text(rows_csv(_rows(answers), HEADER), encoding="utf-8")
    codebook = parse_codebook(NUMERIC.format(codes="99"))
    summary = import_file(store, path, codebook, team_id=TEAM, wave="w1", actor="cli:test")
    assert summary.missing == {"Don't know": 5}
    text = ask(store, TEAM, "gap", min_group_size=5).text
    assert "Agree: 50%† (3 of 6" in text
    assert "care: 5 chose “Don't know”." in text


@pytest.mark.parametrize(
    ("codes", "problem"),
    [("99, 98", "missing_codes lists 2 numbers for 1 missing labels"), ("2", "not codes of")],
)
def test_missing_codes_must_fit_the_missing_labels(codes: str, problem: str) -> None:
    with pytest.raises(CodebookError) as raised:
        parse_codebook(NUMERIC.format(codes=codes))
    assert any(problem in p for p in raised.value.problems)
